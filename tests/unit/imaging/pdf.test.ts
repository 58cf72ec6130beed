import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import sharp from 'sharp';
import { describe, expect, it } from 'vitest';
import { decodeImageFile } from '../../../electron/services/imaging/decode';
import { encodePage } from '../../../electron/services/imaging/encode';
import type { EncodedPage, TextLayerWord } from '../../../electron/services/imaging/encoded-page';
import { ImagingError } from '../../../electron/services/imaging/errors';
import { assemblePdf } from '../../../electron/services/imaging/pdf';
import type { RawPage } from '../../../electron/services/imaging/raw-page';
import { pdfImageList, pdfImagesDecoded, pdfInfo, pdfToText, pdfWordBoxes } from '../../support/poppler';
import { CORPUS_DIR, corpusFile } from './synthetic-pages';

const collapse = (text: string) => text.normalize('NFC').replace(/\s+/g, ' ').trim();

/** Lays a ground-truth text out as word boxes, line by line, like an OCR engine reports them. */
function wordsFromText(text: string): TextLayerWord[] {
  const words: TextLayerWord[] = [];
  text
    .split('\n')
    .filter((line) => line.trim())
    .forEach((line, row) => {
      let x = 240;
      for (const word of line.split(/\s+/).filter(Boolean)) {
        const width = 23 * [...word].length;
        words.push({
          text: word,
          bbox: { x0: x, y0: 300 + row * 72, x1: x + width, y1: 300 + row * 72 + 48 },
        });
        x += width + 19;
      }
    });
  return words;
}

function psnr(a: RawPage, b: RawPage): number {
  let sum = 0;
  for (let i = 0; i < a.data.length; i++) sum += ((a.data[i] as number) - (b.data[i] as number)) ** 2;
  return 10 * Math.log10((255 * 255) / (sum / a.data.length));
}

