import bwipjs from 'bwip-js/node';
import QRCode from 'qrcode';
import sharp from 'sharp';
import { describe, expect, it } from 'vitest';
import { vi } from '../../../electron/api/i18n';
import { decodeImageFile } from '../../../electron/services/imaging/decode';
import { rotatePage } from '../../../electron/services/imaging/deskew';
import type { RawPage } from '../../../electron/services/imaging/raw-page';
import { detectSeparator, renderDeskSeparatorSheet } from '../../../electron/services/imaging/separator';
import { pdfInfo, pdfToText, renderPdfPage } from '../../support/poppler';
import { A4_300, CORPUS_DOCS, type CorpusVariant, corpusFile } from './synthetic-pages';

/** An A4 300 dpi grey page with one barcode image pasted at (left, top). */
async function pageWith(barcode: Uint8Array, left = 300, top = 500): Promise<RawPage> {
  const { data, info } = await sharp({ create: { ...A4_300, channels: 3, background: '#ffffff' } })
    .composite([{ input: Buffer.from(barcode), left, top }])
    .toColourspace('b-w')
    .raw()
    .toBuffer({ resolveWithObject: true });
  return { width: info.width, height: info.height, channels: 1, dpi: 300, data: new Uint8Array(data) };
}

/** Code 39 as printed by bwip-js; `scale` 3 = 0.25 mm narrow bars at 300 dpi, 6 = 0.5 mm. */
const code39 = (text: string, scale: number) =>
  bwipjs.toBuffer({ bcid: 'code39', text, scale, height: 15, includetext: true });

describe('separator sheets', () => {
  it('renders a one-page A4 sheet with the Vietnamese title and instructions as real text', async () => {
    const pdf = await renderDeskSeparatorSheet();
    const info = await pdfInfo(pdf);
    expect(info.pages).toBe(1);
    expect(Math.abs((info.sizes[0]?.width ?? 0) - 595.3)).toBeLessThan(1);
    expect(Math.abs((info.sizes[0]?.height ?? 0) - 841.9)).toBeLessThan(1);
    const text = (await pdfToText(pdf)).normalize('NFC');
    expect(text).toContain('TỜ PHÂN CÁCH THÀNH PHẦN HỒ SƠ');
    expect(text).toContain(vi.imaging.separatorInstructions);
  });

  it('recognises the printed sheet scanned at 150 and 300 dpi, and crooked', async () => {
    const pdf = await renderDeskSeparatorSheet();
    for (const dpi of [150, 300]) {
      const scanned = await renderPdfPage(pdf, dpi);
      expect(scanned.dpi).toBe(dpi);
      expect(await detectSeparator(scanned), `${dpi} dpi`).toBe('desk');
    }
    const crooked = await rotatePage(await renderPdfPage(pdf, 200), 4);
    expect(await detectSeparator(crooked)).toBe('desk');
  });

  it('recognises a PATCH-T sheet (Code 39 "PATCHT"), also with thin bars', async () => {
    expect(await detectSeparator(await pageWith(await code39('PATCHT', 6)))).toBe('patch-t');
    expect(await detectSeparator(await pageWith(await code39('PATCHT', 3), 1200, 3000))).toBe('patch-t');
  });

  it('ignores other barcodes: a Code 39 with other text, a QR code with another payload (a CCCD)', async () => {
    expect(await detectSeparator(await pageWith(await code39('PATCH2', 6)))).toBeNull();
    const qr = await QRCode.toBuffer('038192004517||Lê Thị Hồng Nhung|15031992|Nữ|Thanh Hóa|12082021', {
      scale: 8,
    });
    expect(await detectSeparator(await pageWith(qr))).toBeNull();
    // Same size and place with the desk's payload is found: the nulls above are refusals, not misreads.
    const ours = await QRCode.toBuffer('MOTCUA-SEPARATOR', { scale: 8 });
    expect(await detectSeparator(await pageWith(ours))).toBe('desk');
  });

  it('never takes a corpus page (scan, stamp, photo…) for a separator', async () => {
    for (const doc of CORPUS_DOCS) {
      for (const variant of ['scan.jpg', 'stamp.jpg', 'photo.jpg'] satisfies CorpusVariant[]) {
        expect(
          await detectSeparator(await decodeImageFile(corpusFile(doc, variant))),
          `${doc} ${variant}`,
        ).toBeNull();
      }
    }
  });
});
