import sharp from 'sharp';
import { describe, expect, it } from 'vitest';
import { toBlackAndWhite } from '../../../electron/services/imaging/binarize';
import { encodeG4 } from '../../../electron/services/imaging/ccitt-g4';
import { decodeImageFile } from '../../../electron/services/imaging/decode';
import type { EncodedPage } from '../../../electron/services/imaging/encoded-page';
import { assemblePdf } from '../../../electron/services/imaging/pdf';
import type { RawPage } from '../../../electron/services/imaging/raw-page';
import { pdfImageList, pdfImagesDecoded, renderPdfPage } from '../../support/poppler';
import { CORPUS_DOCS, corpusFile, prng } from './synthetic-pages';

function g4Page(page: RawPage): EncodedPage {
  return {
    format: 'ccitt-g4',
    bytes: encodeG4(page.data, page.width, page.height),
    width: page.width,
    height: page.height,
    dpi: page.dpi,
    channels: 1,
  };
}

/** Pixels that differ in colour (ink < 128) between two one-channel pages of the same size. */
function differingPixels(a: RawPage, b: RawPage): number {
  expect([b.width, b.height, b.channels]).toEqual([a.width, a.height, a.channels]);
  let diff = 0;
  for (let i = 0; i < a.data.length; i++)
    if ((a.data[i] as number) < 128 !== (b.data[i] as number) < 128) diff++;
  return diff;
}

/** Round trip through a PDF and poppler's own CCITT decoder; returns the decoded image. */
async function throughPoppler(page: RawPage): Promise<RawPage> {
  const pdf = await assemblePdf([g4Page(page)]);
  const [decoded] = await pdfImagesDecoded(pdf);
  if (!decoded) throw new Error('pdfimages found no image');
  return decoded;
}

function bilevel(width: number, height: number, black: (x: number, y: number) => boolean): RawPage {
  const data = new Uint8Array(width * height);
  for (let y = 0; y < height; y++)
    for (let x = 0; x < width; x++) data[y * width + x] = black(x, y) ? 0 : 255;
  return { width, height, channels: 1, dpi: 300, data };
}

describe('CCITT G4 encoder', () => {
  it('round-trips every corpus page bit-exactly through poppler and stays ≤ 80 KB per A4 page', async () => {
    for (const doc of CORPUS_DOCS) {
      const bw = toBlackAndWhite(await decodeImageFile(corpusFile(doc, 'clean.png')));
      const pdf = await assemblePdf([g4Page(bw)]);
      expect(pdf.length, doc).toBeLessThanOrEqual(80 * 1024);
      const [listed] = await pdfImageList(pdf);
      expect(listed).toMatchObject({ width: 2480, height: 3508, bpc: 1, enc: 'ccitt', ppi: 300 });
      const [decoded] = await pdfImagesDecoded(pdf);
      expect(differingPixels(bw, decoded as RawPage), doc).toBe(0);
    }
  });

  it('renders upright and not inverted (BlackIs1) when poppler draws the page', async () => {
    const bw = toBlackAndWhite(await decodeImageFile(corpusFile('d4-giay-uy-quyen', 'scan.jpg')));
    const rendered = await renderPdfPage(await assemblePdf([g4Page(bw)]), 300);
    // The renderer resamples edges, so demand near-identity rather than bit equality here.
    expect(differingPixels(bw, rendered) / bw.data.length).toBeLessThan(0.01);
  });

  it('codes every run length of both colours, including make-up and repeated 2560 codes', async () => {
    // Each odd row: a white run of w, a black run of b, white to the end, under an all-white row, so the
    // encoder must use horizontal mode with exactly these runs; the rows sweep 0…2700 for both colours.
    const width = 5500;
    const rows = 2 * 1400;
    const page = bilevel(width, rows, (x, y) => {
      if (y % 2 === 0) return false;
      const i = (y - 1) / 2;
      const white = (i * 2) % 2700;
      const black = 1 + ((i * 7 + 3) % 2700);
      return x >= white && x < white + black;
    });
    expect(differingPixels(page, await throughPoppler(page))).toBe(0);
  });

  it('handles edge shapes: all black, all white, one column, odd widths, ink touching both edges', async () => {
    const shapes: RawPage[] = [
      bilevel(97, 13, () => true),
      bilevel(97, 13, () => false),
      bilevel(1, 40, (_x, y) => y % 3 === 0),
      bilevel(13, 11, (x, y) => (x + y) % 2 === 0), // checkerboard: vertical modes at every pixel
      bilevel(333, 50, (x, y) => x === 0 || x === 332 || y === 25),
    ];
    for (const shape of shapes) expect(differingPixels(shape, await throughPoppler(shape))).toBe(0);
  });

  it('round-trips random noise of varying density (every mode and run length mixed)', async () => {
    const random = prng(42);
    for (const density of [0.02, 0.3, 0.5, 0.9]) {
      const page = bilevel(641, 97, () => random() < density);
      expect(differingPixels(page, await throughPoppler(page)), `density ${density}`).toBe(0);
    }
  });

  it('is about as compact as libtiff’s Group 4 for the same page', async () => {
    const bw = toBlackAndWhite(await decodeImageFile(corpusFile('d2-don-xac-nhan-cu-tru', 'scan.jpg')));
    const ours = encodeG4(bw.data, bw.width, bw.height).length;
    const tiff = await sharp(bw.data, { raw: { width: bw.width, height: bw.height, channels: 1 } })
      .toColourspace('b-w')
      .tiff({ compression: 'ccittfax4', bitdepth: 1 })
      .toBuffer();
    // G4 coding is canonical: the same page gives the same bit stream; the TIFF adds a header and tags.
    expect(ours).toBeLessThanOrEqual(tiff.length);
    expect(ours).toBeGreaterThan(tiff.length * 0.9);
  });

  it('rejects a buffer that does not match the stated size', () => {
    expect(() => encodeG4(new Uint8Array(10), 4, 4)).toThrow(RangeError);
  });
});
