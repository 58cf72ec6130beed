import { readFileSync } from 'node:fs';
import type { Database } from 'better-sqlite3';
import { format, vi } from '../../api/i18n';
import { assetPath } from '../assets';
import type { Logger } from '../logging/logger';
import { silentLogger } from '../logging/logger';
import { sha256Hex } from '../store/files';
import { foldVietnamese } from '../text/fold';
import {
  type CatalogFeed,
  catalogFeedSchema,
  type ProcedureVersion,
  procedureVersionSchema,
} from './catalog-schema';
import { CatalogError } from './errors';

/** The bundled sample catalog (`"sample": true`); real data comes from the provincial system through sync. */
export const SAMPLE_CATALOG_FILE = assetPath('catalog', 'sample-catalog.json');

/** A day on Vietnam's calendar, `YYYY-MM-DD`, or an instant read on Vietnam's clock (UTC+7). */
export type CatalogDay = string | Date;

export interface ImportResult {
  inserted: number;
  updated: number;
  unchanged: number;
  /** Rows of the bundled sample removed because real data arrived. */
  sampleRemoved: number;
}

export interface ProcedureMatch {
  procedure: ProcedureVersion;
  /** 0 exact code, 1 code prefix, 2 name starts with the query, 3 every word starts a word, 4 contains. */
  rank: number;
}

interface ProcedureRow {
  code: string;
  effective_from: string;
  effective_to: string | null;
  body: string;
  search_text: string;
  name: string;
  sha256: string;
  source: string;
}

const VIETNAM_OFFSET_MS = 7 * 3_600_000;

function toDay(on: CatalogDay): string {
  if (on instanceof Date) {
    const local = new Date(on.getTime() + VIETNAM_OFFSET_MS);
    if (!Number.isNaN(local.getTime())) return local.toISOString().slice(0, 10);
  } else if (/^\d{4}-\d{2}-\d{2}$/.test(on)) {
    const probe = new Date(`${on}T00:00:00Z`);
    if (!Number.isNaN(probe.getTime()) && probe.toISOString().slice(0, 10) === on) return on;
  }
  throw new CatalogError(
    'invalid-date',
    format(vi.reception.catalog.invalidDate, { value: String(on) }),
    `bad catalog day ${String(on)}`,
  );
}

function describeIssues(issues: readonly { path: PropertyKey[]; message: string }[]): string {
  const shown = issues.slice(0, 5).map((i) => `${i.path.map(String).join('.') || '(gốc)'}: ${i.message}`);
  return issues.length > 5 ? `${shown.join('; ')}; … (+${issues.length - 5})` : shown.join('; ');
}

const parseBody = (row: ProcedureRow): ProcedureVersion => procedureVersionSchema.parse(JSON.parse(row.body));

/** The SQL that keeps, per code, only the version in force on a day. */
const IN_FORCE = `
  SELECT * FROM catalog_procedures p
  WHERE p.effective_from = (
    SELECT MAX(q.effective_from) FROM catalog_procedures q WHERE q.code = p.code AND q.effective_from <= @day
  )
  AND (p.effective_to IS NULL OR p.effective_to >= @day)`;

/**
 * Administrative procedures (thủ tục hành chính) with their versions. A lookup names a day and gets the version
 * that applied that day: the one with the latest effective date not after it, unless abolished by then.
 */
export class ProcedureCatalog {
  private readonly clock: () => Date;
  private readonly logger: Logger;

  constructor(
    private readonly db: Database,
    options: { clock?: () => Date; logger?: Logger } = {},
  ) {
    this.clock = options.clock ?? (() => new Date());
    this.logger = options.logger ?? silentLogger;
  }

  /**
   * Validates a feed (all or nothing) and upserts its versions by (code, effective date). A real feed removes
   * the bundled sample first, so sample procedures never linger next to the province's.
   */
  importFeed(raw: unknown): ImportResult {
    const parsed = catalogFeedSchema.safeParse(raw);
    if (!parsed.success) {
      const detail = describeIssues(parsed.error.issues);
      this.logger.warn('catalog.feed-rejected', { issues: parsed.error.issues.length });
      throw new CatalogError('invalid-feed', format(vi.reception.catalog.invalidFeed, { detail }), detail);
    }
    const feed: CatalogFeed = parsed.data;
    const source = feed.sample ? 'sample' : feed.source;
    const now = this.clock().toISOString();
    const result: ImportResult = { inserted: 0, updated: 0, unchanged: 0, sampleRemoved: 0 };
    this.db
      .transaction(() => {
        if (!feed.sample) {
          result.sampleRemoved = this.db
            .prepare(`DELETE FROM catalog_procedures WHERE source = 'sample'`)
            .run().changes;
        }
        const find = this.db.prepare(
          'SELECT sha256 FROM catalog_procedures WHERE code = ? AND effective_from = ?',
        );
        const upsert = this.db.prepare(
          `INSERT INTO catalog_procedures
             (code, effective_from, effective_to, version, name, search_text, body, sha256, source, imported_at)
           VALUES (@code, @effective_from, @effective_to, @version, @name, @search_text, @body, @sha256, @source, @imported_at)
           ON CONFLICT (code, effective_from) DO UPDATE SET
             effective_to = excluded.effective_to, version = excluded.version, name = excluded.name,
             search_text = excluded.search_text, body = excluded.body, sha256 = excluded.sha256,
             source = excluded.source, imported_at = excluded.imported_at`,
        );
        for (const procedure of feed.procedures) {
          const normalized: ProcedureVersion = {
            ...procedure,
            name: procedure.name.normalize('NFC').replace(/\s+/g, ' ').trim(),
          };
          const body = JSON.stringify(normalized);
          const sha256 = sha256Hex(body);
          const existing = find.get(procedure.code, procedure.effectiveFrom) as
            | { sha256: string }
            | undefined;
          if (existing?.sha256 === sha256) {
            result.unchanged += 1;
            continue;
          }
          upsert.run({
            code: procedure.code,
            effective_from: procedure.effectiveFrom,
            effective_to: procedure.effectiveTo,
            version: procedure.version,
            name: normalized.name,
            search_text: foldVietnamese(`${procedure.code} ${normalized.name} ${procedure.field.name}`),
            body,
            sha256,
            source,
            imported_at: now,
          });
          if (existing) result.updated += 1;
          else result.inserted += 1;
        }
      })
      .immediate();
    this.logger.info('catalog.imported', { source, ...result });
    return result;
  }

