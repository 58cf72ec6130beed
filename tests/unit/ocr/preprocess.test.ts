import { readFileSync } from 'node:fs';
import fc from 'fast-check';
import sharp from 'sharp';
import { describe, expect, it } from 'vitest';
import { decodeImageFile } from '../../../electron/services/imaging/decode';
import type { RawPage } from '../../../electron/services/imaging/raw-page';
import {
  downscaleArea,
  laplacianDeviation,
  median3,
  NOISY_SHARPNESS,
  OCR_MAX_DPI,
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

/**
 * Area average the slow obvious way: blow every source pixel up to an outWidth × outHeight block, then
 * average width × height blocks of the blown-up image. Exact integer maths.
 */
function referenceArea(grey: Uint8Array, width: number, height: number, outWidth: number, outHeight: number) {
  const out = new Uint8Array(outWidth * outHeight);
  for (let oy = 0; oy < outHeight; oy++) {
    for (let ox = 0; ox < outWidth; ox++) {
      let sum = 0;
      for (let by = oy * height; by < (oy + 1) * height; by++) {
        for (let bx = ox * width; bx < (ox + 1) * width; bx++) {
          sum += grey[Math.floor(by / outHeight) * width + Math.floor(bx / outWidth)] as number;
        }
      }
      out[oy * outWidth + ox] = Math.round(sum / (width * height));
    }
  }
  return out;
}

describe('downscaleArea', () => {
  it('is the area average of the source (within float rounding) for any size and ratio', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 12 }),
        fc.integer({ min: 1, max: 12 }),
        fc.double({ min: 0.05, max: 1, noNaN: true }),
        fc.double({ min: 0.05, max: 1, noNaN: true }),
        fc.infiniteStream(fc.integer({ min: 0, max: 255 })),
        (width, height, fx, fy, values) => {
          const outWidth = Math.max(1, Math.round(width * fx));
          const outHeight = Math.max(1, Math.round(height * fy));
          const grey = Uint8Array.from(values.take(width * height));
          const ours = downscaleArea(grey, width, height, outWidth, outHeight);
          const reference = referenceArea(grey, width, height, outWidth, outHeight);
          for (let i = 0; i < ours.length; i++) {
            expect(Math.abs((ours[i] as number) - (reference[i] as number))).toBeLessThanOrEqual(1);
          }
        },
      ),
      { numRuns: 300 },
    );
  });

  it('keeps a flat page flat and refuses to enlarge', () => {
    expect([...downscaleArea(new Uint8Array(300 * 200).fill(77), 300, 200, 200, 133)]).toEqual(
      new Array(200 * 133).fill(77),
    );
    expect(() => downscaleArea(new Uint8Array(4), 2, 2, 3, 2)).toThrow(RangeError);
  });
});

describe('prepareForOcr', () => {
  it('wraps the page as PGM and cleans only what needs it', async () => {
    const clean = prepareForOcr(await decode('d1-to-khai-khai-sinh.clean.png'));
    const header = `P5\n${clean.width} ${clean.height}\n255\n`;
    expect(new TextDecoder().decode(clean.bytes.subarray(0, header.length))).toBe(header);
    expect(clean.bytes.length).toBe(header.length + clean.width * clean.height);
    // A 300 dpi A4 page (2480 × 3508) is read at 200 dpi.
    expect(clean).toMatchObject({ dpi: OCR_MAX_DPI, width: 1653, height: 2339, steps: ['downscaled'] });

    expect(prepareForOcr(await decode('d1-to-khai-khai-sinh.stamp.jpg')).steps).toEqual([
      'ink-suppressed',
      'downscaled',
    ]);
    const photo = prepareForOcr(await decode('d1-to-khai-khai-sinh.photo.jpg'));
    expect(photo.steps).toEqual(['median3']);
    expect(photo.dpi).toBe(150);
    // 200 dpi pages, and pages within 5 % of it, keep their pixels.
    const hard = await decode('d1-to-khai-khai-sinh.hard.jpg');
    expect(prepareForOcr(hard)).toMatchObject({
      dpi: 200,
      width: hard.width,
      height: hard.height,
      steps: [],
    });
    expect(prepareForOcr({ ...hard, dpi: 209 })).toMatchObject({ dpi: 209, width: hard.width, steps: [] });
  });

  it('reduces by area average, as a 200 dpi scan of the same paper would look', async () => {
    const page = await decode('d2-don-xac-nhan-cu-tru.clean.png');
    const prepared = prepareForOcr(page);
    const header = `P5\n${prepared.width} ${prepared.height}\n255\n`.length;
    const grey = prepared.bytes.subarray(header);
    // libvips' linear reduce is a close cousin of the area average at 2/3.
    const vips = await sharp(page.data, { raw: { width: page.width, height: page.height, channels: 1 } })
      .resize(prepared.width, prepared.height, { kernel: 'linear', fit: 'fill' })
      .extractChannel(0)
      .raw()
      .toBuffer();
    // Measured: mean |Δ| 0.31 level, 0.03 % of pixels off by > 24; nearest-neighbour picking gives 3.6 and 3.6 %.
    let total = 0;
    let differing = 0;
    for (let i = 0; i < grey.length; i++) {
      const delta = Math.abs((grey[i] as number) - (vips[i] as number));
      total += delta;
      if (delta > 24) differing++;
    }
    expect(total / grey.length).toBeLessThan(1);
    expect(differing / grey.length).toBeLessThan(0.005);
  });
});
