import { toBlackAndWhite } from './binarize';
import { deskew as deskewPage } from './deskew';
import { encodePage } from './encode';
import type { EncodedPage } from './encoded-page';
import { DEFAULT_BLANK_THRESHOLD, measureInk } from './ink';
import { assertRawPage, type ColorMode, type RawPage, toGrayPage } from './raw-page';
import { detectSeparator, type SeparatorKind } from './separator';

export type ProcessedPage =
  | { kind: 'page'; page: RawPage; encoded: EncodedPage; deskewAngle: number; inkRatio: number }
  | { kind: 'blank'; inkRatio: number }
  | { kind: 'separator'; separator: SeparatorKind };

export interface ProcessOptions {
  /** Output mode: decides the pixels kept (`page`) and the compression (`encoded`). */
  mode: ColorMode;
  /** Straighten the page (default true). */
  deskew?: boolean;
  /** Ink ratio below which the page is dropped as blank; default DEFAULT_BLANK_THRESHOLD, null = keep all. */
  blankThreshold?: number | null;
  /** Look for separator sheets (PATCH-T, the desk's QR sheet) first (default false: costs ~0.1 s a page). */
  detectSeparators?: boolean;
}

/** Pixels in the requested mode, so OCR and the thumbnail see exactly what the PDF will hold. */
function inMode(page: RawPage, mode: ColorMode): RawPage {
  if (mode === 'gray') return toGrayPage(page);
  if (mode === 'bw') return toBlackAndWhite(page);
  return page;
}

/**
 * The clean-up pipeline for one page off the scanner: separator check → blank check → deskew → mode
 * conversion → compression. Pure JS work is ~0.2-0.5 s per 300 dpi A4 page (Sauvola, ink measure, G4), so
 * the scan service should run it in its worker thread, never on Electron's main thread.
 */
export async function processScannedPage(page: RawPage, options: ProcessOptions): Promise<ProcessedPage> {
  assertRawPage(page);
  if (options.detectSeparators) {
    const separator = await detectSeparator(page);
    if (separator) return { kind: 'separator', separator };
  }
  const { inkRatio } = measureInk(page);
  const threshold = options.blankThreshold === undefined ? DEFAULT_BLANK_THRESHOLD : options.blankThreshold;
  if (threshold !== null && inkRatio < threshold) return { kind: 'blank', inkRatio };

  const straight = options.deskew === false ? { page, angleDegrees: 0 } : await deskewPage(page);
  const converted = inMode(straight.page, options.mode);
  const encoded = await encodePage(converted, options.mode);
  return { kind: 'page', page: converted, encoded, deskewAngle: straight.angleDegrees, inkRatio };
}
