import { readFile } from 'node:fs/promises';
import { extname } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { decodeImageFile } from '../imaging/decode';
import { ImagingError } from '../imaging/errors';
import { type Logger, silentLogger } from '../logging/logger';
import type { BlobStore } from '../store/files';
import { OcrError, ocrClerkMessage } from './errors';
import type { OcrJob, OcrJobQueue } from './job-queue';
import { recognizeRawPage } from './recognize-page';
import type { OcrJobStatus, OcrProgressEvent } from './types';
import type { OcrPool } from './worker-pool';

/** Reads a queued page's stored bytes (plaintext). */
export type PageReader = (job: OcrJob) => Promise<Uint8Array>;

/** Pages as plain files at their queued path (pages not kept in a BlobStore, e.g. the `motcua ocr` CLI's). */
export const readPageFile: PageReader = (job) => readFile(job.pagePath);

/**
 * Pages kept in the desk's BlobStore, which may seal them (AES-GCM): read through the store, never by path.
 * The queued path is the blob's `pathFor(sha256, extension)`, so its extension names the blob.
 */
export function blobPageReader(blobs: BlobStore): PageReader {
  return (job) => blobs.read(job.pageSha256, extname(job.pagePath));
}

export interface OcrRunOptions {
  queue: OcrJobQueue;
  pool: OcrPool;
  /** How page bytes are read (default `readPageFile`); the desk passes `blobPageReader(store.blobs)`. */
  readPage?: PageReader;
  logger?: Logger;
  /** Called for every page that starts, finishes or fails. Must not throw. */
  onProgress?: (event: OcrProgressEvent) => void;
  /** Stops claiming new pages; pages already running finish (or keep their lease for the next run). */
  signal?: AbortSignal;
  /**
   * Wait for pages leased by a dead run (crash before this one) until their lease runs out, then take
   * them (default true). False returns as soon as nothing is claimable.
   */
  waitForLeases?: boolean;
}

export interface OcrRunSummary {
  done: number;
  failed: number;
  retried: number;
}

async function sha256Of(bytes: Uint8Array): Promise<string> {
  // WebCrypto hashes off the main thread; a 10 MB page would otherwise hold the event loop for ~20 ms.
  const digest = await crypto.subtle.digest('SHA-256', bytes as Uint8Array<ArrayBuffer>);
  return Buffer.from(digest).toString('hex');
}

interface Failure {
  code: string;
  detail: string;
  retryable: boolean;
}

function classify(error: unknown): Failure {
  if (error instanceof OcrError)
    return { code: error.ocrCode, detail: error.message, retryable: error.retryable };
  if (error instanceof ImagingError) {
    // The file was stored by the desk and hashed: if it no longer decodes, it was damaged after storing.
    return {
      code: 'page-changed',
      detail: `stored page no longer decodes: ${error.message}`,
      retryable: false,
    };
  }
  return {
    code: 'engine-failed',
    detail: error instanceof Error ? error.message : String(error),
    retryable: true,
  };
}

/**
 * The ONE place OCR reads a queued page's bytes (through `readPage`), then checks them against the hash
 * they were queued with.
 */
async function loadPage(job: OcrJob, readPage: PageReader): Promise<Uint8Array> {
  let bytes: Uint8Array;
  try {
    bytes = await readPage(job);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (typeof code === 'string') {
      throw new OcrError('page-missing', `page image unreadable (${code})`, {}, code !== 'ENOENT');
    }
    // No errno: the store refused the bytes (seal broken, content ≠ address): damaged after storing.
    throw new OcrError('page-changed', `stored page rejected: ${(error as Error).message}`);
  }
  const actual = await sha256Of(bytes);
  if (actual !== job.pageSha256) {
    throw new OcrError(
      'page-changed',
      `page image hash ${actual.slice(0, 12)} ≠ queued ${job.pageSha256.slice(0, 12)}`,
    );
  }
  return bytes;
}

/**
 * Works the OCR queue until it is empty: up to `pool.size` pages at a time, each under a renewed lease,
 * results committed page by page. Safe to call again after a crash: finished pages stay finished, pages
 * left running by the dead process are taken once their lease ends.
 */
export async function runOcrJobs(options: OcrRunOptions): Promise<OcrRunSummary> {
  const { queue, pool, signal } = options;
  const log = (options.logger ?? silentLogger).child('ocr-jobs');
  const summary: OcrRunSummary = { done: 0, failed: 0, retried: 0 };
  const inFlight = new Set<Promise<void>>();

  const emit = (job: OcrJob, status: OcrJobStatus, extra: Partial<OcrProgressEvent> = {}) => {
    if (!options.onProgress) return;
    const progress = queue.batchProgress(job.batchId);
    options.onProgress({
      batchId: job.batchId,
      jobId: job.id,
      pageIndex: job.pageIndex,
      status,
      finished: progress.done + progress.failed,
      total: progress.total,
      ...extra,
    });
  };

  const work = async (job: OcrJob) => {
    emit(job, 'running');
    const renewEvery = Math.max(50, Math.floor(queue.leaseMs / 3));
    const renewal = setInterval(() => {
      if (!queue.renew(job)) log.warn('lease-lost', { job: job.id });
    }, renewEvery);
    try {
      const bytes = await loadPage(job, options.readPage ?? readPageFile);
      const page = await decodeImageFile(bytes, job.pageDpi ? { dpi: job.pageDpi } : {});
      const result = await recognizeRawPage(pool, page, String(job.id));
      if (queue.complete(job, result)) {
        summary.done++;
        log.info('page-done', {
          job: job.id,
          ms: result.ms,
          prepareMs: Math.round(result.timings?.prepareMs ?? 0),
          recognizeMs: Math.round(result.timings?.recognizeMs ?? 0),
          steps: result.timings?.steps.join('+') ?? '',
          words: result.words.length,
        });
        emit(job, 'done', { confidence: result.confidence });
      } else log.warn('result-dropped', { job: job.id, reason: 'lease lost' });
    } catch (error) {
      const failure = classify(error);
      const status = queue.fail(job, failure);
      log.warn('page-failed', {
        job: job.id,
        attempt: job.attempts,
        code: failure.code,
        error: failure.detail,
      });
      if (status === 'failed') {
        summary.failed++;
        emit(job, 'failed', {
          error: failure.detail,
          clerkMessage: ocrClerkMessage(failure.code, { page: job.pageIndex + 1, attempts: job.attempts }),
        });
      } else if (status === 'pending') summary.retried++;
    } finally {
      clearInterval(renewal);
    }
  };

  while (!signal?.aborted) {
    while (inFlight.size < pool.size && !signal?.aborted) {
      const job = queue.claim();
      if (!job) break;
      const running: Promise<void> = work(job).finally(() => inFlight.delete(running));
      inFlight.add(running);
    }
    if (inFlight.size > 0) {
      await Promise.race(inFlight);
      continue;
    }
    const expiry = options.waitForLeases === false ? null : queue.nextLeaseExpiry();
    if (expiry === null) break;
    // Pages leased by a run that died: wait for the lease to lapse rather than risk doing them twice.
    await sleep(Math.min(Math.max(expiry - Date.now() + 20, 20), queue.leaseMs), undefined, { signal }).catch(
      () => {},
    );
  }
  await Promise.allSettled(inFlight);
  return summary;
}
