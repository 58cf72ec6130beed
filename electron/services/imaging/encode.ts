import sharp from 'sharp';
import { toBlackAndWhite } from './binarize';
import { encodeG4 } from './ccitt-g4';
import type { EncodedPage } from './encoded-page';
import { assertRawPage, type ColorMode, type RawPage, toGrayPage } from './raw-page';

/**
 * JPEG quality per mode (libjpeg-turbo scale). 75 keeps 300 dpi text and stamps crisp for reading and OCR;
 * a clean grey A4 page is ~0.4 MB, a noisy office scan ~0.7 MB. Colour uses 4:2:0 chroma: seals and
 * signatures keep their hue, halving the colour data. mozjpeg's trellis would save ~25 % more but costs
 * ~1 s per A4 page on a desk PC, longer than the scanner takes to feed the next sheet.
 */
export const JPEG_QUALITY = { color: 75, gray: 75 } as const;

async function encodeJpeg(page: RawPage, quality: number): Promise<EncodedPage> {
  const bytes = await sharp(page.data, {
    raw: { width: page.width, height: page.height, channels: page.channels },
  })
    // Without this libvips writes a one-channel page as a three-channel JPEG: three times the data for grey.
    .toColourspace(page.channels === 1 ? 'b-w' : 'srgb')
    .jpeg({ quality, chromaSubsampling: '4:2:0' })
    .withDensity(page.dpi)
    .toBuffer();
  return {
    format: 'jpeg',
    bytes: new Uint8Array(bytes.buffer, bytes.byteOffset, bytes.byteLength),
    width: page.width,
    height: page.height,
    dpi: page.dpi,
    channels: page.channels,
  };
}

/** Black-and-white page as CCITT Group 4 (binarising adaptively first unless it is already 0/255). */
export function encodeBlackAndWhite(page: RawPage): EncodedPage {
  const bw = toBlackAndWhite(page);
  return {
    format: 'ccitt-g4',
    bytes: encodeG4(bw.data, bw.width, bw.height),
    width: bw.width,
    height: bw.height,
    dpi: bw.dpi,
    channels: 1,
  };
}

/**
 * Compresses a page the way its mode calls for: colour → JPEG (a grey page stays one channel), grey → JPEG,
 * black-and-white → CCITT G4. The result embeds in a PDF without re-encoding.
 */
export async function encodePage(page: RawPage, mode: ColorMode): Promise<EncodedPage> {
  assertRawPage(page);
  switch (mode) {
    case 'color':
      return encodeJpeg(page, JPEG_QUALITY.color);
    case 'gray':
      return encodeJpeg(toGrayPage(page), JPEG_QUALITY.gray);
    case 'bw':
      return encodeBlackAndWhite(page);
  }
}
