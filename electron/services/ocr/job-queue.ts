import type { Database } from 'better-sqlite3';
import type { OcrJobStatus, OcrPageResult, OcrWord } from './types';

/** Claims a page may take (a crash mid-page counts as one) before it is given up with a visible reason. */
export const DEFAULT_MAX_ATTEMPTS = 3;
/** Lease of a claimed page; the runner renews it while the page is being read, so only a dead owner loses it. */
export const DEFAULT_LEASE_MS = 30_000;

export interface OcrPageRef {
  /** Image file, usually a BlobStore path. */
  path: string;
  /** Content hash of the file; checked before OCR so a changed or damaged page is never read silently. */
  sha256: string;
  /** Key of the page within its batch (default: its place in the list), e.g. a scan page's seq. */
  index?: number;
  /** Resolution it was scanned at, when the file cannot say (scanner PNM). */
  dpi?: number;
}

export interface OcrJob {
  id: number;
  batchId: string;
  pageIndex: number;
  pageSha256: string;
  pagePath: string;
  pageDpi: number | null;
  status: OcrJobStatus;
  attempts: number;
  leaseUntil: number | null;
  lastError: string | null;
  errorCode: string | null;
  result: OcrPageResult | null;
  finishedAt: string | null;
}

export interface OcrBatchProgress {
  total: number;
  pending: number;
  running: number;
  done: number;
  failed: number;
}

interface JobRow {
  id: number;
  batch_id: string;
  page_index: number;
  page_sha256: string;
  page_path: string;
  page_dpi: number | null;
  status: OcrJobStatus;
  attempts: number;
  lease_until: number | null;
  last_error: string | null;
  error_code: string | null;
  text: string | null;
  confidence: number | null;
  words_json: string | null;
  width: number | null;
  height: number | null;
  dpi: number | null;
  ms: number | null;
  finished_at: string | null;
}

function toJob(row: JobRow): OcrJob {
  const result: OcrPageResult | null =
    row.status === 'done'
      ? {
          text: row.text ?? '',
          confidence: row.confidence ?? 0,
          words: JSON.parse(row.words_json ?? '[]') as OcrWord[],
          width: row.width ?? 0,
          height: row.height ?? 0,
          dpi: row.dpi ?? 0,
          ms: row.ms ?? 0,
        }
      : null;
  return {
    id: row.id,
    batchId: row.batch_id,
    pageIndex: row.page_index,
    pageSha256: row.page_sha256,
    pagePath: row.page_path,
    pageDpi: row.page_dpi,
    status: row.status,
    attempts: row.attempts,
    leaseUntil: row.lease_until,
    lastError: row.last_error,
    errorCode: row.error_code,
    result,
    finishedAt: row.finished_at,
  };
}

/**
 * The `ocr_jobs` table as a work queue. Every state change is one SQL transaction. A claim bumps
 * `attempts`, which then serves as the claim's fencing token: a late answer from an owner whose lease
 * expired (and whose page someone else re-claimed) is ignored instead of overwriting the newer work.
 */
export class OcrJobQueue {
  readonly maxAttempts: number;
  readonly leaseMs: number;
  private readonly now: () => number;

  constructor(
    private readonly db: Database,
    options: { maxAttempts?: number; leaseMs?: number; now?: () => number } = {},
  ) {
    this.maxAttempts = options.maxAttempts ?? DEFAULT_MAX_ATTEMPTS;
    this.leaseMs = options.leaseMs ?? DEFAULT_LEASE_MS;
    this.now = options.now ?? Date.now;
  }

  private iso(): string {
    return new Date(this.now()).toISOString();
  }

  /** Queues the pages of a batch in order. Idempotent: pages already queued (any status) are kept as they are. */
  enqueueBatch(batchId: string, pages: readonly OcrPageRef[]): OcrJob[] {
    const insert = this.db.prepare(
      `INSERT INTO ocr_jobs (batch_id, page_index, page_sha256, page_path, page_dpi, created_at, updated_at)
       VALUES (?, ?, ?, ?, ?, ?, ?) ON CONFLICT (batch_id, page_index) DO NOTHING`,
    );
    this.db.transaction(() => {
      const at = this.iso();
      pages.forEach((page, index) => {
        if (!/^[0-9a-f]{64}$/.test(page.sha256)) throw new Error(`page ${index} has an invalid sha256`);
        insert.run(batchId, page.index ?? index, page.sha256, page.path, page.dpi ?? null, at, at);
      });
    })();
    return this.batchJobs(batchId);
  }

