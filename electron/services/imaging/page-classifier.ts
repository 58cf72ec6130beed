import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { Worker } from 'node:worker_threads';
import type { ClassifyOptions, PageClassification } from './classify';
import type { ClassifyRequest } from './classify-worker';

function workerUrl(): URL {
  const bundled = new URL('./classify-worker.mjs', import.meta.url);
  if (bundled.protocol === 'file:' && existsSync(fileURLToPath(bundled))) return bundled;
  return new URL('./classify-worker-entry.mjs', import.meta.url);
}

type Pending = { resolve: (r: PageClassification) => void; reject: (e: Error) => void };

/**
 * Classifies stored pages (blank / separator / page) in one worker thread, so neither Electron's main
 * process nor the web host stalls for the ~0.5 s a 300 dpi page takes. The worker does not keep the process
 * alive while it has nothing to do.
 */
export class PageClassifier {
  private worker: Worker | null = null;
  private nextId = 1;
  private readonly pending = new Map<number, Pending>();

  /** `bytes` are handed over (transferred) to the worker: the caller must not use them afterwards. */
  classify(bytes: Uint8Array, dpi: number, options: ClassifyOptions): Promise<PageClassification> {
    const worker = this.start();
    const id = this.nextId++;
    return new Promise((resolve, reject) => {
      this.pending.set(id, { resolve, reject });
      worker.ref();
      const transfer = bytes.byteOffset === 0 && bytes.byteLength === bytes.buffer.byteLength;
      worker.postMessage(
        { id, bytes, dpi, options } satisfies ClassifyRequest,
        transfer ? [bytes.buffer as ArrayBuffer] : [],
      );
    });
  }

  async close(): Promise<void> {
    const worker = this.worker;
    this.worker = null;
    await worker?.terminate();
  }

  private start(): Worker {
    if (this.worker) return this.worker;
    const worker = new Worker(workerUrl());
    worker.on('message', (message: { id: number; result?: PageClassification; error?: string }) => {
      const waiting = this.pending.get(message.id);
      if (!waiting) return;
      this.pending.delete(message.id);
      if (message.result) waiting.resolve(message.result);
      else waiting.reject(new Error(message.error ?? 'classification failed'));
      if (this.pending.size === 0) worker.unref();
    });
    worker.on('error', (error) => this.failAll(error));
    worker.on('exit', () => {
      if (this.worker === worker) this.worker = null;
      this.failAll(new Error('classification worker stopped'));
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
