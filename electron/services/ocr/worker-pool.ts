import { availableParallelism } from 'node:os';
import type { Worker as ThreadWorker } from 'node:worker_threads';
import Tesseract from 'tesseract.js';
import type { RawPage } from '../imaging/raw-page';
import { type Logger, silentLogger } from '../logging/logger';
import { OcrError } from './errors';
import type { OcrLanguage } from './language-data';
import { languageFolder } from './language-folder';
import { meanConfidence, wordsFromTsv } from './tsv';
import type { OcrWord } from './types';
import {
  type OcrImageSize,
  ocrWorkerPath,
  RAW_PAGE_OPTION,
  type RawPageGeometry,
  type WorkerTimings,
} from './worker-protocol';

/** Pages a worker reads before it is replaced: a Tesseract WASM heap only grows, so a fresh one caps memory. */
export const DEFAULT_RECYCLE_AFTER_PAGES = 40;
/** A page that takes longer than this is stuck (a healthy A4 page takes 2–6 s on one core). */
export const DEFAULT_PAGE_TIMEOUT_MS = 120_000;
const SPAWN_TIMEOUT_MS = 60_000;

/**
 * Vietnamese alone. Its model already has the Latin alphabet; adding `eng` made the corpus worse on every
 * variant (clean CER 0.10 → 0.35 %, hard 0.39 → 0.75 %) and ~30 % slower, because Tesseract then re-reads
 * doubtful words with the English model and picks unaccented spellings.
 */
export const DEFAULT_LANGUAGES: readonly OcrLanguage[] = ['vie'];

/** Tesseract parameters for every page: Sauvola thresholding copes with uneven light and grey paper. */
const TESSERACT_PARAMETERS = { thresholding_method: '2' } as const;

export interface OcrPoolOptions {
  /** Worker threads; 0 or undefined = one per CPU core (config `ocr.workers`). */
  size?: number;
  languages?: readonly OcrLanguage[];
  recycleAfterPages?: number;
  pageTimeoutMs?: number;
  /** Where a combined language folder may be made when the languages live in different folders. */
  cacheDir?: string;
  env?: NodeJS.ProcessEnv;
  logger?: Logger;
}

export interface RecognizedPage {
  text: string;
  confidence: number;
  words: OcrWord[];
  /** Clean-up steps and where the worker's time went (for logs and the benchmark). */
  timings: WorkerTimings;
}

export interface OcrPoolStats {
  size: number;
  live: number;
  pages: number;
  recycled: number;
  crashed: number;
}

interface Slot {
  id: number;
  worker: Tesseract.Worker;
  thread: ThreadWorker;
  pages: number;
  dead: boolean;
  /** Set while a page runs: rejects it when the thread dies under it. */
  onDeath: ((reason: string) => void) | null;
}

interface Task {
  page: RawPage;
  label: string;
  resolve: (page: RecognizedPage) => void;
  reject: (error: unknown) => void;
}

export function resolvePoolSize(configured: number | undefined): number {
  return configured && configured > 0 ? configured : Math.max(1, availableParallelism());
}

/**
 * A pool of tesseract.js worker threads. Pages queue in order; each worker takes one page at a time, is
 * recycled after `recycleAfterPages`, and is replaced when it crashes or hangs (the page's promise then
 * rejects with a retryable OcrError). Clean-up (preprocess.ts) and recognition both run in the worker
 * (ocr-worker.ts): the caller's thread only hands over decoded pixels.
 */
export class OcrPool {
  readonly size: number;
  private readonly languages: readonly OcrLanguage[];
  private readonly recycleAfter: number;
  private readonly pageTimeoutMs: number;
  private readonly log: Logger;
  private readonly idle: Slot[] = [];
  private readonly queue: Task[] = [];
  private readonly live = new Set<Slot>();
  private starting = 0;
  private nextId = 1;
  private closed = false;
  private langPath: Promise<string> | null = null;
  private counters = { pages: 0, recycled: 0, crashed: 0 };

