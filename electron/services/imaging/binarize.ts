import { assertRawPage, grayPlane, type RawPage } from './raw-page';

/**
 * Sauvola's sensitivity: how far below the local mean a pixel must be, scaled by local contrast. 0.2 keeps
 * thin strokes of low-contrast scans and still leaves grey paper with scanner noise white.
 */
export const SAUVOLA_K = 0.2;
/** Dynamic range of the standard deviation for 8-bit images (Sauvola & Pietikäinen 2000). */
const SAUVOLA_R = 128;

/** Window side in pixels: ~2 mm, a bit more than a stroke is wide and about one x-height of body text. */
export function sauvolaWindow(dpi: number): number {
  const side = Math.max(7, Math.round(dpi / 12));
  return side % 2 === 1 ? side : side + 1;
}

/**
 * Sauvola adaptive threshold of a grey plane: T = m · (1 + k · (s / R − 1)) over a square window.
 * Returns 0 (ink) / 255 (paper). Window sums slide over rows and columns, so the cost is O(pixels)
 * whatever the window; it is the one full-resolution pure-JS pass of the B/W path (sync by API contract).
 */
export function sauvolaThreshold(
  gray: Uint8Array,
  width: number,
  height: number,
  window: number,
  k = SAUVOLA_K,
): Uint8Array {
  const out = new Uint8Array(width * height);
  const radius = Math.min(window >> 1, width - 1, height - 1);
  // Per-column sums over the rows inside the vertical window (Int32 is enough up to ~1200 dpi windows).
  const colSum = new Int32Array(width);
  const colSq = new Int32Array(width);
  // Running horizontal sums for the current row, indexed by window centre.
  const rowSum = new Float64Array(width);
  const rowSq = new Float64Array(width);
  const colsAt = new Float64Array(width);
  for (let x = 0; x < width; x++) colsAt[x] = Math.min(width - 1, x + radius) - Math.max(0, x - radius) + 1;
  const oneMinusK = 1 - k;
  const slope = SAUVOLA_R / k;

  for (let y = 0; y < Math.min(radius, height); y++) {
    for (let x = 0, i = y * width; x < width; x++, i++) {
      const v = gray[i] as number;
      colSum[x] = (colSum[x] as number) + v;
      colSq[x] = (colSq[x] as number) + v * v;
    }
  }
  for (let y = 0; y < height; y++) {
    // Slide the vertical window: one row in, one row out.
    if (y + radius < height) {
      for (let x = 0, i = (y + radius) * width; x < width; x++, i++) {
        const v = gray[i] as number;
        colSum[x] = (colSum[x] as number) + v;
        colSq[x] = (colSq[x] as number) + v * v;
      }
    }
    if (y - radius - 1 >= 0) {
      for (let x = 0, i = (y - radius - 1) * width; x < width; x++, i++) {
        const v = gray[i] as number;
        colSum[x] = (colSum[x] as number) - v;
        colSq[x] = (colSq[x] as number) - v * v;
      }
    }
    // Horizontal window sums for every centre x of this row.
    let sum = 0;
    let sq = 0;
    for (let x = 0; x < radius; x++) {
      sum += colSum[x] as number;
      sq += colSq[x] as number;
    }
    for (let x = 0; x < width; x++) {
      if (x + radius < width) {
        sum += colSum[x + radius] as number;
        sq += colSq[x + radius] as number;
      }
      if (x > radius) {
        sum -= colSum[x - radius - 1] as number;
        sq -= colSq[x - radius - 1] as number;
      }
      rowSum[x] = sum;
      rowSq[x] = sq;
    }
    const rows = Math.min(height - 1, y + radius) - Math.max(0, y - radius) + 1;
    for (let x = 0, i = y * width; x < width; x++, i++) {
      const inverseN = 1 / (rows * (colsAt[x] as number));
      const mean = (rowSum[x] as number) * inverseN;
      // p <= m·(1 + k·(s/R − 1))  ⇔  p − m·(1 − k) <= (k·m/R)·s ; squared to avoid a sqrt per pixel.
      const excess = (gray[i] as number) - mean * oneMinusK;
      let ink = excess <= 0;
      if (!ink && mean > 0) {
        const needed = (excess * slope) / mean;
        ink = needed * needed <= (rowSq[x] as number) * inverseN - mean * mean;
      }
      out[i] = ink ? 0 : 255;
    }
  }
  return out;
}

/** True when every sample is 0 or 255: the page already came off the scanner in lineart mode. */
export function isBilevel(page: RawPage): boolean {
  if (page.channels !== 1) return false;
  const { data } = page;
  for (let i = 0; i < data.length; i++) {
    const v = data[i];
    if (v !== 0 && v !== 255) return false;
  }
  return true;
}

/**
 * Black-and-white version of a page (grey channel, samples 0 = ink / 255 = paper) by Sauvola's adaptive
 * threshold, so uneven lighting, grey paper and faint stamps do not turn into black blotches or vanish.
 */
export function toBlackAndWhite(page: RawPage): RawPage {
  assertRawPage(page);
  if (isBilevel(page)) return page;
  const data = sauvolaThreshold(grayPlane(page), page.width, page.height, sauvolaWindow(page.dpi));
  return { width: page.width, height: page.height, channels: 1, dpi: page.dpi, data };
}
