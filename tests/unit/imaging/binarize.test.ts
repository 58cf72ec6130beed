import sharp from 'sharp';
import { describe, expect, it } from 'vitest';
import { isBilevel, toBlackAndWhite } from '../../../electron/services/imaging/binarize';
import { decodeImageFile } from '../../../electron/services/imaging/decode';
import type { RawPage } from '../../../electron/services/imaging/raw-page';
import { corpusFile } from './synthetic-pages';

/**
 * A page whose lighting falls from white at the top to dark grey at the bottom (a curled page on a flatbed),
 * with the same word printed in the bright and in the shadowed part. Returns the page and the word boxes.
 */
async function unevenlyLitPage(): Promise<{ page: RawPage; boxes: { top: number; bottom: number }[] }> {
  const width = 1200;
  const height = 1600;
  const svg = `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}">
    <defs><linearGradient id="g" x1="0" y1="0" x2="0" y2="1">
      <stop offset="0" stop-color="#f8f8f8"/><stop offset="1" stop-color="#303030"/></linearGradient></defs>
    <rect width="100%" height="100%" fill="url(#g)"/>
    <text x="100" y="250" font-family="DejaVu Sans" font-size="90" fill="#000" fill-opacity="0.45">Hồ sơ</text>
    <text x="100" y="1450" font-family="DejaVu Sans" font-size="90" fill="#000" fill-opacity="0.45">Hồ sơ</text>
  </svg>`;
  const { data, info } = await sharp(Buffer.from(svg))
    .toColourspace('b-w')
    .raw()
    .toBuffer({ resolveWithObject: true });
  return {
    page: { width: info.width, height: info.height, channels: 1, dpi: 300, data: new Uint8Array(data) },
    boxes: [
      { top: 150, bottom: 280 },
      { top: 1350, bottom: 1480 },
    ],
  };
}

const inkIn = (page: RawPage, top: number, bottom: number) => {
  let n = 0;
  for (let i = top * page.width; i < bottom * page.width; i++) if (page.data[i] === 0) n++;
  return n;
};

describe('toBlackAndWhite', () => {
  it('gives a 0/255 page of the same size', async () => {
    const page = await decodeImageFile(corpusFile('d5-bien-nhan', 'stamp.jpg'));
    const bw = toBlackAndWhite(page);
    expect([bw.width, bw.height, bw.channels, bw.dpi]).toEqual([page.width, page.height, 1, page.dpi]);
    expect(isBilevel(bw)).toBe(true);
    expect(toBlackAndWhite(bw)).toBe(bw); // already bilevel: nothing to do
  });

  it('adapts to uneven lighting where a fixed cut fails', async () => {
    const { page, boxes } = await unevenlyLitPage();
    const bw = toBlackAndWhite(page);
    const [bright, dark] = boxes.map((box) => inkIn(bw, box.top, box.bottom)) as [number, number];
    // Both words come out with similar ink, and the shadowed paper between them stays white.
    expect(bright).toBeGreaterThan(2000);
    expect(dark / bright).toBeGreaterThan(0.7);
    expect(dark / bright).toBeLessThan(1.4);
    expect(inkIn(bw, 400, 1300)).toBeLessThan(0.001 * 900 * bw.width);

    // The same page through a fixed threshold at mid-grey: the shadow turns into a black slab.
    const fixed = { ...page, data: page.data.map((v) => (v < 128 ? 0 : 255)) };
    expect(inkIn(fixed, 400, 1300)).toBeGreaterThan(0.2 * 900 * bw.width);
  });

  it('keeps grey paper with scanner noise white', async () => {
    const page = await decodeImageFile(corpusFile('d2-don-xac-nhan-cu-tru', 'hard.jpg'));
    const bw = toBlackAndWhite(page);
    let ink = 0;
    for (const v of bw.data) if (v === 0) ink++;
    // Text covers a few percent of a page; noise turned black would push this far up.
    expect(ink / bw.data.length).toBeGreaterThan(0.01);
    expect(ink / bw.data.length).toBeLessThan(0.12);
  });
});
