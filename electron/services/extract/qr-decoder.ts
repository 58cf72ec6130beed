import { Worker } from 'node:worker_threads';

/**
 * Client of the QR worker thread (qr-worker.mjs). One worker, started on first use, kept while calls
 * are pending and unreferenced when idle, so a CLI run exits by itself and the app keeps it warm.
 */

export interface QrSymbol {
  /** Raw content bytes (CCCD payloads are UTF-8). */
  bytes: Uint8Array;
  /** ZXing's own text rendering, used only when the bytes are not UTF-8. */
  text: string;
  format: string;
}

export interface PixelQuery {
  width: number;
  height: number;
  /** One byte per pixel, row-major. Transferred to the worker (the buffer is detached afterwards). */
  grey: Uint8Array;
  options?: Record<string, unknown>;
}

interface Pending {
  resolve: (symbols: QrSymbol[]) => void;
  reject: (error: Error) => void;
}

type Reply = { id: number; results: QrSymbol[] } | { id: number; error: string };

class QrWorkerClient {
  private readonly worker: Worker;
  private readonly pending = new Map<number, Pending>();
  private nextId = 1;

  constructor(onGone: () => void) {
    this.worker = new Worker(new URL('./qr-worker.mjs', import.meta.url));
    this.worker.unref();
    this.worker.on('message', (reply: Reply) => {
      const call = this.pending.get(reply.id);
      if (!call) return;
      this.pending.delete(reply.id);
      if (this.pending.size === 0) this.worker.unref();
      if ('error' in reply) call.reject(new Error(`QR reader failed: ${reply.error}`));
      else call.resolve(reply.results.map((r) => ({ ...r, bytes: new Uint8Array(r.bytes) })));
    });
    const failAll = (error: Error) => {
      onGone();
      for (const call of this.pending.values()) call.reject(error);
      this.pending.clear();
    };
    this.worker.on('error', (error) => failAll(error));
    this.worker.on('exit', (code) => failAll(new Error(`QR worker exited with code ${code}`)));
  }

  read(query: PixelQuery): Promise<QrSymbol[]> {
    const id = this.nextId++;
    return new Promise((resolve, reject) => {
      this.pending.set(id, { resolve, reject });
      this.worker.ref();
      const grey = query.grey.buffer.slice(
        query.grey.byteOffset,
        query.grey.byteOffset + query.grey.byteLength,
      );
      this.worker.postMessage(
        { id, width: query.width, height: query.height, grey, options: query.options ?? {} },
        [grey as ArrayBuffer],
      );
    });
  }

  terminate(): Promise<number> {
    return this.worker.terminate();
  }
}

let client: QrWorkerClient | null = null;

/** Finds QR symbols in a grey pixel buffer, off the calling thread. */
export function readQrSymbols(query: PixelQuery): Promise<QrSymbol[]> {
  if (!client) {
    const created = new QrWorkerClient(() => {
      if (client === created) client = null;
    });
    client = created;
  }
  return client.read(query);
}

/** Stops the worker (app shutdown, tests). The next read starts a new one. */
export async function closeQrDecoder(): Promise<void> {
  const current = client;
  client = null;
  if (current) await current.terminate();
}
