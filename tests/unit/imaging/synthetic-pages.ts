import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import sharp from 'sharp';
import type { RawPage } from '../../../electron/services/imaging/raw-page';
import { prng } from '../../support/prng';

/** The shared OCR corpus, next to the repository (see its README for what each variant imitates). */
export const CORPUS_DIR = join(import.meta.dirname, '../../../../shared/corpus/ocr');
export const CORPUS_DOCS = [
  'd1-to-khai-khai-sinh',
  'd2-don-xac-nhan-cu-tru',
  'd3-quyet-dinh-tro-cap',
  'd4-giay-uy-quyen',
  'd5-bien-nhan',
  'd6-bao-cao',
] as const;
export type CorpusVariant = 'clean.png' | 'scan.jpg' | 'hard.jpg' | 'stamp.jpg' | 'photo.jpg';

export function corpusFile(doc: string, variant: CorpusVariant): Uint8Array {
  return readFileSync(join(CORPUS_DIR, `${doc}.${variant}`));
}

/** A4 at 300 dpi in pixels. */
export const A4_300 = { width: 2480, height: 3508 } as const;

/** Deterministic PRNG so noisy fixtures are the same on every run. */
export { prng };

/**
 * What an ADF gives for the back of a printed sheet: grey paper, sensor noise (σ≈6), dust specks of 1-3 px,
 * and the front page's text showing through mirrored at low contrast (−22 levels at full black).
 */
export async function noisyBlankPage(seed = 1): Promise<RawPage> {
  const { width, height } = A4_300;
  const front = await sharp(corpusFile('d3-quyet-dinh-tro-cap', 'clean.png'))
    .flop()
    .blur(1.5)
    .toColourspace('b-w')
    .raw()
    .toBuffer();
  const random = prng(seed);
  const data = new Uint8Array(width * height);
  for (let i = 0; i < data.length; i++) {
    // Sum of three uniforms ≈ normal; ±6 levels of sensor noise around paper grey 232.
    const noise = (random() + random() + random() - 1.5) * 12;
    const bleed = ((255 - (front[i] as number)) / 255) * 22;
    data[i] = Math.max(0, Math.min(255, Math.round(232 - bleed + noise)));
  }
  for (let speck = 0; speck < 400; speck++) {
    const size = 1 + Math.floor(random() * 3);
    const x0 = Math.floor(random() * (width - size));
    const y0 = Math.floor(random() * (height - size));
    for (let y = y0; y < y0 + size; y++) data.fill(30, y * width + x0, y * width + x0 + size);
  }
  return { width, height, channels: 1, dpi: 300, data };
}

/** Draws a short handwritten-looking line (a 4 cm wavy pen stroke, 0.5 mm wide) onto a grey page. */
export async function withHandwrittenLine(page: RawPage): Promise<RawPage> {
  const mm = page.dpi / 25.4;
  const x0 = 120 * mm;
  const y0 = 240 * mm;
  let d = `M ${x0} ${y0}`;
  for (let i = 1; i <= 40; i++) {
    const x = x0 + i * mm;
    const y = y0 + Math.sin(i * 1.3) * 2 * mm;
    d += ` L ${x.toFixed(1)} ${y.toFixed(1)}`;
  }
  const svg = `<svg xmlns="http://www.w3.org/2000/svg" width="${page.width}" height="${page.height}">
    <path d="${d}" fill="none" stroke="#1a2a6e" stroke-width="${(0.5 * mm).toFixed(1)}" stroke-linecap="round"/></svg>`;
  const { data, info } = await sharp(page.data, {
    raw: { width: page.width, height: page.height, channels: page.channels },
  })
    .composite([{ input: Buffer.from(svg), top: 0, left: 0 }])
    .toColourspace('b-w')
    .raw()
    .toBuffer({ resolveWithObject: true });
  return {
    ...page,
    channels: 1,
    data: new Uint8Array(data.buffer, data.byteOffset, info.width * info.height),
  };
}
