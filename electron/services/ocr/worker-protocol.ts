import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { OcrError } from './errors';

/**
 * What the pool and its worker threads (ocr-worker.ts) agree on. A page travels as its raw pixels in
 * tesseract.js's `image` slot, with its geometry under this option key (the `tessjs_` prefix keeps it out
 * of Tesseract's own parameters); the worker turns it into the image Tesseract reads.
 */
export const RAW_PAGE_OPTION = 'tessjs_motcua_raw_page';

export interface RawPageGeometry {
  width: number;
  height: number;
  channels: 1 | 3;
  dpi: number;
}

/** Where a page's time went inside the worker; added to tesseract.js's result as `timings`. */
export interface WorkerTimings {
  /** Clean-up done to the page (`ink-suppressed`, `median3`, `downscaled`). */
  steps: string[];
  prepareMs: number;
  recognizeMs: number;
}

/** The image Tesseract actually read (after clean-up and any reduction); added to the result as `ocrImage`. */
export interface OcrImageSize {
  width: number;
  height: number;
  dpi: number;
}

/**
 * The worker script: the bundled `ocr-worker.mjs` next to the main bundle in a build, else the TypeScript
 * source through tsx (dev, tests, CLI).
 */
export function ocrWorkerPath(): string {
  for (const name of ['./ocr-worker.mjs', './ocr-worker-entry.mjs']) {
    const url = new URL(name, import.meta.url);
    if (url.protocol === 'file:' && existsSync(fileURLToPath(url))) return fileURLToPath(url);
  }
  // A build that forgot to emit the worker (electron/build.mjs): say so instead of timing out at spawn.
  throw new OcrError('engine-failed', `OCR worker script not found next to ${import.meta.url}`);
}
