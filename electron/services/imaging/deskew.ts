import sharp from 'sharp';
import { sauvolaThreshold, sauvolaWindow } from './binarize';
import { assertRawPage, type RawPage } from './raw-page';

/** Skew is searched within ±MAX_SKEW_DEGREES: an ADF or flatbed page is never more crooked than this. */
export const MAX_SKEW_DEGREES = 5;
/** Below this the page is left alone: resampling blurs more than such a tilt harms OCR or reading. */
export const MIN_CORRECTION_DEGREES = 0.1;
/** Resolution of the copy the angle is measured on: text lines stay distinct, the search stays cheap. */
const ANALYSIS_DPI = 100;
/** Fewer ink pixels than this (at ANALYSIS_DPI) is a blank or nearly blank page: nothing to align. */
const MIN_INK_PIXELS = 500;

export interface SkewEstimate {
  /** Skew of the content in degrees; positive = turned clockwise on screen (text lines fall to the right). */
  angleDegrees: number;
  /** Peak sharpness relative to the unrotated profile (1 = no gain: no text lines to align). */
  confidence: number;
}

/** Ink pixel coordinates of a downscaled, Sauvola-binarised copy, skipping a margin where scanner edges lie. */
async function inkPoints(
  page: RawPage,
): Promise<{ xs: Float64Array; ys: Float64Array; width: number; height: number }> {
  const scale = Math.min(1, ANALYSIS_DPI / page.dpi);
  const width = Math.max(1, Math.round(page.width * scale));
  const { data, info } = await sharp(page.data, {
    raw: { width: page.width, height: page.height, channels: page.channels },
  })
    .resize({ width, kernel: 'linear' })
    .toColourspace('b-w')
    .raw()
    .toBuffer({ resolveWithObject: true });
  const gray = new Uint8Array(data.buffer, data.byteOffset, info.width * info.height);
  const bw = sauvolaThreshold(gray, info.width, info.height, sauvolaWindow(page.dpi * scale));
  const margin = Math.round(0.03 * Math.min(info.width, info.height));
  const xs: number[] = [];
  const ys: number[] = [];
  for (let y = margin; y < info.height - margin; y++) {
    const row = y * info.width;
    for (let x = margin; x < info.width - margin; x++) {
      if (bw[row + x] === 0) {
        xs.push(x);
        ys.push(y);
      }
    }
  }
  return { xs: Float64Array.from(xs), ys: Float64Array.from(ys), width: info.width, height: info.height };
}

/**
 * Sharpness of the horizontal projection profile after shearing by `degrees`: the sum of squared row counts,
 * largest when text lines are horizontal (each line falls into few rows, the gaps between into none).
 */
function profileScore(xs: Float64Array, ys: Float64Array, span: number, degrees: number): number {
  const slope = Math.tan((degrees * Math.PI) / 180);
  const offset = Math.ceil(Math.abs(slope) * span) + 1;
  const bins = new Float64Array(span + 2 * offset + 2);
  for (let i = 0; i < xs.length; i++) {
    const bin = Math.round((ys[i] as number) - (xs[i] as number) * slope) + offset;
    bins[bin] = (bins[bin] as number) + 1;
  }
  let score = 0;
  for (let i = 0; i < bins.length; i++) score += (bins[i] as number) * (bins[i] as number);
  return score;
}

