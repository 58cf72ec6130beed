import { sauvolaThreshold, sauvolaWindow } from './binarize';
import { assertRawPage, grayPlane, type RawPage } from './raw-page';

/**
 * Default blank-page threshold: a page whose ink covers less than 0.02 % of its area is blank. That is
 * about 160 ink pixels at 100 dpi, i.e. a 2 cm pen stroke: a single short handwritten line (a signature,
 * "Đã nhận") counts as content, while noise and bleed-through, filtered out below, score ~0.
 */
export const DEFAULT_BLANK_THRESHOLD = 0.0002;

/** Resolution ink is measured at: fine enough for a pen stroke, coarse enough to average sensor noise away. */
const INK_DPI = 100;
/** Ink must be this much darker than its surroundings (0-255): bleed-through and paper texture are not. */
const MIN_INK_CONTRAST = 40;
/** Blobs smaller than this (pixels at INK_DPI, ≈ 1 mm²) are dust, toner specks or punch-hole crumbs. */
const MIN_BLOB_PIXELS = 12;
/** Border strip ignored on every side: ADF scans show the paper edge, shadows and holder marks there. */
const MARGIN_FRACTION = 0.03;

/** Box-averages a grey plane by an integer factor (cheap, and it is what averages sensor noise away). */
function boxDownscale(gray: Uint8Array, width: number, height: number, factor: number) {
  const w = Math.floor(width / factor);
  const h = Math.floor(height / factor);
  const out = new Uint8Array(w * h);
  const sums = new Uint32Array(w);
  const area = factor * factor;
  for (let y = 0; y < h; y++) {
    sums.fill(0);
    for (let dy = 0; dy < factor; dy++) {
      const row = (y * factor + dy) * width;
      for (let x = 0, src = row; x < w; x++) {
        let s = 0;
        for (let dx = 0; dx < factor; dx++, src++) s += gray[src] as number;
        sums[x] = (sums[x] as number) + s;
      }
    }
    for (let x = 0; x < w; x++) out[y * w + x] = Math.round((sums[x] as number) / area);
  }
  return { data: out, width: w, height: h };
}

/** Local mean over the Sauvola window, for the contrast test (same O(pixels) sliding sums). */
function boxMean(gray: Uint8Array, width: number, height: number, radius: number): Float32Array {
  const horizontal = new Float32Array(width * height);
  for (let y = 0; y < height; y++) {
    const row = y * width;
    let sum = 0;
    let n = 0;
    for (let x = 0; x < Math.min(radius, width); x++, n++) sum += gray[row + x] as number;
    for (let x = 0; x < width; x++) {
      if (x + radius < width) {
        sum += gray[row + x + radius] as number;
        n++;
      }
      if (x - radius - 1 >= 0) {
        sum -= gray[row + x - radius - 1] as number;
        n--;
      }
      horizontal[row + x] = sum / n;
    }
  }
  const out = new Float32Array(width * height);
  for (let x = 0; x < width; x++) {
    let sum = 0;
    let n = 0;
    for (let y = 0; y < Math.min(radius, height); y++, n++) sum += horizontal[y * width + x] as number;
    for (let y = 0; y < height; y++) {
      if (y + radius < height) {
        sum += horizontal[(y + radius) * width + x] as number;
        n++;
      }
      if (y - radius - 1 >= 0) {
        sum -= horizontal[(y - radius - 1) * width + x] as number;
        n--;
      }
      out[y * width + x] = sum / n;
    }
  }
  return out;
}

/** Counts mask pixels that belong to 8-connected blobs of at least `minPixels`. */
function pixelsInBlobs(mask: Uint8Array, width: number, height: number, minPixels: number): number {
  const seen = new Uint8Array(mask.length);
  const stack = new Int32Array(mask.length);
  let total = 0;
  for (let start = 0; start < mask.length; start++) {
    if (!mask[start] || seen[start]) continue;
    let top = 0;
    let size = 0;
    stack[top++] = start;
    seen[start] = 1;
    while (top > 0) {
      const p = stack[--top] as number;
      size++;
      const px = p % width;
      const py = (p - px) / width;
      for (let dy = -1; dy <= 1; dy++) {
        const y = py + dy;
        if (y < 0 || y >= height) continue;
        for (let dx = -1; dx <= 1; dx++) {
          const x = px + dx;
          if (x < 0 || x >= width) continue;
          const q = y * width + x;
          if (mask[q] && !seen[q]) {
            seen[q] = 1;
            stack[top++] = q;
          }
        }
      }
    }
    if (size >= minPixels) total += size;
  }
  return total;
}

/**
 * Share of the page (inside a 3 % border) covered by real ink: pixels darker than their neighbourhood by
 * Sauvola's rule AND by at least MIN_INK_CONTRAST levels, in blobs of at least ~1 mm². Measured on a
 * ~100 dpi box-averaged copy, so sensor noise, dust, paper texture and faint bleed-through score ~0.
 */
export function measureInk(page: RawPage): { inkRatio: number } {
  assertRawPage(page);
  const factor = Math.max(1, Math.round(page.dpi / INK_DPI));
  const small = boxDownscale(grayPlane(page), page.width, page.height, factor);
  const marginX = Math.round(small.width * MARGIN_FRACTION);
  const marginY = Math.round(small.height * MARGIN_FRACTION);
  const width = small.width - 2 * marginX;
  const height = small.height - 2 * marginY;
  if (width < 8 || height < 8) return { inkRatio: 0 };

  const interior = new Uint8Array(width * height);
  for (let y = 0; y < height; y++) {
    const from = (y + marginY) * small.width + marginX;
    interior.set(small.data.subarray(from, from + width), y * width);
  }
  const window = sauvolaWindow(page.dpi / factor);
  const bw = sauvolaThreshold(interior, width, height, window);
  const mean = boxMean(interior, width, height, window >> 1);
  const mask = new Uint8Array(width * height);
  for (let i = 0; i < mask.length; i++) {
    mask[i] = bw[i] === 0 && (mean[i] as number) - (interior[i] as number) >= MIN_INK_CONTRAST ? 1 : 0;
  }
  return { inkRatio: pixelsInBlobs(mask, width, height, MIN_BLOB_PIXELS) / (width * height) };
}

/** True when the page carries no meaningful ink (see DEFAULT_BLANK_THRESHOLD for what the default means). */
export function isBlankPage(page: RawPage, threshold = DEFAULT_BLANK_THRESHOLD): boolean {
  return measureInk(page).inkRatio < threshold;
}
