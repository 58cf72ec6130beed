import { encodePnm } from '../imaging/pnm';
import type { RawPage } from '../imaging/raw-page';

/**
 * Page clean-up for OCR. Plain synchronous pixel loops on purpose: they run inside the OCR worker threads
 * (see ocr-worker.ts), next to the recognition they feed, never on the app's main thread.
 */

/** The image handed to Tesseract: a binary PGM (Leptonica reads it without decoding) plus the page's DPI. */
export interface OcrImage {
  bytes: Uint8Array;
  width: number;
  height: number;
  dpi: number;
  /** What was done to the page, for logs and the benchmark. */
  steps: string[];
}

/**
 * How much of a pixel's chroma (max − min channel) is added to its brightest channel. Red seal ink is bright
 * in its red channel and blue signature ink in its blue one, so `max` alone already lightens them; the
 * chroma term pushes them to paper white, while black text under a seal keeps low chroma and stays dark.
 * Measured on the corpus `stamp` pages: 0 → CER 1.05 %, 0.5 → 0.24 %, 1 → 0.45 %, 2 → 0.40 %.
 */
export const INK_CHROMA_WEIGHT = 0.5;

/**
 * Laplacian deviation (`laplacianDeviation`, sharp's `stats().sharpness` measure) above which a page counts
 * as noisy and gets a 3×3 median first. Corpus values on all rows: clean 4.2–4.6, scan 1.8–2.0, hard
 * 1.4–1.5, stamp 4.3–4.6, phone photo 8.1–8.2 (sampled every 8th row: photo 7.6–7.7, others ≤ 4.7). The median takes the photo pages from CER 9 % to < 1 % but
 * costs the crisp ones a little.
 */
export const NOISY_SHARPNESS = 6;

/**
 * Every n-th row is enough to tell noise from print: on the corpus, 1/8 of the rows moves the estimate by
 * under 0.6 (photo 8.1 → 7.6, everything else stays ≤ 4.7) for 1/8 of the work.
 */
const NOISE_SAMPLE_ROW_STEP = 8;

/** Grey plane in which red and blue ink (seals, signatures) fade to paper and black text stays black. */
export function suppressInkColours(page: RawPage): Uint8Array {
  if (page.channels === 1) return page.data;
  const { data } = page;
  const total = page.width * page.height;
  const out = new Uint8Array(total);
  // Integer form of min(255, max + (max − min) × 0.5): the same bytes as the float formula, rounded down.
  for (let i = 0, j = 0; i < total; i++, j += 3) {
    const r = data[j] as number;
    const g = data[j + 1] as number;
    const b = data[j + 2] as number;
    const hi = Math.max(r, g, b);
    const value = hi + ((hi - Math.min(r, g, b)) >> 1);
    out[i] = Math.min(value, 255);
  }
  return out;
}

/**
 * Standard deviation of the 4-neighbour Laplacian ÷ 9 over every `rowStep`-th row: with `rowStep` 1 it is
 * sharp's `stats().sharpness` but for the border pixels (±0.002 on an A4 page). Noise and grain raise it; clean print and blur keep it low.
 */
export function laplacianDeviation(
  grey: Uint8Array,
  width: number,
  height: number,
  rowStep = NOISE_SAMPLE_ROW_STEP,
): number {
  if (width < 3 || height < 3) return 0;
  let sum = 0;
  let sumSquares = 0;
  let count = 0;
  for (let y = 1; y < height - 1; y += rowStep) {
    const row = y * width;
    for (let x = 1; x < width - 1; x++) {
      const i = row + x;
      const laplacian =
        (grey[i - width] as number) +
        (grey[i + width] as number) +
        (grey[i - 1] as number) +
        (grey[i + 1] as number) -
        4 * (grey[i] as number);
      sum += laplacian;
      sumSquares += laplacian * laplacian;
      count++;
    }
  }
  if (count < 2) return 0;
  const mean = sum / count;
  return Math.sqrt(Math.max(0, (sumSquares - count * mean * mean) / (count - 1))) / 9;
}

