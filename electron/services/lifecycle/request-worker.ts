import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { Worker, type WorkerOptions } from 'node:worker_threads';

/** The bundled worker script next to the app's bundle when there is one, else its source's dev entry. */
export function workerScript(bundled: URL, devEntry: URL): URL {
  if (bundled.protocol === 'file:' && existsSync(fileURLToPath(bundled))) return bundled;
  return devEntry;
}

type WithoutId<T> = T extends unknown ? Omit<T, 'id'> : never;
type Pending<Reply> = { resolve: (reply: Reply) => void; reject: (error: Error) => void };

/**
 * A worker thread that answers requests by id. It starts with the first request and does not keep the process
 * alive while nothing is pending. The reply is the worker's message with the request's id, for the caller to
 * read; when the thread stops, every pending request fails with `<name> stopped`.
 */
export class RequestWorker<Request extends { id: number }, Reply extends { id: number }> {
  private worker: Worker | null = null;
  private nextId = 1;
  private readonly pending = new Map<number, Pending<Reply>>();

  constructor(
    private readonly name: string,
    private readonly script: () => URL,
    private readonly options: WorkerOptions = {},
  ) {}

  /** Sends the request (buffers in `transfer` are moved, not copied) and resolves with the reply. */
  request(message: WithoutId<Request>, transfer: ArrayBuffer[] = []): Promise<Reply> {
    const worker = this.start();
    const id = this.nextId++;
    return new Promise((resolve, reject) => {
      this.pending.set(id, { resolve, reject });
      worker.ref();
      worker.postMessage({ ...message, id }, transfer);
    });
  }

  async close(): Promise<void> {
    const worker = this.worker;
    this.worker = null;
    await worker?.terminate();
  }

  private start(): Worker {
    if (this.worker) return this.worker;
    const worker = new Worker(this.script(), this.options);
    worker.on('message', (reply: Reply) => {
      const waiting = this.pending.get(reply.id);
      if (!waiting) return;
      this.pending.delete(reply.id);
      waiting.resolve(reply);
      if (this.pending.size === 0) worker.unref();
    });
    worker.on('error', (error) => this.failAll(error));
    worker.on('exit', () => {
      if (this.worker === worker) this.worker = null;
      this.failAll(new Error(`${this.name} stopped`));
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
