import { describe, expect, it } from 'vitest';
import { decodeImageFile } from '../../../electron/services/imaging/decode';
import { estimateSkew } from '../../../electron/services/imaging/deskew';
import { assemblePdf } from '../../../electron/services/imaging/pdf';
import { processScannedPage } from '../../../electron/services/imaging/process';
import { renderDeskSeparatorSheet } from '../../../electron/services/imaging/separator';
import { pdfImageList, pdfImagesDecoded, renderPdfPage } from '../../support/poppler';
import { corpusFile, noisyBlankPage } from './synthetic-pages';

describe('processScannedPage', () => {
  it('turns a skewed office scan into a straight G4 page under 80 KB, decoded back exactly', async () => {
    const page = await decodeImageFile(corpusFile('d1-to-khai-khai-sinh', 'scan.jpg'));
    const result = await processScannedPage(page, { mode: 'bw' });
    if (result.kind !== 'page') throw new Error(`expected a page, got ${result.kind}`);
    expect(result.deskewAngle).toBeCloseTo(1.5, 0);
    expect(Math.abs((await estimateSkew(result.page)).angleDegrees)).toBeLessThanOrEqual(0.3);
    expect(result.encoded).toMatchObject({
      format: 'ccitt-g4',
      width: 2480,
      height: 3508,
      dpi: 300,
      channels: 1,
    });
    const pdf = await assemblePdf([result.encoded]);
    expect(pdf.length).toBeLessThanOrEqual(80 * 1024);
    const [decoded] = await pdfImagesDecoded(pdf);
    const same = decoded?.data.every((v, i) => v < 128 === (result.page.data[i] as number) < 128);
    expect(same).toBe(true);
  });

  it('keeps colour for colour and grey for grey', async () => {
    const stamp = await decodeImageFile(corpusFile('d2-don-xac-nhan-cu-tru', 'stamp.jpg'));
    const colour = await processScannedPage(stamp, { mode: 'color' });
    const grey = await processScannedPage(stamp, { mode: 'gray' });
    if (colour.kind !== 'page' || grey.kind !== 'page') throw new Error('expected pages');
    expect(colour.encoded).toMatchObject({ format: 'jpeg', channels: 3 });
    expect(grey.encoded).toMatchObject({ format: 'jpeg', channels: 1 });
    expect(grey.page.channels).toBe(1);
    const listed = await pdfImageList(await assemblePdf([colour.encoded, grey.encoded]));
    expect(listed.map((image) => image.color)).toEqual(['rgb', 'gray']);
  });

  it('drops blank pages unless told to keep them, and reports their ink', async () => {
    const blank = await noisyBlankPage(7);
    const dropped = await processScannedPage(blank, { mode: 'gray' });
    expect(dropped.kind).toBe('blank');
    const kept = await processScannedPage(blank, { mode: 'gray', blankThreshold: null, deskew: false });
    expect(kept.kind).toBe('page');
    if (kept.kind === 'page') expect(kept.deskewAngle).toBe(0);
  });

  it('reports separator sheets only when asked to look for them', async () => {
    const sheet = await renderPdfPage(await renderDeskSeparatorSheet(), 200);
    expect(await processScannedPage(sheet, { mode: 'bw', detectSeparators: true })).toEqual({
      kind: 'separator',
      separator: 'desk',
    });
    expect((await processScannedPage(sheet, { mode: 'bw' })).kind).toBe('page');
  });
});