/** 3×3 median with replicated edges (what libvips' `median(3)` does), by a 19-exchange sorting network. */
export function median3(grey: Uint8Array, width: number, height: number): Uint8Array {
  const out = new Uint8Array(width * height);
  for (let y = 0; y < height; y++) {
    const up = (y > 0 ? y - 1 : y) * width;
    const mid = y * width;
    const down = (y < height - 1 ? y + 1 : y) * width;
    for (let x = 0; x < width; x++) {
      const l = x > 0 ? x - 1 : x;
      const r = x < width - 1 ? x + 1 : x;
      let p0 = grey[up + l] as number;
      let p1 = grey[up + x] as number;
      let p2 = grey[up + r] as number;
      let p3 = grey[mid + l] as number;
      let p4 = grey[mid + x] as number;
      let p5 = grey[mid + r] as number;
      let p6 = grey[down + l] as number;
      let p7 = grey[down + x] as number;
      let p8 = grey[down + r] as number;
      let t: number;
      // Paeth's median-of-9 network (exchanges whose loser is never read again are cut to one assignment).
      if (p1 > p2) {
        t = p1;
        p1 = p2;
        p2 = t;
      }
      if (p4 > p5) {
        t = p4;
        p4 = p5;
        p5 = t;
      }
      if (p7 > p8) {
        t = p7;
        p7 = p8;
        p8 = t;
      }
      if (p0 > p1) {
        t = p0;
        p0 = p1;
        p1 = t;
      }
      if (p3 > p4) {
        t = p3;
        p3 = p4;
        p4 = t;
      }
      if (p6 > p7) {
        t = p6;
        p6 = p7;
        p7 = t;
      }
      if (p1 > p2) {
        t = p1;
        p1 = p2;
        p2 = t;
      }
      if (p4 > p5) {
        t = p4;
        p4 = p5;
        p5 = t;
      }
      if (p7 > p8) {
        t = p7;
        p7 = p8;
        p8 = t;
      }
      if (p0 > p3) p3 = p0;
      if (p5 > p8) p5 = p8;
      if (p4 > p7) {
        t = p4;
        p4 = p7;
        p7 = t;
      }
      if (p3 > p6) p6 = p3;
      if (p1 > p4) p4 = p1;
      if (p2 > p5) {
        t = p2;
        p2 = p5;
        p5 = t;
      }
      if (p4 > p7) p4 = p7;
      if (p4 > p2) {
        t = p4;
        p4 = p2;
        p2 = t;
      }
      if (p6 > p4) p4 = p6;
      if (p4 > p2) p4 = p2;
      out[mid + x] = p4;
    }
  }
  return out;
}

/**
 * Pages scanned finer than this are recognised at this resolution. Tesseract scales every text line to its
 * network's input height anyway, so extra pixels mostly cost thresholding and layout time. Measured on the
 * corpus' 300 dpi pages with the fast vie model (worker ms/page, mean CER), 300 → 200 dpi: clean 1352 →
 * 941 ms, 0.12 → 0.04 %; scan 1354 → 949 ms, 0.30 → 0.23 %; stamp 1437 → 1002 ms, 0.50 → 0.40 %.
 */
export const OCR_MAX_DPI = 200;
/** A page within 5 % of OCR_MAX_DPI is left alone: resampling it would blur for nothing. */
const DOWNSCALE_SLACK = 1.05;

/**
 * For each output cell along one axis, the source cells it covers and the share of each, packed without
 * zero weights: cell i reads sources `index[k]` with `weight[k]` for k in [start[i], start[i + 1]).
 */
