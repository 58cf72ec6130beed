import { RequestWorker, workerScript } from '../lifecycle/request-worker';
import {
  lentBuffer,
  type PageWriteReply,
  type PageWriteRequest,
  type PageWriterData,
} from './page-writer-protocol';

export interface WrittenPage {
  /** The page's memory, back from the writer thread. */
  bytes: Uint8Array;
  /** SHA-256 (hex) of the page's bytes: given, or computed by the writer. */
  sha256: string;
}

/**
 * Writes scanned pages into new files on a thread of its own: sealing (AES-GCM), writing and fsync cost the
 * app's main thread nothing, and no page-sized buffer is allocated or copied on the way (the page's memory
 * is lent to the thread and comes back). Against WebCrypto sealing and async writes from the main thread,
 * the scan bench's 10-page grey A4 batch went from about 500 to about 310 ms of CPU. The thread starts with
 * the first page and does not keep the process alive while idle.
 */
export class PageWriter {
  private readonly worker: RequestWorker<PageWriteRequest, PageWriteReply>;

  constructor(key: Uint8Array | undefined) {
    this.worker = new RequestWorker(
      'page writer',
      () =>
        workerScript(
          new URL('./page-writer-worker.mjs', import.meta.url),
          new URL('./page-writer-worker-entry.mjs', import.meta.url),
        ),
      { workerData: { key: key ?? null } satisfies PageWriterData },
    );
  }

  /**
   * Creates `path` (never over an existing file) with the page's stored form, fsync'd; on failure nothing is
   * left at `path`. `bytes` is lent to the writer: do not touch it until the promise settles, then use the
   * view it gives back (same memory). On failure the error carries the view as `bytes`. Without `sha256`
   * the writer hashes the page first (it names the file and is the sealed file's additional data).
   */
  async write(path: string, bytes: Uint8Array, sha256?: string): Promise<WrittenPage> {
    const reply = await this.worker.request(
      { path, bytes, ...(sha256 ? { sha256 } : {}) },
      lentBuffer(bytes),
    );
    if ('error' in reply)
      throw Object.assign(new Error(reply.error.message), { code: reply.error.code, bytes: reply.bytes });
    return { bytes: reply.bytes, sha256: reply.sha256 };
  }

  close(): Promise<void> {
    return this.worker.close();
  }
}
