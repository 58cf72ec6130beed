import { randomUUID } from 'node:crypto';
import type { DossierStatus, DossierSummary } from '../../api/desk-api';
import type { Store } from '../store/store';
import { normalizeText } from '../text/fold';
import { ftsQuery } from '../text/fts-query';

/** A bare dossier row (no procedure code, no components): what the bench and the multi-desk fixture write. */
export interface NewDossierInput {
  procedureName: string;
  applicantName: string;
}

interface DossierRow {
  id: string;
  code: string | null;
  procedure_code: string | null;
  procedure_name: string;
  applicant_name: string;
  status: DossierStatus;
  created_at: string;
  updated_at: string;
}

function toSummary(row: DossierRow): DossierSummary {
  return {
    id: row.id,
    code: row.code,
    procedureCode: row.procedure_code,
    procedureName: row.procedure_name,
    applicantName: row.applicant_name,
    status: row.status,
    createdAt: row.created_at,
    updatedAt: row.updated_at,
  };
}

/** Dossiers in the local store. Recording a dossier also queues it for sync, in one transaction. */
export class DossierRepository {
  constructor(
    private readonly store: Store,
    private readonly clock: () => Date = () => new Date(),
  ) {}

  create(input: NewDossierInput): DossierSummary {
    const now = this.clock().toISOString();
    const procedureName = normalizeText(input.procedureName);
    const applicantName = normalizeText(input.applicantName);
    const row: DossierRow = {
      id: randomUUID(),
      code: null,
      procedure_code: null,
      procedure_name: procedureName,
      applicant_name: applicantName,
      status: 'received',
      created_at: now,
      updated_at: now,
    };
    const { db } = this.store;
    db.transaction(() => {
      db.prepare(
        `INSERT INTO dossiers (id, code, procedure_code, procedure_name, applicant_name, status, created_at, updated_at)
         VALUES (@id, @code, @procedure_code, @procedure_name, @applicant_name, @status, @created_at, @updated_at)`,
      ).run(row);
      db.prepare(
        `INSERT INTO outbox (dossier_id, kind, created_at, updated_at) VALUES (?, 'dossier', ?, ?)`,
      ).run(row.id, now, now);
    })();
    return toSummary(row);
  }

  get(id: string): DossierSummary | null {
    const row = this.store.db.prepare('SELECT * FROM dossiers WHERE id = ?').get(id) as
      | DossierRow
      | undefined;
    return row ? toSummary(row) : null;
  }

  /**
   * Newest first. `query` matches words of the procedure, the applicant or the code, without regard to
   * diacritics or case, the last word as a prefix (full-text index, migration 007).
   */
  list(options: { query?: string; limit?: number } = {}): DossierSummary[] {
    const limit = Math.min(Math.max(options.limit ?? 200, 1), 1000);
    const match = ftsQuery(options.query ?? '');
    if (!match && options.query?.trim()) return [];
    const rows = match
      ? this.store.db
          .prepare(
            `SELECT d.* FROM dossier_search s JOIN dossiers d ON d.rowid = s.rowid
             WHERE dossier_search MATCH ? ORDER BY d.created_at DESC, d.rowid DESC LIMIT ?`,
          )
          .all(match, limit)
      : this.store.db
          .prepare('SELECT * FROM dossiers ORDER BY created_at DESC, rowid DESC LIMIT ?')
          .all(limit);
    return (rows as DossierRow[]).map(toSummary);
  }
}
