import { RequestWorker, workerScript } from '../lifecycle/request-worker';
import type { ClassifyOptions, PageClassification } from './classify';
import type { EncodedPage } from './encoded-page';
import type { ImagingReply, ImagingRequest } from './imaging-worker';
import type { RawPage } from './raw-page';

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

  /** Sauvola threshold + CCITT G4. `page.data` is handed over (transferred) to the worker. */
  async encodeBlackAndWhite(page: RawPage): Promise<EncodedPage> {
    const reply = await this.worker.request({ op: 'encode-bw', page }, movable(page.data));
    if ('error' in reply) throw new Error(reply.error);
    if (!('encoded' in reply)) throw new Error('black-and-white encoding failed');
    return reply.encoded;
  }

  close(): Promise<void> {
    return this.worker.close();
  }
}
