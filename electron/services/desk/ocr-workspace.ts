import sharp from 'sharp';
import type {
  DeskEvents,
  ExtractedFieldView,
  OcrPageState,
  PageSearchHit,
  PageTextView,
} from '../../api/desk-api';
import { DeskError } from '../../api/errors';
import { vi } from '../../api/i18n';
import type { DeskConfig } from '../config/config';
import type { EventHub } from '../events/event-hub';
import { extractFields } from '../extract/ocr-fields';
import type { Logger } from '../logging/logger';
import { ocrClerkMessage } from '../ocr/errors';
import { type OcrJob, OcrJobQueue } from '../ocr/job-queue';
import { blobPageReader, runOcrJobs } from '../ocr/job-runner';
import type { OcrProgressEvent } from '../ocr/types';
import { OcrPool, resolvePoolSize } from '../ocr/worker-pool';
import { readScanPage, scanPagePath } from '../scan/page-image';
import { ScanLayout } from '../scan/scan-layout';
import type { ScanService } from '../scan/scan-service';
import type { Store } from '../store/store';
import { foldVietnamese } from '../text/fold';
import { ftsQuery } from '../text/fts-query';

/** Words below this confidence are highlighted for the clerk to check. */
export const LOW_CONFIDENCE = 60;
const VIEW_WIDTH = 1000;
const SNIPPET_WORDS = 8;

/**
 * OCR for the desk: every stored batch is queued (durably, in SQLite) and read by a pool of tesseract.js
 * workers in the background; progress goes out as events, results feed the page viewer and the search index.
 * A restart resumes unfinished pages and never redoes finished ones.
 */
export class OcrWorkspace {
  readonly queue: OcrJobQueue;
  private pool: OcrPool | null = null;
  private draining: Promise<void> | null = null;
  private more = false;
  private readonly stop = new AbortController();
  private readonly layout: ScanLayout;

  constructor(
    private readonly store: Store,
    private readonly scans: ScanService,
    private readonly config: DeskConfig,
    private readonly events: EventHub,
    private readonly logger: Logger,
  ) {
    this.queue = new OcrJobQueue(store.db);
    this.layout = new ScanLayout(store);
  }

  /** Queues the kept pages of a batch (idempotent) and makes sure the workers are on it. */
  queueBatch(batchId: string): void {
    const pages = this.layout.arrange(batchId, this.scans.pages(batchId)).map(({ record }) => ({
      path: scanPagePath(this.store.blobs, record),
      sha256: record.sha256,
      index: record.seq,
      dpi: record.dpi,
    }));
    if (pages.length === 0) return;
    this.queue.enqueueBatch(batchId, pages);
    this.resume();
  }

  /** Starts the workers if any page waits (also after a crash); safe to call any time. */
  resume(): void {
    if (this.stop.signal.aborted) return;
    if (this.draining) {
      this.more = true;
      return;
    }
    this.draining = this.drain().finally(() => {
      this.draining = null;
    });
  }

  /** After a restart: picks up pages a previous run left queued or half-done, without starting idle workers. */
  resumeIfPending(): void {
    const waiting = this.store.db
      .prepare(`SELECT 1 FROM ocr_jobs WHERE status IN ('pending', 'running') LIMIT 1`)
      .get();
    if (waiting) this.resume();
  }

  status(batchId: string): OcrPageState[] {
    return this.queue.batchJobs(batchId).map((job) => ({
      seq: job.pageIndex,
      status: job.status,
      confidence: job.result?.confidence ?? null,
      message: job.status === 'failed' ? this.failureMessage(job) : null,
    }));
  }

  async pageText(batchId: string, seq: number): Promise<PageTextView> {
    const record = this.scans.pages(batchId).find((p) => p.seq === seq);
    if (!record) throw new DeskError('not-found', `page ${seq} is not in batch ${batchId}`);
    const job = this.queue.batchJobs(batchId).find((j) => j.pageIndex === seq);
    const page = await readScanPage(this.store.blobs, record);
    const jpeg = await sharp(page.data, {
      raw: { width: page.width, height: page.height, channels: page.channels },
    })
      .resize({ width: Math.min(VIEW_WIDTH, page.width) })
      .jpeg({ quality: 80 })
      .toBuffer();
    const result = job?.result ?? null;
    return {
      batchId,
      seq,
      status: job?.status ?? 'not-queued',
      text: result?.text ?? '',
      confidence: result?.confidence ?? null,
      words: (result?.words ?? []).map((w) => ({
        text: w.text,
        confidence: w.confidence,
        low: w.confidence < LOW_CONFIDENCE,
        ...w.bbox,
      })),
      image: `data:image/jpeg;base64,${jpeg.toString('base64')}`,
      width: page.width,
      height: page.height,
    };
  }

