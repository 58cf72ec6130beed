import { parentPort } from 'node:worker_threads';
import { type ClassifyOptions, classifyPage, type PageClassification } from './classify';
import { decodeImageFile } from './decode';
import { deskew } from './deskew';
import { encodePage } from './encode';
import type { EncodedPage } from './encoded-page';
import type { ColorMode, RawPage } from './raw-page';

/**
 * Page work with pure-JavaScript parts, off the main thread: classification (ink measurement and barcode
 * search on full pages) and preparing a page for a PDF (skew measured on a Sauvola-binarised copy, and the
 * black-and-white encoding: Sauvola + CCITT G4, 0.2–0.5 s a 300 dpi page). Its libvips steps (rotation,
 * JPEG) run on sharp's own threads as anywhere else.
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
  | { op: 'prepare'; id: number; page: RawPage; mode: ColorMode; deskew: boolean };

/** A page ready for a PDF: straightened (when asked) and encoded in its mode. */
export interface PreparedPage {
  encoded: EncodedPage;
  /** The skew measured and corrected, in degrees (0 when not asked, or below the correction threshold). */
  deskewAngle: number;
}

export type ImagingReply =
  | { id: number; classification: PageClassification }
  | { id: number; prepared: PreparedPage }
  | { id: number; error: string };

async function answer(request: ImagingRequest): Promise<{ reply: ImagingReply; transfer: ArrayBuffer[] }> {
  if (request.op === 'classify') {
    const page = await decodeImageFile(request.bytes, { dpi: request.dpi });
    return {
      reply: { id: request.id, classification: await classifyPage(page, request.options) },
      transfer: [],
    };
  }
  const straight = request.deskew ? await deskew(request.page) : { page: request.page, angleDegrees: 0 };
  const encoded = await encodePage(straight.page, request.mode);
  const out = encoded.bytes.buffer;
  return {
    reply: { id: request.id, prepared: { encoded, deskewAngle: straight.angleDegrees } },
    transfer: out instanceof ArrayBuffer ? [out] : [],
  };
}

parentPort?.on('message', async (request: ImagingRequest) => {
  try {
    const { reply, transfer } = await answer(request);
    parentPort?.postMessage(reply, transfer);
  } catch (error) {
    parentPort?.postMessage({ id: request.id, error: (error as Error).message } satisfies ImagingReply);
  }
});
