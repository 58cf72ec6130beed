import type { Database } from 'better-sqlite3';
import { AuditLog } from '../audit/audit-log';
import { purgeDossierApplicant } from '../dossier/dossier-rows';
import { type Logger, silentLogger } from '../logging/logger';
import type { Store } from '../store/store';

/** Default retention after the province confirmed a dossier (issue #7). */
export const DEFAULT_RETENTION_DAYS = 30;
/** The clerk id the purge writes its audit entries under. */
export const RETENTION_ACTOR = 'system:retention';

export interface PurgeOptions {
  retentionDays?: number;
  clock?: () => Date;
  logger?: Logger;
  dryRun?: boolean;
  /** Test hook: runs after a dossier's rows are committed and before its files are deleted. */
  afterRowsCommitted?: (dossierId: string) => void;
}

export interface PurgeReport {
  /** Dossiers whose personal data was removed in this run (or would be, in a dry run). */
  dossiers: number;
  /** Purges resumed from an earlier run that stopped before its files were deleted. */
  resumed: number;
  dossierFiles: number;
  scanPages: number;
  ocrPages: number;
  blobsDeleted: number;
  cutoff: string;
  dryRun: boolean;
  /** False when the sync schema is not there yet (no `province_confirmed_at`): nothing can be due. */
  available: boolean;
}

interface BlobRef {
  sha256: string;
  ext: string;
}

function hasColumn(db: Database, table: string, column: string): boolean {
  return (db.prepare(`SELECT name FROM pragma_table_info(?)`).all(table) as { name: string }[]).some(
    (c) => c.name === column,
  );
}

/** Blob files of one dossier: its files, the pages of its scan batches, the pages OCR'd in those batches. */
function dossierBlobs(
  db: Database,
  dossierId: string,
): { refs: BlobRef[]; files: number; pages: number; ocr: number } {
  const files = db
    .prepare('SELECT blob_sha256 AS sha256, blob_ext AS ext FROM dossier_files WHERE dossier_id = ?')
    .all(dossierId) as BlobRef[];
  const pages = db
    .prepare(
      `SELECT sha256, file_ext AS ext FROM scan_pages
       WHERE batch_id IN (SELECT id FROM scan_batches WHERE dossier_id = ?)`,
    )
    .all(dossierId) as BlobRef[];
  const ocr = db
    .prepare(
      `SELECT page_sha256 AS sha256, page_path AS path FROM ocr_jobs
       WHERE batch_id IN (SELECT id FROM scan_batches WHERE dossier_id = ?)`,
    )
    .all(dossierId) as { sha256: string; path: string }[];
  const refs = new Map<string, BlobRef>();
  for (const r of [...files, ...pages]) refs.set(`${r.sha256}${r.ext}`, r);
  for (const r of ocr) {
    // OCR jobs keep a path; a blob-store page is named <sha256><ext>.
    const base = r.path.split(/[\\/]/).pop() ?? '';
    if (base.startsWith(r.sha256)) {
      const ext = base.slice(r.sha256.length);
      refs.set(`${r.sha256}${ext}`, { sha256: r.sha256, ext });
    }
  }
  return { refs: [...refs.values()], files: files.length, pages: pages.length, ocr: ocr.length };
}

function stillReferenced(db: Database, sha256: string): boolean {
  const row = db
    .prepare(
      `SELECT 1 FROM dossier_files WHERE blob_sha256 = @sha256
       UNION ALL SELECT 1 FROM scan_pages WHERE sha256 = @sha256
       UNION ALL SELECT 1 FROM ocr_jobs WHERE page_sha256 = @sha256 LIMIT 1`,
    )
    .get({ sha256 });
  return row !== undefined;
}

/** Second half of a purge: delete the journalled blobs nobody references any more, then close the journal row. */
function finishFiles(store: Store, dossierId: string, clock: () => Date): number {
  const row = store.db
    .prepare("SELECT blobs_json FROM retention_purges WHERE dossier_id = ? AND stage = 'files'")
    .get(dossierId) as { blobs_json: string } | undefined;
  if (!row) return 0;
  let deleted = 0;
  for (const ref of JSON.parse(row.blobs_json) as BlobRef[]) {
    if (stillReferenced(store.db, ref.sha256)) continue;
    if (store.blobs.remove(ref.sha256, ref.ext)) deleted += 1;
  }
  store.db
    .prepare(
      `UPDATE retention_purges SET stage = 'done', finished_at = ?, blobs_deleted = blobs_deleted + ?
       WHERE dossier_id = ?`,
    )
    .run(clock().toISOString(), deleted, dossierId);
  return deleted;
}

/**
 * Purges the personal data and scans of dossiers the province confirmed more than `retentionDays` ago: their
 * files, scan pages, OCR text (and its search rows) and the applicant columns go; code, status, dates, outbox
 * and audit stay. One audit entry per dossier (counts only). Safe to kill at any point and run again.
 */