  /**
   * Takes the oldest page that is pending, or running under an expired lease (its owner died). A page whose
   * attempts are used up is marked failed instead of being claimed again.
   */
  claim(): OcrJob | null {
    return this.db.transaction((): OcrJob | null => {
      const now = this.now();
      for (;;) {
        const row = this.db
          .prepare(
            `SELECT * FROM ocr_jobs
             WHERE status = 'pending' OR (status = 'running' AND lease_until < ?)
             ORDER BY id LIMIT 1`,
          )
          .get(now) as JobRow | undefined;
        if (!row) return null;
        if (row.attempts >= this.maxAttempts) {
          this.db
            .prepare(
              `UPDATE ocr_jobs SET status = 'failed', lease_until = NULL, error_code = 'engine-failed',
                 last_error = ?, updated_at = ?, finished_at = ? WHERE id = ?`,
            )
            .run(
              `gave up after ${row.attempts} attempts; the last one never finished (process or worker died)` +
                (row.last_error ? `; earlier: ${row.last_error}` : ''),
              this.iso(),
              this.iso(),
              row.id,
            );
          continue;
        }
        this.db
          .prepare(
            `UPDATE ocr_jobs SET status = 'running', attempts = attempts + 1, lease_until = ?, updated_at = ?
             WHERE id = ?`,
          )
          .run(now + this.leaseMs, this.iso(), row.id);
        return this.job(row.id);
      }
    })();
  }

  /** Extends the lease of a page still held under this claim; false when the claim was lost. */
  renew(job: Pick<OcrJob, 'id' | 'attempts'>): boolean {
    const info = this.db
      .prepare(
        `UPDATE ocr_jobs SET lease_until = ?, updated_at = ?
         WHERE id = ? AND status = 'running' AND attempts = ?`,
      )
      .run(this.now() + this.leaseMs, this.iso(), job.id, job.attempts);
    return info.changes === 1;
  }

  /** Stores a page's result; false when the claim was lost (the result is then dropped, not merged). */
  complete(job: Pick<OcrJob, 'id' | 'attempts'>, result: OcrPageResult): boolean {
    const at = this.iso();
    const info = this.db
      .prepare(
        `UPDATE ocr_jobs SET status = 'done', lease_until = NULL, text = ?, confidence = ?, words_json = ?,
           width = ?, height = ?, dpi = ?, ms = ?, error_code = NULL, updated_at = ?, finished_at = ?
         WHERE id = ? AND status = 'running' AND attempts = ?`,
      )
      .run(
        result.text,
        result.confidence,
        JSON.stringify(result.words),
        result.width,
        result.height,
        result.dpi,
        result.ms,
        at,
        at,
        job.id,
        job.attempts,
      );
    return info.changes === 1;
  }

  /**
   * Records a failed attempt. A retryable failure goes back to pending while attempts remain; otherwise the
   * page is failed for good with its reason. Returns the new status, or null when the claim was lost.
   */
  fail(
    job: Pick<OcrJob, 'id' | 'attempts'>,
    failure: { code: string; detail: string; retryable: boolean },
  ): OcrJobStatus | null {
    const status: OcrJobStatus = failure.retryable && job.attempts < this.maxAttempts ? 'pending' : 'failed';
    const at = this.iso();
    const info = this.db
      .prepare(
        `UPDATE ocr_jobs SET status = ?, lease_until = NULL, error_code = ?, last_error = ?, updated_at = ?,
           finished_at = CASE WHEN ? = 'failed' THEN ? ELSE NULL END
         WHERE id = ? AND status = 'running' AND attempts = ?`,
      )
      .run(status, failure.code, failure.detail, at, status, at, job.id, job.attempts);
    return info.changes === 1 ? status : null;
  }

  /** Puts failed pages of a batch back in the queue with fresh attempts (the clerk pressed "thử lại"). */
  retryFailed(batchId: string): number {
    return this.db
      .prepare(
        `UPDATE ocr_jobs SET status = 'pending', attempts = 0, lease_until = NULL, finished_at = NULL,
           updated_at = ? WHERE batch_id = ? AND status = 'failed'`,
      )
      .run(this.iso(), batchId).changes;
  }

  /** Earliest lease end among running pages, so a runner can wait for a dead owner's pages. */
  nextLeaseExpiry(): number | null {
    const row = this.db
      .prepare(`SELECT MIN(lease_until) AS until FROM ocr_jobs WHERE status = 'running'`)
      .get() as { until: number | null };
    return row.until;
  }

  job(id: number): OcrJob | null {
    const row = this.db.prepare('SELECT * FROM ocr_jobs WHERE id = ?').get(id) as JobRow | undefined;
    return row ? toJob(row) : null;
  }

  batchJobs(batchId: string): OcrJob[] {
    const rows = this.db
      .prepare('SELECT * FROM ocr_jobs WHERE batch_id = ? ORDER BY page_index')
      .all(batchId) as JobRow[];
    return rows.map(toJob);
  }

  batchProgress(batchId: string): OcrBatchProgress {
    const rows = this.db
      .prepare('SELECT status, COUNT(*) AS n FROM ocr_jobs WHERE batch_id = ? GROUP BY status')
      .all(batchId) as { status: OcrJobStatus; n: number }[];
    const progress: OcrBatchProgress = { total: 0, pending: 0, running: 0, done: 0, failed: 0 };
    for (const { status, n } of rows) {
      progress[status] = n;
      progress.total += n;
    }
    return progress;
  }
}
