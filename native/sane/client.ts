import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { Worker } from 'node:worker_threads';
import { locateLibsane } from './locate';
import type {
  PageFileSink,
  SaneRequest,
  SaneResults,
  WorkerData,
  WorkerInbound,
  WorkerOutbound,
} from './protocol';
import type { SaneOptionDescriptor, SaneValue } from './types';
import { saneStatusName } from './types';

/** A libsane call failed; `status` is the SANE_Status when the backend gave one. */
export class SaneError extends Error {
  override name = 'SaneError';
  constructor(
    readonly operation: string,
    readonly status: number | undefined,
    message: string,
  ) {
    super(message);
  }
  get statusName(): string | undefined {
    return this.status === undefined ? undefined : saneStatusName(this.status);
  }
}

export interface SaneClientOptions {
  /** Path of libsane; default: `locateLibsane(env)`. */
  libraryPath?: string;
  /** Points libsane at another configuration folder (e.g. the `test` backend). */
  saneConfigDir?: string;
  /** Worker entry; default: the bundled `sane-worker.mjs` when present, else the tsx bootstrap. */
  workerUrl?: URL;
  env?: NodeJS.ProcessEnv;
}

export type ProgressListener = (bytesRead: number, totalBytes: number | null) => void;

interface Pending {
  resolve: (value: unknown) => void;
  reject: (error: Error) => void;
  onProgress?: ProgressListener;
}

function defaultWorkerUrl(): URL {
  // A bundled build places the compiled worker next to the bundle; from source, tsx compiles worker.ts.
  const bundled = new URL('./sane-worker.mjs', import.meta.url);
  if (bundled.protocol === 'file:' && existsSync(fileURLToPath(bundled))) return bundled;
  return new URL('./worker-entry.mjs', import.meta.url);
}

/**
 * Talks to the libsane worker. libsane is process-global, so use `SaneClient.shared()`: one worker (one owner
 * of libsane) per process. Every call is async and never blocks the calling thread; the worker is unref'd
 * while idle so it never keeps a CLI process alive.
 */
export class SaneClient {
  private static instance: SaneClient | null = null;

  /** The process-wide client; options apply only when it is first created. */
  static shared(options: SaneClientOptions = {}): SaneClient {
    SaneClient.instance ??= new SaneClient(options);
    return SaneClient.instance;
  }

  /** Stops the process-wide worker (sane_exit); the next `shared()` starts a new one. */
  static async shutdownShared(): Promise<void> {
    const instance = SaneClient.instance;
    SaneClient.instance = null;
    await instance?.close();
  }

  private worker: Worker | null = null;
  private readonly pending = new Map<number, Pending>();
  private nextId = 1;

  constructor(private readonly config: SaneClientOptions = {}) {}

  /** The libsane path this client would use, or null when SANE is not installed. */
  get libraryPath(): string | null {
    return this.config.libraryPath ?? locateLibsane(this.config.env);
  }

  list(localOnly = false): Promise<SaneResults['list']> {
    return this.request({ op: 'list', localOnly });
  }

  open(device: string): Promise<SaneResults['open']> {
    return this.request({ op: 'open', device });
  }

  options(handle: number): Promise<SaneOptionDescriptor[]> {
    return this.request({ op: 'options', handle });
  }

  set(handle: number, name: string, value: SaneValue | { auto: true }): Promise<SaneResults['set']> {
    return this.request({ op: 'set', handle, name, value });
  }

  /**
   * Scans one page. With a `sink`, a page the worker can stream comes back as a fsync'd temp file in
   * `sink.dir` (kind 'file'); otherwise as bytes in memory (kind 'page').
   */
  scanPage(
    handle: number,
    onProgress?: ProgressListener,
    sink?: PageFileSink,
  ): Promise<SaneResults['scan-page']> {
    return this.request({ op: 'scan-page', handle, ...(sink ? { sink } : {}) }, onProgress);
  }

  /** Interrupts a page in flight (sane_cancel now, not after the queue). */
  cancel(handle: number): Promise<null> {
    return this.request({ op: 'cancel', handle });
  }

  /**
   * Hands a page's memory back to the worker for the next page (saves a page fault per 4 KiB). Only call it
   * when nothing holds the page's bytes any more: the buffer is detached here.
   */
  recycle(page: Uint8Array): void {
    const buffer = page.buffer;
    if (!this.worker || !(buffer instanceof ArrayBuffer) || buffer.byteLength === 0) return;
    this.worker.postMessage({ op: 'recycle', buffer }, [buffer]);
  }

  /** Ends an ADF batch normally (sane_cancel between scans). */
  end(handle: number): Promise<null> {
    return this.request({ op: 'end', handle });
  }

  closeDevice(handle: number): Promise<null> {
    return this.request({ op: 'close', handle });
  }

  /** sane_exit and stop the worker. */
  async close(): Promise<void> {
    const worker = this.worker;
    if (!worker) return;
    try {
      await this.request({ op: 'exit' });
    } catch {
      // The worker is going away anyway.
    }
    this.worker = null;
    await worker.terminate();
  }

  private request<K extends SaneRequest['op']>(
    request: Extract<SaneRequest, { op: K }>,
    onProgress?: ProgressListener,
  ): Promise<SaneResults[K]> {
    let worker: Worker;
    try {
      worker = this.ensureWorker();
    } catch (error) {
      return Promise.reject(error);
    }
    const id = this.nextId++;
    return new Promise<SaneResults[K]>((resolve, reject) => {
      this.pending.set(id, { resolve: resolve as (value: unknown) => void, reject, onProgress });
      worker.ref();
      worker.postMessage({ id, ...request } satisfies WorkerInbound);
    });
  }

  private ensureWorker(): Worker {
    if (this.worker) return this.worker;
    const libraryPath = this.libraryPath;
    if (!libraryPath) throw new SaneError('locate', undefined, 'libsane is not installed');
    const saneConfigDir = this.config.saneConfigDir ?? this.config.env?.SANE_CONFIG_DIR;
    const data: WorkerData = { libraryPath, ...(saneConfigDir ? { saneConfigDir } : {}) };
    const worker = new Worker(this.config.workerUrl ?? defaultWorkerUrl(), {
      workerData: data,
      // Inherit no loader flags: the entry registers what it needs.
      execArgv: [],
    });
    worker.unref();
    worker.on('message', (message: WorkerOutbound) => this.onMessage(message));
    const failAll = (error: Error) => {
      if (this.worker === worker) this.worker = null;
      for (const [id, pending] of this.pending) {
        this.pending.delete(id);
        pending.reject(error);
      }
    };
    worker.on('error', (error) =>
      failAll(new SaneError('worker', undefined, `libsane worker failed: ${error.message}`)),
    );
    worker.on('exit', (code) =>
      failAll(new SaneError('worker', undefined, `libsane worker exited (${code})`)),
    );
    this.worker = worker;
    return worker;
  }

  private onMessage(message: WorkerOutbound): void {
    const pending = this.pending.get(message.id);
    if (!pending) return;
    if (message.type === 'progress') {
      pending.onProgress?.(message.bytesRead, message.totalBytes);
      return;
    }
    this.pending.delete(message.id);
    if (this.pending.size === 0) this.worker?.unref();
    if (message.type === 'result') pending.resolve(message.result);
    else pending.reject(new SaneError(message.error.operation, message.error.status, message.error.message));
  }
}
