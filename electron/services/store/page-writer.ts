import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { Worker } from 'node:worker_threads';
import type { PageWriteReply, PageWriteRequest, PageWriterData } from './page-writer-worker';

function workerUrl(): URL {
  const bundled = new URL('./page-writer-worker.mjs', import.meta.url);
  if (bundled.protocol === 'file:' && existsSync(fileURLToPath(bundled))) return bundled;
  return new URL('./page-writer-worker-entry.mjs', import.meta.url);
}

/** The buffer behind `bytes`, to move (not copy) between threads; shared memory needs no moving. */
export function lentBuffer(bytes: Uint8Array): ArrayBuffer[] {
  return bytes.buffer instanceof ArrayBuffer && bytes.buffer.byteLength > 0 ? [bytes.buffer] : [];
}

export interface WrittenPage {
  /** The page's memory, back from the writer thread. */
  bytes: Uint8Array;
  /** SHA-256 (hex) of the page's bytes: given, or computed by the writer. */
  sha256: string;
}

type Pending = { resolve: (page: WrittenPage) => void; reject: (error: Error) => void };

/**
 * Writes scanned pages into new files on a thread of its own: sealing (AES-GCM), writing and fsync cost the
 * app's main thread nothing, and no page-sized buffer is allocated or copied on the way (the page's memory
 * is lent to the thread and comes back). Against WebCrypto sealing and async writes from the main thread,
 * the scan bench's 10-page grey A4 batch went from about 500 to about 310 ms of CPU. The thread starts with
 * the first page and does not keep the process alive while idle.
 */
export class PageWriter {
  private worker: Worker | null = null;
  private nextId = 1;
  private readonly pending = new Map<number, Pending>();

  constructor(private readonly key: Uint8Array | undefined) {}

  /**
   * Creates `path` (never over an existing file) with the page's stored form, fsync'd; on failure nothing is
   * left at `path`. `bytes` is lent to the writer: do not touch it until the promise settles, then use the
   * view it gives back (same memory). On failure the error carries the view as `bytes`. Without `sha256`
   * the writer hashes the page first (it names the file and is the sealed file's additional data).
   */
  write(path: string, bytes: Uint8Array, sha256?: string): Promise<WrittenPage> {
    const worker = this.start();
    const id = this.nextId++;
    return new Promise((resolve, reject) => {
      this.pending.set(id, { resolve, reject });
      worker.ref();
      const request: PageWriteRequest = { id, path, bytes, ...(sha256 ? { sha256 } : {}) };
      worker.postMessage(request, lentBuffer(bytes));
    });
  }

  async close(): Promise<void> {
    const worker = this.worker;
    this.worker = null;
    await worker?.terminate();
  }

  private start(): Worker {
    if (this.worker) return this.worker;
    const worker = new Worker(workerUrl(), {
      workerData: { key: this.key ?? null } satisfies PageWriterData,
    });
    worker.on('message', (reply: PageWriteReply) => {
      const waiting = this.pending.get(reply.id);
      if (!waiting) return;
      this.pending.delete(reply.id);
      if ('error' in reply) {
        waiting.reject(
          Object.assign(new Error(reply.error.message), { code: reply.error.code, bytes: reply.bytes }),
        );
      } else waiting.resolve({ bytes: reply.bytes, sha256: reply.sha256 });
      if (this.pending.size === 0) worker.unref();
    });
    worker.on('error', (error) => this.failAll(error));
    worker.on('exit', () => {
      if (this.worker === worker) this.worker = null;
      this.failAll(new Error('page writer stopped'));
    });
    worker.unref();
    this.worker = worker;
    return worker;
  }

  private failAll(error: Error): void {
    for (const waiting of this.pending.values()) waiting.reject(error);
    this.pending.clear();
  }
}