  constructor(private readonly options: OcrPoolOptions = {}) {
    this.size = resolvePoolSize(options.size);
    this.languages = options.languages ?? DEFAULT_LANGUAGES;
    this.recycleAfter = Math.max(1, options.recycleAfterPages ?? DEFAULT_RECYCLE_AFTER_PAGES);
    this.pageTimeoutMs = options.pageTimeoutMs ?? DEFAULT_PAGE_TIMEOUT_MS;
    this.log = (options.logger ?? silentLogger).child('ocr-pool');
  }

  stats(): OcrPoolStats {
    return { size: this.size, live: this.live.size, ...this.counters };
  }

  /** Thread ids of the live workers (the benchmark reads their memory). */
  threadIds(): number[] {
    return [...this.live].map((slot) => slot.thread.threadId);
  }

  /** Starts every worker now instead of on first use (so the first page does not pay the start-up). */
  async warmUp(): Promise<void> {
    const missing = this.size - this.live.size - this.starting;
    const slots = await Promise.all(Array.from({ length: Math.max(0, missing) }, () => this.spawn()));
    this.idle.push(...slots);
    this.pump();
  }

  /**
   * Recognises one decoded page; the worker cleans it up first. `label` (a job id, never a file name) goes
   * into logs. Word boxes are in `page`'s pixels.
   */
  recognize(page: RawPage, label = ''): Promise<RecognizedPage> {
    if (this.closed) return Promise.reject(new OcrError('pool-closed', 'OCR pool is closed'));
    return new Promise((resolve, reject) => {
      this.queue.push({ page, label, resolve, reject });
      this.pump();
    });
  }

  /** Terminates every worker; queued pages are rejected. Lets the process exit promptly. */
  async close(): Promise<void> {
    this.closed = true;
    for (const task of this.queue.splice(0)) task.reject(new OcrError('pool-closed', 'OCR pool closed'));
    const slots = [...this.live];
    this.idle.length = 0;
    await Promise.all(slots.map((slot) => this.retire(slot)));
  }

  private pump(): void {
    while (this.queue.length > 0 && !this.closed) {
      const slot = this.idle.pop();
      if (slot) {
        this.run(slot, this.queue.shift() as Task);
        continue;
      }
      // Start a worker only for pages no starting worker will take, and never beyond the pool size.
      if (this.live.size + this.starting >= this.size || this.starting >= this.queue.length) return;
      this.spawn().then(
        (fresh) => {
          this.idle.push(fresh);
          this.pump();
        },
        (error: unknown) => {
          // Cannot start a worker at all (missing language data, no memory): nothing queued can succeed.
          this.log.error('spawn-failed', { error: (error as Error).message });
          for (const task of this.queue.splice(0)) task.reject(error);
        },
      );
    }
  }

  private async spawn(): Promise<Slot> {
    this.starting++;
    try {
      this.langPath ??= languageFolder(this.languages, {
        cacheDir: this.options.cacheDir,
        env: this.options.env,
      });
      const langPath = await this.langPath;
      const started = Date.now();
      const worker = await withTimeout(
        Tesseract.createWorker([...this.languages], Tesseract.OEM.LSTM_ONLY, {
          langPath,
          gzip: true,
          workerPath: ocrWorkerPath(),
          // 'none': never read or write a traineddata cache (the default writes into the cwd).
          cacheMethod: 'none',
          // Without a handler tesseract.js rethrows worker errors as uncaught exceptions.
          errorHandler: () => {},
        }),
        SPAWN_TIMEOUT_MS,
        () => new OcrError('engine-failed', 'OCR worker did not start in time', {}, true),
      );
      await worker.setParameters(TESSERACT_PARAMETERS);
      const thread = (worker as unknown as { worker: ThreadWorker }).worker;
      const slot: Slot = { id: this.nextId++, worker, thread, pages: 0, dead: false, onDeath: null };
      const die = (reason: string) => {
        if (slot.dead) return;
        slot.dead = true;
        this.live.delete(slot);
        slot.onDeath?.(reason);
      };
      thread.on('error', (error) => die(`worker thread error: ${error.message}`));
      thread.on('exit', (code) => die(`worker thread exited with code ${code}`));
      this.live.add(slot);
      if (this.closed) {
        await this.retire(slot);
        throw new OcrError('pool-closed', 'OCR pool closed while a worker started');
      }
      this.log.info('worker-started', { worker: slot.id, ms: Date.now() - started });
      return slot;
    } finally {
      this.starting--;
    }
  }