/** Finds the skew by a coarse-to-fine search of the projection-profile sharpness over ±MAX_SKEW_DEGREES. */
export async function estimateSkew(page: RawPage): Promise<SkewEstimate> {
  assertRawPage(page);
  const { xs, ys, width, height } = await inkPoints(page);
  if (xs.length < MIN_INK_PIXELS) return { angleDegrees: 0, confidence: 1 };
  const span = height + Math.ceil(width * Math.tan((MAX_SKEW_DEGREES * Math.PI) / 180)) + 2;
  const score = (deg: number) => profileScore(xs, ys, span, deg);

  let best = 0;
  let bestScore = score(0);
  const search = (from: number, to: number, step: number) => {
    for (let deg = from; deg <= to + 1e-9; deg += step) {
      const s = score(deg);
      if (s > bestScore) {
        bestScore = s;
        best = deg;
      }
    }
  };
  search(-MAX_SKEW_DEGREES, MAX_SKEW_DEGREES, 0.25);
  const coarse = best;
  search(coarse - 0.3, coarse + 0.3, 0.05);
  const medium = best;
  search(medium - 0.06, medium + 0.06, 0.01);
  const confidence = bestScore / score(0);
  return { angleDegrees: Math.round(best * 100) / 100, confidence };
}

/**
 * The paper's colour: per channel, the 90th percentile of a sparse sample of the page. Corners rotated in are
 * filled with it, so a grey-paper scan gets no white wedge whose edge binarisation would turn into a line.
 */
export function paperColour(page: RawPage): number[] {
  const { data, channels } = page;
  const pixels = page.width * page.height;
  const stride = Math.max(1, Math.floor(pixels / 50_000));
  const colour: number[] = [];
  for (let c = 0; c < channels; c++) {
    const histogram = new Uint32Array(256);
    let count = 0;
    for (let i = 0; i < pixels; i += stride, count++) {
      const v = data[i * channels + c] as number;
      histogram[v] = (histogram[v] as number) + 1;
    }
    let seen = 0;
    let level = 255;
    for (let v = 0; v < 256; v++) {
      seen += histogram[v] as number;
      if (seen >= 0.9 * count) {
        level = v;
        break;
      }
    }
    colour.push(level);
  }
  return colour;
}

/**
 * Turns a page by `-angleDegrees` around its centre, keeping its size; corners brought in get the paper's
 * colour. libvips does the resampling (bilinear), so a 300 dpi A4 page takes tens of milliseconds.
 */
export async function rotatePage(page: RawPage, angleDegrees: number): Promise<RawPage> {
  const paper = paperColour(page);
  const grey = paper[0] ?? 255;
  const fill = { r: grey, g: paper[1] ?? grey, b: paper[2] ?? grey };
  const { data, info } = await sharp(page.data, {
    raw: { width: page.width, height: page.height, channels: page.channels },
  })
    .rotate(-angleDegrees, { background: fill })
    .toColourspace(page.channels === 1 ? 'b-w' : 'srgb')
    .raw()
    .toBuffer({ resolveWithObject: true });
  // The rotated canvas is larger; cut the original frame out of its centre.
  const channels = page.channels;
  if (info.channels !== channels) throw new Error(`rotation returned ${info.channels} channels`);
  const left = Math.max(0, Math.floor((info.width - page.width) / 2));
  const top = Math.max(0, Math.floor((info.height - page.height) / 2));
  const out = new Uint8Array(page.width * page.height * channels);
  // Paint the paper colour by doubling copies (one pixel, two, four…) rather than a call per pixel.
  out.set(paper, 0);
  for (let filled = channels; filled < out.length; filled *= 2) out.copyWithin(filled, 0, filled);
  const rowBytes = Math.min(page.width, info.width - left) * channels;
  for (let y = 0; y < Math.min(page.height, info.height - top); y++) {
    const from = ((top + y) * info.width + left) * channels;
    out.set(data.subarray(from, from + rowBytes), y * page.width * channels);
  }
  return { ...page, data: out };
}

/**
 * Measures the skew and straightens the page. Pages with less skew than MIN_CORRECTION_DEGREES (or no text to
 * measure) come back unchanged with their measured angle, so a straight scan is never resampled.
 */
export async function deskew(page: RawPage): Promise<{ page: RawPage; angleDegrees: number }> {
  const { angleDegrees } = await estimateSkew(page);
  if (Math.abs(angleDegrees) < MIN_CORRECTION_DEGREES) return { page, angleDegrees };
  return { page: await rotatePage(page, angleDegrees), angleDegrees };
}
