import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { Worker } from 'node:worker_threads';
import type { ClassifyOptions, PageClassification } from './classify';
import type { EncodedPage } from './encoded-page';
import type { ImagingReply, ImagingRequest } from './imaging-worker';
import type { RawPage } from './raw-page';

function workerUrl(): URL {
  const bundled = new URL('./imaging-worker.mjs', import.meta.url);
  if (bundled.protocol === 'file:' && existsSync(fileURLToPath(bundled))) return bundled;
  return new URL('./imaging-worker-entry.mjs', import.meta.url);
}

type Pending = { resolve: (reply: ImagingReply) => void; reject: (e: Error) => void };

/** A whole buffer can be moved to the worker; a view into a larger one is copied. */
function movable(bytes: Uint8Array): ArrayBuffer[] {
  return bytes.byteOffset === 0 &&
    bytes.byteLength === bytes.buffer.byteLength &&
    bytes.buffer instanceof ArrayBuffer
    ? [bytes.buffer]
    : [];
}

/**
 * The desk's imaging thread: classifies stored pages (blank / separator / page) and encodes black-and-white
 * pages, so neither Electron's main process nor the web host stalls for the ~0.5 s a 300 dpi page takes. It
 * starts with the first request and does not keep the process alive while it has nothing to do.
 */
export class ImagingThread {
  private worker: Worker | null = null;
  private nextId = 1;
  private readonly pending = new Map<number, Pending>();

  /** `bytes` are handed over (transferred) to the worker: the caller must not use them afterwards. */
  async classify(bytes: Uint8Array, dpi: number, options: ClassifyOptions): Promise<PageClassification> {
    const reply = await this.request({ op: 'classify', id: 0, bytes, dpi, options }, movable(bytes));
    if (!('classification' in reply)) throw new Error('classification failed');
    return reply.classification;
  }

  /** Sauvola threshold + CCITT G4. `page.data` is handed over (transferred) to the worker. */
  async encodeBlackAndWhite(page: RawPage): Promise<EncodedPage> {
    const reply = await this.request({ op: 'encode-bw', id: 0, page }, movable(page.data));
    if (!('encoded' in reply)) throw new Error('black-and-white encoding failed');
    return reply.encoded;
  }

  async close(): Promise<void> {
    const worker = this.worker;
    this.worker = null;
    await worker?.terminate();
  }

  private request(request: ImagingRequest, transfer: ArrayBuffer[]): Promise<ImagingReply> {
    const worker = this.start();
    const id = this.nextId++;
    return new Promise((resolve, reject) => {
      this.pending.set(id, { resolve, reject });
      worker.ref();
      worker.postMessage({ ...request, id }, transfer);
    });
  }

  private start(): Worker {
    if (this.worker) return this.worker;
    const worker = new Worker(workerUrl());
    worker.on('message', (reply: ImagingReply) => {
      const waiting = this.pending.get(reply.id);
      if (!waiting) return;
      this.pending.delete(reply.id);
      if ('error' in reply) waiting.reject(new Error(reply.error));
      else waiting.resolve(reply);
      if (this.pending.size === 0) worker.unref();
    });
    worker.on('error', (error) => this.failAll(error));
    worker.on('exit', () => {
      if (this.worker === worker) this.worker = null;
      this.failAll(new Error('imaging worker stopped'));
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