  /** Fields found in a page's OCR text, most confident first; none before the page is read. */
  fields(batchId: string, seq: number): ExtractedFieldView[] {
    const result = this.queue.batchJobs(batchId).find((j) => j.pageIndex === seq)?.result;
    if (!result) return [];
    return extractFields({ text: result.text, words: result.words })
      .sort((a, b) => b.confidence - a.confidence)
      .map((f) => ({
        kind: f.kind,
        label: vi.extract.fields[f.kind],
        value: f.value,
        confidence: f.confidence,
        printedLabel: f.label,
      }));
  }

  /** Pages whose OCR text holds every word of the query (last one as a prefix), newest first. */
  searchPages(query: string, limit = 50): PageSearchHit[] {
    const match = ftsQuery(query);
    if (!match) return [];
    const rows = this.store.db
      .prepare(
        `SELECT j.batch_id, j.page_index, j.text, j.finished_at FROM page_search s JOIN ocr_jobs j ON j.id = s.rowid
         WHERE page_search MATCH ? ORDER BY j.finished_at DESC, j.id DESC LIMIT ?`,
      )
      .all(match, limit) as { batch_id: string; page_index: number; text: string; finished_at: string }[];
    const terms = foldVietnamese(query)
      .split(/[^\p{L}\p{N}]+/u)
      .filter(Boolean);
    return rows.map((row) => ({
      batchId: row.batch_id,
      seq: row.page_index,
      snippet: snippetAround(row.text, terms),
      scannedAt: row.finished_at,
    }));
  }

  async close(): Promise<void> {
    this.stop.abort();
    await this.draining?.catch(() => {});
    await this.pool?.close();
    this.pool = null;
  }

  private async drain(): Promise<void> {
    do {
      this.more = false;
      this.pool ??= new OcrPool({
        size: resolvePoolSize(this.config.ocr.workers),
        languages: this.config.ocr.languages,
        logger: this.logger,
      });
      try {
        await runOcrJobs({
          queue: this.queue,
          pool: this.pool,
          // Pages may be sealed in the BlobStore: read them through it, never by path.
          readPage: blobPageReader(this.store.blobs),
          logger: this.logger,
          signal: this.stop.signal,
          onProgress: (event) => this.events.emit('ocrProgress', this.progressEvent(event)),
        });
      } catch (error) {
        this.logger.error('ocr.run-failed', { error: (error as Error).message });
      }
    } while (this.more && !this.stop.signal.aborted);
  }

  private progressEvent(event: OcrProgressEvent) {
    const payload: DeskEvents['ocrProgress'] = {
      batchId: event.batchId,
      seq: event.pageIndex,
      status: event.status,
      confidence: event.confidence ?? null,
      finished: event.finished,
      total: event.total,
      message: event.clerkMessage ?? null,
    };
    return payload;
  }

  private failureMessage(job: OcrJob): string {
    return ocrClerkMessage(job.errorCode ?? 'engine-failed', { page: job.pageIndex, attempts: job.attempts });
  }
}

/** About SNIPPET_WORDS words either side of the first word that matches a query term, from the original text. */
export function snippetAround(text: string, terms: string[]): string {
  const words = text.split(/\s+/).filter(Boolean);
  const hit = words.findIndex((w) => {
    const folded = foldVietnamese(w).replace(/[^\p{L}\p{N}]/gu, '');
    return terms.some((t) => folded.startsWith(t));
  });
  const from = Math.max(0, hit - SNIPPET_WORDS);
  const to = Math.min(words.length, Math.max(hit, 0) + SNIPPET_WORDS + 1);
  return `${from > 0 ? '… ' : ''}${words.slice(from, to).join(' ')}${to < words.length ? ' …' : ''}`;
}
