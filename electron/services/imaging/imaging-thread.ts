import { RequestWorker, workerScript } from '../lifecycle/request-worker';
import type { ClassifyOptions, PageClassification } from './classify';
import type { ImagingReply, ImagingRequest, PreparedPage } from './imaging-worker';
import type { ColorMode, RawPage } from './raw-page';

/** A whole buffer can be moved to the worker; a view into a larger one is copied. */
function movable(bytes: Uint8Array): ArrayBuffer[] {
  return bytes.byteOffset === 0 &&
    bytes.byteLength === bytes.buffer.byteLength &&
    bytes.buffer instanceof ArrayBuffer
    ? [bytes.buffer]
    : [];
}

/**
 * The desk's imaging thread: classifies stored pages (blank / separator / page) and prepares pages for PDFs
 * (deskew, black-and-white encoding), so neither Electron's main process nor the web host stalls for the
 * ~0.5 s a 300 dpi page takes. It
 * starts with the first request and does not keep the process alive while it has nothing to do.
 */
export class ImagingThread {
  private readonly worker = new RequestWorker<ImagingRequest, ImagingReply>('imaging worker', () =>
    workerScript(
      new URL('./imaging-worker.mjs', import.meta.url),
      new URL('./imaging-worker-entry.mjs', import.meta.url),
    ),
  );

  /** `bytes` are handed over (transferred) to the worker: the caller must not use them afterwards. */
  async classify(bytes: Uint8Array, dpi: number, options: ClassifyOptions): Promise<PageClassification> {
    const reply = await this.worker.request({ op: 'classify', bytes, dpi, options }, movable(bytes));
    if ('error' in reply) throw new Error(reply.error);
    if (!('classification' in reply)) throw new Error('classification failed');
    return reply.classification;
  }

  /**
   * The page straightened (when `deskew`: skew measured and corrected, as a crooked sheet through the feeder
   * needs) and encoded in `mode` for a PDF. `page.data` is handed over (transferred) to the worker.
   */
  async preparePage(page: RawPage, mode: ColorMode, { deskew }: { deskew: boolean }): Promise<PreparedPage> {
    const reply = await this.worker.request({ op: 'prepare', page, mode, deskew }, movable(page.data));
    if ('error' in reply) throw new Error(reply.error);
    if (!('prepared' in reply)) throw new Error('page preparation failed');
    return reply.prepared;
  }

  close(): Promise<void> {
    return this.worker.close();
  }
}