function areaWeights(
  from: number,
  to: number,
): { start: Int32Array; index: Int32Array; weight: Float32Array } {
  const ratio = from / to;
  const start = new Int32Array(to + 1);
  const index: number[] = [];
  const weight: number[] = [];
  for (let i = 0; i < to; i++) {
    start[i] = index.length;
    const lo = i * ratio;
    const hi = Math.min(from, (i + 1) * ratio);
    for (let j = Math.floor(lo); j < hi; j++) {
      const share = (Math.min(hi, j + 1) - Math.max(lo, j)) / ratio;
      if (share <= 0) continue;
      index.push(j);
      weight.push(share);
    }
  }
  start[to] = index.length;
  return { start, index: Int32Array.from(index), weight: Float32Array.from(weight) };
}

/**
 * Area-average reduction of a grey plane: each output pixel is the mean of the source area it covers, as if
 * the page had been scanned at the lower resolution. Separable: rows first, then columns.
 */
export function downscaleArea(
  grey: Uint8Array,
  width: number,
  height: number,
  outWidth: number,
  outHeight: number,
): Uint8Array {
  if (outWidth > width || outHeight > height || outWidth < 1 || outHeight < 1) {
    throw new RangeError(`cannot area-reduce ${width}x${height} to ${outWidth}x${outHeight}`);
  }
  const h = areaWeights(width, outWidth);
  const v = areaWeights(height, outHeight);
  const rows = new Float32Array(outWidth * height);
  for (let y = 0; y < height; y++) {
    const src = y * width;
    const dst = y * outWidth;
    for (let x = 0; x < outWidth; x++) {
      let sum = 0;
      for (let k = h.start[x] as number, end = h.start[x + 1] as number; k < end; k++) {
        sum += (h.weight[k] as number) * (grey[src + (h.index[k] as number)] as number);
      }
      rows[dst + x] = sum;
    }
  }
  const out = new Uint8Array(outWidth * outHeight);
  const acc = new Float32Array(outWidth);
  for (let y = 0; y < outHeight; y++) {
    acc.fill(0);
    for (let k = v.start[y] as number, end = v.start[y + 1] as number; k < end; k++) {
      const w = v.weight[k] as number;
      const src = (v.index[k] as number) * outWidth;
      for (let x = 0; x < outWidth; x++) acc[x] = (acc[x] as number) + w * (rows[src + x] as number);
    }
    const dst = y * outWidth;
    for (let x = 0; x < outWidth; x++) out[dst + x] = Math.min(255, Math.round(acc[x] as number));
  }
  return out;
}

/**
 * Prepares a decoded page for Tesseract: colour ink suppressed on colour pages, a median on noisy pages
 * (decided by a sampled Laplacian, a few ms), then pages finer than OCR_MAX_DPI reduced to it (Tesseract
 * gets the DPI as `user_defined_dpi`). Grey pages skip the colour step entirely. The noise test and the
 * median run at the scanned resolution, where their thresholds were measured. `width`/`height` are the
 * image's as handed to Tesseract: word boxes must be scaled back by page.width / width (the pool does).
 */
export function prepareForOcr(page: RawPage): OcrImage {
  const { width, height, dpi } = page;
  const steps: string[] = [];
  let grey = suppressInkColours(page);
  if (page.channels === 3) steps.push('ink-suppressed');
  if (laplacianDeviation(grey, width, height) > NOISY_SHARPNESS) {
    grey = median3(grey, width, height);
    steps.push('median3');
  }
  if (dpi > OCR_MAX_DPI * DOWNSCALE_SLACK) {
    const outWidth = Math.max(1, Math.round((width * OCR_MAX_DPI) / dpi));
    const outHeight = Math.max(1, Math.round((height * OCR_MAX_DPI) / dpi));
    grey = downscaleArea(grey, width, height, outWidth, outHeight);
    steps.push('downscaled');
    return {
      bytes: encodePnm(grey, outWidth, outHeight, 1),
      width: outWidth,
      height: outHeight,
      dpi: OCR_MAX_DPI,
      steps,
    };
  }
  return { bytes: encodePnm(grey, width, height, 1), width, height, dpi, steps };
}