  private async retire(slot: Slot): Promise<void> {
    slot.dead = true;
    this.live.delete(slot);
    try {
      await slot.worker.terminate();
    } catch {
      // Already gone.
    }
  }

  private run(slot: Slot, task: Task): void {
    const started = Date.now();
    const died = new Promise<never>((_, reject) => {
      slot.onDeath = (reason) =>
        reject(new OcrError('engine-failed', reason, { page: task.label }, /* retryable */ true));
    });
    const { width, height, channels, dpi, data: pixels } = task.page;
    const geometry: RawPageGeometry = { width, height, channels, dpi };
    // tesseract.js copies `image` into the message; the worker reads the pixels and the geometry option.
    const work = slot.worker
      .recognize(pixels as Buffer, { [RAW_PAGE_OPTION]: geometry } as object, { text: true, tsv: true })
      .then(({ data }) => {
        const { timings, ocrImage } = data as unknown as { timings: WorkerTimings; ocrImage?: OcrImageSize };
        // Tesseract may have read a reduced image (preprocess.ts): boxes go back to the page's pixels.
        const page = { width, height };
        const words = scaleWords(wordsFromTsv(data.tsv ?? ''), ocrImage ?? page, page);
        return { text: data.text.normalize('NFC'), confidence: meanConfidence(words), words, timings };
      });
    const timed = withTimeout(
      Promise.race([work, died]),
      this.pageTimeoutMs,
      () => new OcrError('timeout', `page took over ${this.pageTimeoutMs} ms`, { page: task.label }, true),
    );
    timed.then(
      (page) => {
        slot.onDeath = null;
        slot.pages++;
        this.counters.pages++;
        this.log.debug('page-done', { worker: slot.id, job: task.label, ms: Date.now() - started });
        if (slot.pages >= this.recycleAfter) {
          this.counters.recycled++;
          void this.retire(slot);
        } else if (!slot.dead) this.idle.push(slot);
        task.resolve(page);
        this.pump();
      },
      (error: unknown) => {
        slot.onDeath = null;
        const crashed = error instanceof OcrError && error.retryable;
        this.log.warn('page-failed', {
          worker: slot.id,
          job: task.label,
          error: error instanceof Error ? error.message : String(error),
        });
        if (crashed) {
          // A dead or stuck worker is replaced; its WASM state cannot be trusted.
          this.counters.crashed++;
          void this.retire(slot);
          task.reject(error);
        } else {
          if (!slot.dead) this.idle.push(slot);
          // tesseract.js rejects with plain strings/Errors (e.g. unreadable image): retryable once more.
          task.reject(
            new OcrError(
              'engine-failed',
              String(error instanceof Error ? error.message : error),
              {
                page: task.label,
              },
              true,
            ),
          );
        }
        this.pump();
      },
    );
  }
}

/** Word boxes from the image Tesseract read to the page's pixels (rounded outwards, clamped to the page). */
export function scaleWords(
  words: OcrWord[],
  image: { width: number; height: number },
  page: { width: number; height: number },
): OcrWord[] {
  if (image.width === page.width && image.height === page.height) return words;
  const sx = page.width / image.width;
  const sy = page.height / image.height;
  return words.map((word) => ({
    ...word,
    bbox: {
      x0: Math.max(0, Math.floor(word.bbox.x0 * sx)),
      y0: Math.max(0, Math.floor(word.bbox.y0 * sy)),
      x1: Math.min(page.width, Math.ceil(word.bbox.x1 * sx)),
      y1: Math.min(page.height, Math.ceil(word.bbox.y1 * sy)),
    },
  }));
}

function withTimeout<T>(promise: Promise<T>, ms: number, makeError: () => Error): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(makeError()), ms);
    timer.unref();
  });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}
