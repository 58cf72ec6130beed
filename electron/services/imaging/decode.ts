import sharp, { type Metadata } from 'sharp';
import { ImagingError } from './errors';
import { isPnm, pnmToRawPage } from './pnm';
import type { RawPage } from './raw-page';

/** Resolution assumed when a file does not say (what every desk scanner profile uses). */
export const DEFAULT_DPI = 300;
/** A declared resolution outside this range is a placeholder (72 dpi "screen" values, 1:1 aspect), not a scan's. */
const PLAUSIBLE_DPI = { min: 50, max: 2400 } as const;
/** A3 at 600 dpi is ~70 MP; beyond 120 MP a page is a mistake, and decoding it would eat the desk's RAM. */
export const MAX_PAGE_PIXELS = 120_000_000;

const SUPPORTED_FORMATS = new Set(['png', 'jpeg', 'tiff']);

async function readMetadata(bytes: Uint8Array): Promise<Metadata> {
  try {
    return await sharp(bytes).metadata();
  } catch (error) {
    throw new ImagingError('notAnImage', `not a decodable image: ${(error as Error).message}`);
  }
}

/** The pHYs chunk of a PNG in dots per inch, or null when absent or without a metre unit. */
function pngDpi(bytes: Uint8Array): number | null {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  let offset = 8;
  while (offset + 8 <= bytes.length) {
    const length = view.getUint32(offset);
    const type = String.fromCharCode(...bytes.subarray(offset + 4, offset + 8));
    if (type === 'pHYs' && length >= 9 && offset + 17 <= bytes.length) {
      const perMetre = view.getUint32(offset + 8);
      const unit = bytes[offset + 16];
      return unit === 1 ? perMetre * 0.0254 : null;
    }
    if (type === 'IDAT' || type === 'IEND') return null; // pHYs must come before the image data
    offset += 12 + length;
  }
  return null;
}

/**
 * The declared resolution, or DEFAULT_DPI. libvips reports 72 dpi for files that declare nothing, so a value
 * only counts when the file carries a real unit (JPEG/TIFF) or a metre-based pHYs chunk (PNG).
 */
function declaredDpi(bytes: Uint8Array, meta: Metadata): number {
  let dpi: number | null = null;
  if (meta.format === 'png') dpi = pngDpi(bytes);
  else if (meta.resolutionUnit === 'inch' || meta.resolutionUnit === 'cm') dpi = meta.density ?? null;
  if (dpi === null || dpi < PLAUSIBLE_DPI.min || dpi > PLAUSIBLE_DPI.max) return DEFAULT_DPI;
  return Math.round(dpi);
}

async function decodeOnePage(bytes: Uint8Array, meta: Metadata, pageIndex: number): Promise<RawPage> {
  // Grey and bilevel files stay one channel (a third of the memory and the JPEG size); anything else is sRGB.
  const isGray = meta.space === 'b-w' || meta.space === 'grey16';
  let pipeline = sharp(bytes, { page: pageIndex, limitInputPixels: MAX_PAGE_PIXELS }).autoOrient();
  if (meta.hasAlpha) pipeline = pipeline.flatten({ background: '#ffffff' }); // transparent = paper
  pipeline = pipeline.toColourspace(isGray ? 'b-w' : 'srgb');
  try {
    const { data, info } = await pipeline.raw({ depth: 'uchar' }).toBuffer({ resolveWithObject: true });
    const channels = info.channels;
    if (channels !== 1 && channels !== 3) throw new Error(`decoder produced ${channels} channels`);
    return {
      width: info.width,
      height: info.height,
      channels,
      dpi: declaredDpi(bytes, meta),
      data: new Uint8Array(data.buffer, data.byteOffset, data.byteLength),
    };
  } catch (error) {
    throw new ImagingError('notAnImage', `image data is corrupt: ${(error as Error).message}`);
  }
}

async function checkedMetadata(bytes: Uint8Array): Promise<Metadata> {
  const meta = await readMetadata(bytes);
  if (!SUPPORTED_FORMATS.has(meta.format)) {
    throw new ImagingError('unsupportedFormat', `unsupported image format ${meta.format}`, {
      format: meta.format.toUpperCase(),
    });
  }
  if (meta.width * meta.height > MAX_PAGE_PIXELS) {
    throw new ImagingError('tooLarge', `image of ${meta.width}x${meta.height} px exceeds the page limit`, {
      width: meta.width,
      height: meta.height,
    });
  }
  return meta;
}

/**
 * PNG / JPEG / TIFF bytes → one RawPage (EXIF orientation applied, alpha flattened onto white, grey kept
 * grey). A multi-page TIFF is refused rather than cut to its first page: use `decodeImageFilePages`.
 */
export async function decodeImageFile(bytes: Uint8Array, options: { dpi?: number } = {}): Promise<RawPage> {
  // The desk's own scanned pages are PNM, which libvips builds for Node do not read.
  if (isPnm(bytes)) {
    try {
      return pnmToRawPage(bytes, options.dpi ?? DEFAULT_DPI);
    } catch (error) {
      throw new ImagingError('notAnImage', `not a decodable PNM: ${(error as Error).message}`);
    }
  }
  const meta = await checkedMetadata(bytes);
  const pages = meta.pages ?? 1;
  if (pages > 1) {
    throw new ImagingError('multiPage', `image file holds ${pages} pages`, { pages });
  }
  return decodeOnePage(bytes, meta, 0);
}

/** Every page of an image file, in order (a multi-page TIFF from a scanner's "scan to file" button). */
export async function decodeImageFilePages(bytes: Uint8Array): Promise<RawPage[]> {
  const meta = await checkedMetadata(bytes);
  const pages: RawPage[] = [];
  for (let index = 0; index < (meta.pages ?? 1); index++) {
    const pageMeta = index === 0 ? meta : await sharp(bytes, { page: index }).metadata();
    pages.push(await decodeOnePage(bytes, pageMeta, index));
  }
  return pages;
}
