import { parentPort } from 'node:worker_threads';
import { type ClassifyOptions, classifyPage, type PageClassification } from './classify';
import { decodeImageFile } from './decode';
import { encodeBlackAndWhite } from './encode';
import type { EncodedPage } from './encoded-page';
import type { RawPage } from './raw-page';

/**
 * Pure-JavaScript imaging off the main thread: page classification (ink measurement and barcode search on
 * full pages) and black-and-white encoding (Sauvola threshold + CCITT G4, 0.2–0.5 s a 300 dpi page).
 * libvips work (JPEG, rotation, thumbnails) needs no thread of ours: sharp runs it on its own.
 */
export type ImagingRequest =
  | {
      op: 'classify';
      id: number;
      /** The page file's bytes (PNM, PNG, JPEG, TIFF…), already opened from the blob store. */
      bytes: Uint8Array;
      dpi: number;
      options: ClassifyOptions;
    }
  | { op: 'encode-bw'; id: number; page: RawPage };

export type ImagingReply =
  | { id: number; classification: PageClassification }
  | { id: number; encoded: EncodedPage }
  | { id: number; error: string };

async function answer(request: ImagingRequest): Promise<{ reply: ImagingReply; transfer: ArrayBuffer[] }> {
  if (request.op === 'classify') {
    const page = await decodeImageFile(request.bytes, { dpi: request.dpi });
    return {
      reply: { id: request.id, classification: await classifyPage(page, request.options) },
      transfer: [],
    };
  }
  const encoded = encodeBlackAndWhite(request.page);
  const out = encoded.bytes.buffer;
  return { reply: { id: request.id, encoded }, transfer: out instanceof ArrayBuffer ? [out] : [] };
}

parentPort?.on('message', async (request: ImagingRequest) => {
  try {
    const { reply, transfer } = await answer(request);
    parentPort?.postMessage(reply, transfer);
  } catch (error) {
    parentPort?.postMessage({ id: request.id, error: (error as Error).message } satisfies ImagingReply);
  }
});