  /** Imports the bundled sample when the catalog is empty (first start); null when there was data already. */
  loadSampleIfEmpty(file: string = SAMPLE_CATALOG_FILE): ImportResult | null {
    const { n } = this.db.prepare('SELECT COUNT(*) AS n FROM catalog_procedures').get() as { n: number };
    if (n > 0) return null;
    return this.importFeed(JSON.parse(readFileSync(file, 'utf8')));
  }

  /** The version of `code` in force on `on` (default: today in Vietnam), or null. */
  procedure(code: string, on: CatalogDay = this.clock()): ProcedureVersion | null {
    const day = toDay(on);
    const row = this.db
      .prepare(
        'SELECT * FROM catalog_procedures WHERE code = ? AND effective_from <= ? ORDER BY effective_from DESC LIMIT 1',
      )
      .get(code.trim().toUpperCase(), day) as ProcedureRow | undefined;
    if (!row || (row.effective_to !== null && row.effective_to < day)) return null;
    return parseBody(row);
  }

  /** Like `procedure`, but a missing one is a CatalogError with the clerk's message. */
  requireProcedure(code: string, on: CatalogDay = this.clock()): ProcedureVersion {
    const found = this.procedure(code, on);
    if (found) return found;
    const day = toDay(on);
    throw new CatalogError(
      'not-found',
      format(vi.reception.catalog.notFound, { code, date: day.split('-').reverse().join('/') }),
      `no version of ${code} in force on ${day}`,
    );
  }

  /** Every stored version of a procedure, oldest first. */
  versions(code: string): ProcedureVersion[] {
    const rows = this.db
      .prepare('SELECT * FROM catalog_procedures WHERE code = ? ORDER BY effective_from')
      .all(code.trim().toUpperCase()) as ProcedureRow[];
    return rows.map(parseBody);
  }

  /** Every procedure in force on `on`, by name. */
  inForce(on: CatalogDay = this.clock()): ProcedureVersion[] {
    const rows = this.db
      .prepare(`${IN_FORCE} ORDER BY p.name, p.code`)
      .all({ day: toDay(on) }) as ProcedureRow[];
    return rows.map(parseBody);
  }

  /** True when every procedure stored came from the bundled sample (the desk shows a notice then). */
  isSampleOnly(): boolean {
    const row = this.db
      .prepare(`SELECT COUNT(*) AS n, COALESCE(SUM(source = 'sample'), 0) AS sample FROM catalog_procedures`)
      .get() as { n: number; sample: number };
    return row.n > 0 && row.n === row.sample;
  }

  /**
   * Procedures in force on `on` whose code or name matches every word of `query`, ignoring diacritics and case
   * ("dang ky khai sinh", "khai sinh", "1.001193", "kết hôn"). Best matches first.
   */
  search(query: string, options: { on?: CatalogDay; limit?: number } = {}): ProcedureMatch[] {
    const folded = foldVietnamese(query);
    const limit = Math.min(Math.max(options.limit ?? 20, 1), 500);
    const rows = this.db
      .prepare(`${IN_FORCE} ORDER BY p.name, p.code`)
      .all({ day: toDay(options.on ?? this.clock()) }) as ProcedureRow[];
    if (!folded) return rows.slice(0, limit).map((row) => ({ procedure: parseBody(row), rank: 5 }));
    const words = folded.split(' ');
    const matches: { row: ProcedureRow; rank: number }[] = [];
    for (const row of rows) {
      const text = row.search_text;
      if (!words.every((w) => text.includes(w))) continue;
      const code = row.code.toLowerCase();
      const name = foldVietnamese(row.name);
      const nameWords = name.split(' ');
      let rank = 4;
      if (code === folded) rank = 0;
      else if (code.startsWith(folded)) rank = 1;
      else if (name.startsWith(folded)) rank = 2;
      else if (words.every((w) => nameWords.some((nw) => nw.startsWith(w)))) rank = 3;
      matches.push({ row, rank });
    }
    matches.sort((a, b) => a.rank - b.rank || a.row.name.localeCompare(b.row.name, 'vi'));
    return matches.slice(0, limit).map(({ row, rank }) => ({ procedure: parseBody(row), rank }));
  }
}
