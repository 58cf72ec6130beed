/** Official holiday tables delivered by sync, kept in SQLite so they survive restarts and work offline. */
import type { Database } from 'better-sqlite3';
import type { Logger } from '../logging/logger';
import { sha256Hex } from '../store/files';
import { type OfficialTable, parseOfficialTable } from './holiday-data';

export interface StoredTableRow {
  id: string;
  year: number;
  source: string;
  body: string;
  sha256: string;
  received_at: string;
}

/**
 * Validates and stores a table (insert, or replace the one with the same id). Returns false when the very same
 * table was already stored. Throws CalendarDataError for an invalid table; nothing is written then.
 */
export function saveOfficialTable(db: Database, raw: unknown, receivedAt: Date = new Date()): boolean {
  const table = parseOfficialTable(raw);
  const body = JSON.stringify(table);
  const sha256 = sha256Hex(body);
  const existing = db.prepare('SELECT sha256 FROM calendar_tables WHERE id = ?').get(table.id) as
    | { sha256: string }
    | undefined;
  if (existing?.sha256 === sha256) return false;
  db.prepare(
    `INSERT INTO calendar_tables (id, year, source, body, sha256, received_at) VALUES (?, ?, ?, ?, ?, ?)
     ON CONFLICT (id) DO UPDATE SET year = excluded.year, source = excluded.source, body = excluded.body,
       sha256 = excluded.sha256, received_at = excluded.received_at`,
  ).run(table.id, table.year, table.source, body, sha256, receivedAt.toISOString());
  return true;
}

/**
 * Every stored table, oldest first (so later ones win by id). A row that no longer validates (schema changed
 * under it) is skipped with a warning instead of stopping the desk; the shipped defaults then apply.
 */
export function loadOfficialTables(db: Database, logger?: Logger): OfficialTable[] {
  // A development database made while migration 004 was still an empty placeholder has no such table.
  if (!db.prepare("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'calendar_tables'").get()) {
    logger?.warn('calendar.tables.missing', { reason: 'calendar_tables absent; shipped tables only' });
    return [];
  }
  const rows = db
    .prepare('SELECT id, year, body FROM calendar_tables ORDER BY received_at, id')
    .all() as Pick<StoredTableRow, 'id' | 'year' | 'body'>[];
  const tables: OfficialTable[] = [];
  for (const row of rows) {
    try {
      tables.push(parseOfficialTable(JSON.parse(row.body)));
    } catch (error) {
      logger?.warn('calendar.table.invalid', { id: row.id, year: row.year, error: (error as Error).message });
    }
  }
  return tables;
}
