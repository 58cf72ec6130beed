import { readFileSync } from 'node:fs';
import fc from 'fast-check';
import sharp from 'sharp';
import { describe, expect, it } from 'vitest';
import { decodeImageFile } from '../../../electron/services/imaging/decode';
import type { RawPage } from '../../../electron/services/imaging/raw-page';
import {
  laplacianDeviation,
  median3,
  NOISY_SHARPNESS,
  prepareForOcr,
  suppressInkColours,
} from '../../../electron/services/ocr/preprocess';
import { corpusFile } from '../../integration/ocr/corpus';

const decode = async (name: string) => decodeImageFile(readFileSync(corpusFile(name)));

/** Median of each 3×3 neighbourhood, edges replicated, by sorting: the slow obvious reference. */
function referenceMedian(grey: Uint8Array, width: number, height: number): Uint8Array {
  const out = new Uint8Array(width * height);
  const at = (x: number, y: number) =>
    grey[Math.min(height - 1, Math.max(0, y)) * width + Math.min(width - 1, Math.max(0, x))] as number;
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      const window = [-1, 0, 1].flatMap((dy) => [-1, 0, 1].map((dx) => at(x + dx, y + dy)));
      out[y * width + x] = window.sort((a, b) => a - b)[4] as number;
    }
  }
  return out;
}

describe('median3', () => {
  it('is the 3×3 median with replicated edges on any image', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 9 }),
        fc.integer({ min: 1, max: 9 }),
        fc.infiniteStream(fc.integer({ min: 0, max: 255 })),
        (width, height, values) => {
          const grey = Uint8Array.from(values.take(width * height));
          expect(median3(grey, width, height)).toEqual(referenceMedian(grey, width, height));
        },
      ),
      { numRuns: 300 },
    );
  });

  it("matches libvips' median(3) pixel for pixel on a phone-photo page", async () => {
    const page = await decode('d5-bien-nhan.photo.jpg');
    const raw = { raw: { width: page.width, height: page.height, channels: 1 as const } };
    const vips = await sharp(page.data, raw).median(3).extractChannel(0).raw().toBuffer();
    expect(Buffer.from(median3(page.data, page.width, page.height)).equals(vips)).toBe(true);
  });
});

describe('laplacianDeviation', () => {
  it("over every row is sharp's stats().sharpness (up to the border pixels it leaves out)", async () => {
    const page = await decode('d2-don-xac-nhan-cu-tru.scan.jpg');
    const raw = { raw: { width: page.width, height: page.height, channels: 1 as const } };
    const { sharpness } = await sharp(page.data, raw).stats();
    expect(laplacianDeviation(page.data, page.width, page.height, 1)).toBeCloseTo(sharpness, 2);
  });

  it('sampled, still tells the noisy phone photo from every scanned variant', async () => {
    for (const variant of ['clean.png', 'scan.jpg', 'hard.jpg', 'stamp.jpg', 'photo.jpg']) {
      const page = await decode(`d4-giay-uy-quyen.${variant}`);
      const deviation = laplacianDeviation(suppressInkColours(page), page.width, page.height);
      if (variant === 'photo.jpg') expect(deviation).toBeGreaterThan(NOISY_SHARPNESS + 1);
      else expect(deviation).toBeLessThan(NOISY_SHARPNESS - 1);
    }
  });

  it('is 0 for a flat page and for pages too small to have a neighbourhood', () => {
    expect(laplacianDeviation(new Uint8Array(100).fill(200), 10, 10)).toBe(0);
    expect(laplacianDeviation(new Uint8Array(4).fill(9), 2, 2)).toBe(0);
  });
});

describe('suppressInkColours', () => {
  const rgb = (...pixels: [number, number, number][]): RawPage => ({
    width: pixels.length,
    height: 1,
    channels: 3,
    dpi: 300,
    data: Uint8Array.from(pixels.flat()),
  });

  it('turns seal red and signature blue to paper and keeps black and grey print', () => {
    const out = suppressInkColours(
      rgb([220, 40, 40], [40, 60, 200], [20, 20, 20], [128, 128, 128], [90, 60, 60]),
    );
    // min(255, max + (max − min) / 2), rounded down.
    expect([...out]).toEqual([255, 255, 20, 128, 105]);
  });

  it('hands a grey page back untouched (no copy, no colour step)', () => {
    const grey: RawPage = { width: 2, height: 1, channels: 1, dpi: 300, data: Uint8Array.from([3, 250]) };
    expect(suppressInkColours(grey)).toBe(grey.data);
  });
});

describe('prepareForOcr', () => {
  it('wraps the page as PGM and cleans only what needs it', async () => {
    const clean = prepareForOcr(await decode('d1-to-khai-khai-sinh.clean.png'));
    const header = `P5\n${clean.width} ${clean.height}\n255\n`;
    expect(new TextDecoder().decode(clean.bytes.subarray(0, header.length))).toBe(header);
    expect(clean.bytes.length).toBe(header.length + clean.width * clean.height);
    expect(clean.dpi).toBe(300);
    expect(clean.steps).toEqual([]);

    expect(prepareForOcr(await decode('d1-to-khai-khai-sinh.stamp.jpg')).steps).toEqual(['ink-suppressed']);
    const photo = prepareForOcr(await decode('d1-to-khai-khai-sinh.photo.jpg'));
    expect(photo.steps).toEqual(['median3']);
    expect(photo.dpi).toBe(150);
  });
});
