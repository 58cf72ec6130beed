import { execFileSync } from 'node:child_process';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { decodeImageFile } from '../../../electron/services/imaging/decode';
import { deskew, estimateSkew, paperColour } from '../../../electron/services/imaging/deskew';
import { CORPUS_DIR, CORPUS_DOCS, corpusFile } from './synthetic-pages';

/**
 * A corpus page at 150 dpi rotated by ImageMagick (an independent tool; positive = clockwise), same canvas
 * size. Half resolution keeps ImageMagick's slow rotation affordable on a 2-core machine.
 */
function rotatedWithImageMagick(file: string, degrees: number): Uint8Array {
  return execFileSync(
    'convert',
    [
      join(CORPUS_DIR, file),
      ...['-resize', '50%', '-background', 'white', '-rotate', String(degrees)],
      ...[
        '-gravity',
        'center',
        '-extent',
        '1240x1754',
        '+repage',
        '-units',
        'PixelsPerInch',
        '-density',
        '150',
      ],
      'tiff:-', // uncompressed: ImageMagick's PNG compression would dominate the test's time
    ],
    { maxBuffer: 64 * 1024 * 1024 },
  );
}

describe('deskew', () => {
  it('measures known rotations of clean pages made by ImageMagick to within ±0.3°', async () => {
    const cases: [string, number][] = [
      ['d1-to-khai-khai-sinh', 3.2],
      ['d5-bien-nhan', -1.1],
      ['d6-bao-cao', 4.6],
    ];
    for (const [doc, degrees] of cases) {
      const page = await decodeImageFile(rotatedWithImageMagick(`${doc}.clean.png`, degrees));
      expect(page.dpi).toBe(150);
      const { angleDegrees } = await estimateSkew(page);
      expect(Math.abs(angleDegrees - degrees), `${doc} ${degrees}°`).toBeLessThanOrEqual(0.3);
    }
  });

  it('corrects the 1.5° office scans and 2.5° poor scans of the corpus to within ±0.3°', async () => {
    // The corpus README gives the magnitudes; the direction was checked against ImageMagick above.
    for (const doc of CORPUS_DOCS) {
      for (const [variant, expected] of [
        ['scan.jpg', 1.5],
        ['hard.jpg', -2.5],
      ] as const) {
        const page = await decodeImageFile(corpusFile(doc, variant));
        const result = await deskew(page);
        expect(Math.abs(result.angleDegrees - expected), `${doc} ${variant}`).toBeLessThanOrEqual(0.3);
        expect([result.page.width, result.page.height, result.page.channels]).toEqual([
          page.width,
          page.height,
          page.channels,
        ]);
        const residual = await estimateSkew(result.page);
        expect(Math.abs(residual.angleDegrees), `${doc} ${variant} residual`).toBeLessThanOrEqual(0.3);
      }
    }
  });

  it('leaves unskewed pages untouched (≤ 0.2°, same pixels)', async () => {
    for (const doc of CORPUS_DOCS) {
      const page = await decodeImageFile(corpusFile(doc, 'clean.png'));
      const result = await deskew(page);
      expect(Math.abs(result.angleDegrees), doc).toBeLessThanOrEqual(0.2);
      expect(result.page.data).toBe(page.data);
    }
  });

  it('rotates colour pages with paper-coloured corners and keeps a page without text as it is', async () => {
    const colour = await decodeImageFile(rotatedWithImageMagick('d3-quyet-dinh-tro-cap.stamp.jpg', -2));
    expect(colour.channels).toBe(3);
    const straightened = await deskew(colour);
    expect(straightened.angleDegrees).toBeCloseTo(-2, 0);
    expect(straightened.page.channels).toBe(3);
    // The top-left corner was rotated in from outside the page: it takes the paper's colour, not black.
    const paper = paperColour(colour);
    expect(Array.from(straightened.page.data.subarray(0, 3))).toEqual(paper);
    expect(Math.min(...paper)).toBeGreaterThan(200);

    const white = {
      width: 800,
      height: 1100,
      channels: 1 as const,
      dpi: 100,
      data: new Uint8Array(880_000).fill(250),
    };
    const untouched = await deskew(white);
    expect(untouched.angleDegrees).toBe(0);
    expect(untouched.page).toBe(white);
  });
});