export function purgeExpiredDossiers(store: Store, options: PurgeOptions = {}): PurgeReport {
  const clock = options.clock ?? (() => new Date());
  const logger = options.logger ?? silentLogger;
  const days = options.retentionDays ?? DEFAULT_RETENTION_DAYS;
  const cutoff = new Date(clock().getTime() - days * 86_400_000).toISOString();
  const { db } = store;
  const report: PurgeReport = {
    dossiers: 0,
    resumed: 0,
    dossierFiles: 0,
    scanPages: 0,
    ocrPages: 0,
    blobsDeleted: 0,
    cutoff,
    dryRun: options.dryRun ?? false,
    available: hasColumn(db, 'dossiers', 'province_confirmed_at'),
  };
  if (!report.available) {
    logger.warn('retention.unavailable', { reason: 'dossiers.province_confirmed_at missing' });
    return report;
  }

  // Finish what a crashed run left: rows already gone, files maybe not.
  if (!report.dryRun) {
    const pending = db.prepare("SELECT dossier_id FROM retention_purges WHERE stage = 'files'").all() as {
      dossier_id: string;
    }[];
    for (const { dossier_id } of pending) {
      report.blobsDeleted += finishFiles(store, dossier_id, clock);
      report.resumed += 1;
    }
  }

  const due = db
    .prepare(
      `SELECT id FROM dossiers
       WHERE province_confirmed_at IS NOT NULL AND province_confirmed_at < ? AND purged_at IS NULL
       ORDER BY province_confirmed_at`,
    )
    .all(cutoff) as { id: string }[];
  const audit = new AuditLog(db, clock);

  for (const { id } of due) {
    const found = dossierBlobs(db, id);
    report.dossiers += 1;
    report.dossierFiles += found.files;
    report.scanPages += found.pages;
    report.ocrPages += found.ocr;
    if (report.dryRun) continue;
    const at = clock().toISOString();
    db.transaction(() => {
      db.prepare(
        `INSERT INTO retention_purges (dossier_id, stage, blobs_json, dossier_files, scan_pages, ocr_pages, started_at)
         VALUES (?, 'files', ?, ?, ?, ?, ?)`,
      ).run(id, JSON.stringify(found.refs), found.files, found.pages, found.ocr, at);
      const batches = 'SELECT id FROM scan_batches WHERE dossier_id = ?';
      db.prepare(`DELETE FROM ocr_jobs WHERE batch_id IN (${batches})`).run(id);
      db.prepare(`DELETE FROM scan_pages WHERE batch_id IN (${batches})`).run(id);
      db.prepare('DELETE FROM dossier_files WHERE dossier_id = ?').run(id);
      // The search trigger re-indexes the row without the applicant.
      purgeDossierApplicant(db, id, at);
      audit.append({
        clerkId: RETENTION_ACTOR,
        action: 'retention.purge',
        objects: { dossierId: id },
        details: {
          dossierFiles: found.files,
          scanPages: found.pages,
          ocrPages: found.ocr,
          retentionDays: days,
        },
      });
    }).immediate();
    options.afterRowsCommitted?.(id);
    report.blobsDeleted += finishFiles(store, id, clock);
  }
  logger.info('retention.purge', {
    dossiers: report.dossiers,
    resumed: report.resumed,
    blobsDeleted: report.blobsDeleted,
    dryRun: report.dryRun,
    retentionDays: days,
  });
  return report;
}

const LAST_RUN_KEY = 'retention.lastRunAt';
const DAY_MS = 86_400_000;

export interface RetentionScheduleOptions {
  retentionDays: number;
  logger?: Logger;
  clock?: () => Date;
  /** How often to look whether a day has passed since the last purge (desks are often switched off at night). */
  checkEveryMs?: number;
  /** First look after start, so opening the desk is not slowed down. */
  firstCheckMs?: number;
}

/** Runs the purge when the last run (kept in `settings`) is more than a day old. Returns whether it ran. */
export function runRetentionIfDue(store: Store, options: RetentionScheduleOptions): boolean {
  const clock = options.clock ?? (() => new Date());
  const last = store.db.prepare('SELECT value FROM settings WHERE key = ?').get(LAST_RUN_KEY) as
    | { value: string }
    | undefined;
  const now = clock();
  if (last && now.getTime() - Date.parse(last.value) < DAY_MS) return false;
  purgeExpiredDossiers(store, { retentionDays: options.retentionDays, clock, logger: options.logger });
  store.db
    .prepare(
      'INSERT INTO settings (key, value) VALUES (?, ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value',
    )
    .run(LAST_RUN_KEY, now.toISOString());
  return true;
}

/**
 * The desk's daily purge: checks hourly (and once shortly after start) whether a day has passed since the last
 * run. Returns the timers, for the owner to clear on close; they never keep the process alive.
 */
export function scheduleRetention(store: Store, options: RetentionScheduleOptions): NodeJS.Timeout[] {
  const logger = options.logger ?? silentLogger;
  const check = () => {
    try {
      runRetentionIfDue(store, options);
    } catch (error) {
      logger.error('retention.failed', { message: (error as Error).message });
    }
  };
  const first = setTimeout(check, options.firstCheckMs ?? 60_000);
  const every = setInterval(check, options.checkEveryMs ?? 3_600_000);
  first.unref();
  every.unref();
  return [first, every];
}
