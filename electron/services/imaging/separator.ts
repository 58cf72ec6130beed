import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import fontkit from '@pdf-lib/fontkit';
import { PDFDocument, type PDFFont, type PDFPage, rgb } from 'pdf-lib';
import QRCode from 'qrcode';
import sharp from 'sharp';
import { prepareZXingModule, type ReadResult, readBarcodes } from 'zxing-wasm/reader';
import { vi } from '../../api/i18n';
import { textFontBytes } from './fonts';
import { assertRawPage, type RawPage } from './raw-page';

/** What the desk's own separator sheet's QR code says. Versioned so a future sheet can carry more. */
export const DESK_SEPARATOR_PAYLOAD = 'MOTCUA-SEPARATOR';
/** Text of the Code 39 barcode on a PATCH-T sheet (the scanner industry's "new document" sheet). */
export const PATCH_T_TEXT = 'PATCHT';
export type SeparatorKind = 'patch-t' | 'desk';

/**
 * Resolution pages are searched at. Both codes are large (QR modules ≥ 2 mm, Code 39 bars ≥ 0.5 mm), so
 * 150 dpi finds them with room to spare while the decoder sees a quarter of a 300 dpi page's pixels.
 */
const DETECT_DPI = 150;

const require = createRequire(import.meta.url);
let zxingReady: Promise<unknown> | null = null;

/** Loads the zxing wasm from the installed package (no network: the desk works offline). */
function ensureZxing(): Promise<unknown> {
  if (!zxingReady) {
    const wasm = readFileSync(require.resolve('zxing-wasm/reader/zxing_reader.wasm'));
    zxingReady = prepareZXingModule({
      overrides: { wasmBinary: wasm.buffer.slice(wasm.byteOffset, wasm.byteOffset + wasm.byteLength) },
      fireImmediately: true,
    });
  }
  return zxingReady;
}

function classify(results: ReadResult[]): SeparatorKind | null {
  for (const result of results) {
    if (result.symbology === 'QRCode' && result.text === DESK_SEPARATOR_PAYLOAD) return 'desk';
  }
  for (const result of results) {
    const text = result.text.toUpperCase().replace(/[\s-]/g, '');
    if (result.symbology === 'Code39' && text === PATCH_T_TEXT) return 'patch-t';
  }
  return null;
}

/**
 * Is this page a separator sheet? 'desk' for the sheet printed by `renderDeskSeparatorSheet`, 'patch-t' for a
 * PATCH-T sheet (Code 39 "PATCHT"), null for a page of the dossier. Other barcodes (e.g. a QR code on a
 * citizen's document) never match: only these exact payloads count.
 */
export async function detectSeparator(page: RawPage): Promise<SeparatorKind | null> {
  assertRawPage(page);
  await ensureZxing();
  const width = Math.max(1, Math.round((page.width * Math.min(DETECT_DPI, page.dpi)) / page.dpi));
  const { data, info } = await sharp(page.data, {
    raw: { width: page.width, height: page.height, channels: page.channels },
  })
    .resize({ width, kernel: 'linear' })
    .toColourspace('srgb')
    .ensureAlpha()
    .raw()
    .toBuffer({ resolveWithObject: true });
  const imageData = {
    data: new Uint8ClampedArray(data.buffer, data.byteOffset, data.byteLength),
    width: info.width,
    height: info.height,
    colorSpace: 'srgb',
  } as ImageData;
  const results = await readBarcodes(imageData, {
    formats: ['QRCode', 'Code39'],
    tryHarder: true,
    maxNumberOfSymbols: 8,
  });
  return classify(results);
}

function drawCentred(page: PDFPage, font: PDFFont, text: string, y: number, size: number) {
  const x = (page.getWidth() - font.widthOfTextAtSize(text, size)) / 2;
  page.drawText(text, { x, y, size, font, color: rgb(0, 0, 0) });
}

/** Draws a QR symbol as vector squares (crisp at any printer resolution), one rectangle per dark run. */
function drawQr(page: PDFPage, payload: string, centreX: number, centreY: number, side: number) {
  const { modules } = QRCode.create(payload, { errorCorrectionLevel: 'H' });
  const module = side / modules.size;
  const left = centreX - side / 2;
  const top = centreY + side / 2;
  for (let row = 0; row < modules.size; row++) {
    let col = 0;
    while (col < modules.size) {
      if (!modules.get(row, col)) {
        col++;
        continue;
      }
      const start = col;
      while (col < modules.size && modules.get(row, col)) col++;
      page.drawRectangle({
        x: left + start * module,
        y: top - (row + 1) * module,
        width: (col - start) * module,
        // A hair of overlap so no white seam shows between rows when printed.
        height: module + 0.05,
        color: rgb(0, 0, 0),
      });
    }
  }
}

/**
 * The desk's separator sheet, A4: a big QR code (payload MOTCUA-SEPARATOR, error correction H, 100 mm wide,
 * so it survives a worn or crooked copy) between the Vietnamese title and instructions. The clerk prints a
 * few and puts one between the components of a dossier; `detectSeparator` recognises it.
 */
export async function renderDeskSeparatorSheet(): Promise<Uint8Array> {
  const doc = await PDFDocument.create({ updateMetadata: false });
  doc.setProducer('MotCua Desk');
  doc.setTitle(vi.imaging.separatorTitle);
  doc.registerFontkit(fontkit);
  const font = await doc.embedFont(textFontBytes(), { subset: true });
  const mm = 72 / 25.4;
  const page = doc.addPage([210 * mm, 297 * mm]);
  const centreX = page.getWidth() / 2;

  page.drawRectangle({ x: 15 * mm, y: 262 * mm, width: 180 * mm, height: 2 * mm, color: rgb(0, 0, 0) });
  drawCentred(page, font, vi.imaging.separatorTitle, 245 * mm, 22);
  drawQr(page, DESK_SEPARATOR_PAYLOAD, centreX, 160 * mm, 100 * mm);
  drawCentred(page, font, DESK_SEPARATOR_PAYLOAD, 100 * mm, 11);
  drawCentred(page, font, vi.imaging.separatorInstructions, 80 * mm, 14);
  drawCentred(page, font, vi.imaging.separatorEffect, 70 * mm, 14);
  drawCentred(page, font, vi.imaging.separatorCare, 55 * mm, 11);
  page.drawRectangle({ x: 15 * mm, y: 33 * mm, width: 180 * mm, height: 2 * mm, color: rgb(0, 0, 0) });
  return doc.save();
}