describe('assemblePdf', () => {
  it('sizes pages from pixels and true DPI (A4 at 300 or 150 dpi is 595 × 842 pt)', async () => {
    const pages = await Promise.all(
      (['scan.jpg', 'hard.jpg', 'photo.jpg'] as const).map(async (variant) =>
        encodePage(await decodeImageFile(corpusFile('d3-quyet-dinh-tro-cap', variant)), 'gray'),
      ),
    );
    expect(pages.map((p) => p.dpi)).toEqual([300, 200, 150]);
    const info = await pdfInfo(await assemblePdf(pages));
    expect(info.pages).toBe(3);
    for (const [i, size] of info.sizes.entries()) {
      const page = pages[i] as EncodedPage;
      expect(Math.abs(size.width - (page.width * 72) / page.dpi)).toBeLessThan(0.1);
      expect(Math.abs(size.height - (page.height * 72) / page.dpi)).toBeLessThan(0.1);
    }
    // scan.jpg (2480 × 3508 at 300 dpi) and photo.jpg (1240 × 1754 at 150 dpi) are A4; hard.jpg is a
    // slightly cropped 200 dpi scan (1637 × 2315 px), so its page is 589 × 833 pt, as the paper was.
    for (const size of [info.sizes[0], info.sizes[2]]) {
      expect(Math.abs((size?.width ?? 0) - 595)).toBeLessThanOrEqual(1);
      expect(Math.abs((size?.height ?? 0) - 842)).toBeLessThanOrEqual(1);
    }
  });

  it('embeds each format without re-encoding: colour JPEG, grey JPEG, G4, grey PNG (lossless)', async () => {
    const stamp = await decodeImageFile(corpusFile('d1-to-khai-khai-sinh', 'stamp.jpg'));
    const scan = await decodeImageFile(corpusFile('d1-to-khai-khai-sinh', 'scan.jpg'));
    const colour = await encodePage(stamp, 'color');
    const grey = await encodePage(scan, 'gray');
    const bw = await encodePage(scan, 'bw');
    const pngBytes = await sharp(scan.data, { raw: { width: scan.width, height: scan.height, channels: 1 } })
      .resize(620)
      .toColourspace('b-w')
      .png()
      .toBuffer();
    const png: EncodedPage = {
      format: 'png',
      bytes: pngBytes,
      width: 620,
      height: 877,
      dpi: 75,
      channels: 1,
    };
    const pdf = await assemblePdf([colour, grey, bw, png]);
    expect(await pdfImageList(pdf)).toMatchObject([
      { enc: 'jpeg', color: 'rgb', width: 2480, height: 3508, ppi: 300 },
      { enc: 'jpeg', color: 'gray', width: 2480, height: 3508, ppi: 300 },
      { enc: 'ccitt', color: 'gray', bpc: 1, width: 2480, height: 3508, ppi: 300 },
      { enc: 'image', color: 'gray', width: 620, height: 877, ppi: 75 },
    ]);
    // JPEG quality 75 keeps the page faithful (poppler's decoder against our input).
    const [decodedColour, decodedGrey, , decodedPng] = await pdfImagesDecoded(pdf);
    expect(psnr(stamp, decodedColour as RawPage)).toBeGreaterThan(30);
    expect(psnr(scan, decodedGrey as RawPage)).toBeGreaterThan(30);
    expect(grey.channels).toBe(1);
    const pngPixels = await decodeImageFile(pngBytes);
    expect(Buffer.from((decodedPng as RawPage).data).equals(Buffer.from(pngPixels.data))).toBe(true);
  });

  it('still embeds PNGs it cannot pass through (palette, transparency) via pdf-lib', async () => {
    const bytes = await sharp({ create: { width: 40, height: 20, channels: 4, background: '#ff000080' } })
      .png({ palette: true })
      .toBuffer();
    const pdf = await assemblePdf([{ format: 'png', bytes, width: 40, height: 20, dpi: 100, channels: 3 }]);
    const [image] = await pdfImageList(pdf);
    expect(image).toMatchObject({ width: 40, height: 20, color: 'rgb' });
  });

  it('adds an invisible text layer that pdftotext reads back with every Vietnamese diacritic', async () => {
    const truth = readFileSync(join(CORPUS_DIR, 'd2-don-xac-nhan-cu-tru.gt.txt'), 'utf8');
    const page = await encodePage(
      await decodeImageFile(corpusFile('d2-don-xac-nhan-cu-tru', 'clean.png')),
      'bw',
    );
    // Decomposed input (as some keyboards and OCR engines produce) must come out composed.
    const words = wordsFromText(truth).map((w) => ({ ...w, text: w.text.normalize('NFD') }));
    const pdf = await assemblePdf([page, page], { textLayers: [words, undefined] });
    expect(collapse(await pdfToText(pdf, ['-f', '1', '-l', '1']))).toBe(collapse(truth));
    expect(collapse(await pdfToText(pdf, ['-f', '2', '-l', '2']))).toBe('');
    // Invisible: the rendered page holds only the image (the text layer adds no ink).
    expect(await pdfImageList(pdf)).toHaveLength(2);
    // The embedded font is a subset, so the text layer costs kilobytes, not DejaVu's 700 KB.
    const without = await assemblePdf([page, page]);
    expect(pdf.length - without.length).toBeLessThan(40 * 1024);
  });

  it('stretches each word over its box so selection lines up with the image', async () => {
    const truth = readFileSync(join(CORPUS_DIR, 'd5-bien-nhan.gt.txt'), 'utf8');
    const page = await encodePage(await decodeImageFile(corpusFile('d5-bien-nhan', 'clean.png')), 'gray');
    const words = wordsFromText(truth);
    const boxes = await pdfWordBoxes(await assemblePdf([page], { textLayers: [words] }));
    expect(boxes.map((b) => b.text)).toEqual(words.map((w) => w.text.normalize('NFC')));
    const pt = 72 / 300;
    for (const [i, word] of words.entries()) {
      const box = boxes[i] as (typeof boxes)[number];
      expect(Math.abs(box.xMin - word.bbox.x0 * pt)).toBeLessThan(0.5);
      expect(Math.abs(box.xMax - word.bbox.x1 * pt)).toBeLessThan(0.5);
      expect(Math.abs(box.yMin - word.bbox.y0 * pt)).toBeLessThan(0.5);
      expect(Math.abs(box.yMax - word.bbox.y1 * pt)).toBeLessThan(0.5);
    }
  });

  it('writes the same bytes for the same pages (content-addressed storage dedupes)', async () => {
    const page = await encodePage(await decodeImageFile(corpusFile('d6-bao-cao', 'hard.jpg')), 'bw');
    const layer = [{ text: 'Báo cáo', bbox: { x0: 100, y0: 100, x1: 300, y1: 140 } }];
    const a = await assemblePdf([page], { textLayers: [layer] });
    const b = await assemblePdf([page], { textLayers: [layer] });
    expect(Buffer.from(a).equals(Buffer.from(b))).toBe(true);
  });

  it('refuses an empty page list and more text layers than pages', async () => {
    await expect(assemblePdf([])).rejects.toBeInstanceOf(ImagingError);
    const page = await encodePage(
      { width: 8, height: 8, channels: 1, dpi: 300, data: new Uint8Array(64) },
      'bw',
    );
    await expect(assemblePdf([page], { textLayers: [[], []] })).rejects.toThrow(RangeError);
  });
});
