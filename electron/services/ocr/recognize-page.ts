import { decodeImageFile } from '../imaging/decode';
import type { RawPage } from '../imaging/raw-page';
import type { OcrPageResult } from './types';
import type { OcrPool } from './worker-pool';

/** OCR of a decoded page (the pool's worker does the clean-up). Boxes are in `page`'s pixels. */
export async function recognizeRawPage(pool: OcrPool, page: RawPage, label = ''): Promise<OcrPageResult> {
  const started = performance.now();
  const recognized = await pool.recognize(page, label);
  return {
    ...recognized,
    width: page.width,
    height: page.height,
    dpi: page.dpi,
    ms: Math.round(performance.now() - started),
  };
}

/**
 * OCR of an image file's bytes (PNG, JPEG, TIFF). Throws ImagingError (with a Vietnamese clerkMessage) for
 * anything that is not a usable page image: empty, corrupt, not an image, absurdly large.
 */
export async function recognizeImageBytes(
  pool: OcrPool,
  bytes: Uint8Array,
  label = '',
): Promise<{ page: RawPage; result: OcrPageResult }> {
  const started = performance.now();
  const page = await decodeImageFile(bytes);
  const result = await recognizeRawPage(pool, page, label);
  return { page, result: { ...result, ms: Math.round(performance.now() - started) } };
}
