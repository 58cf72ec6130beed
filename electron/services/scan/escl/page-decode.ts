/**
 * A page as an eSCL device sends it (JPEG or PNG) → the desk's lossless page file (PNM), in the colour mode the
 * clerk asked for: RGB P6, grey P5, or black-and-white P4 (1 = black, like SANE lineart). Decoding runs in
 * libvips' thread pool (sharp), off the main thread; only the 1-bit packing is done here, one pass.
 */
import sharp from 'sharp';
import { pnmHeader, pnmKindFor, pnmRowBytes } from '../../../../native/sane/pnm';
import { MAX_PAGE_PIXELS } from '../../imaging/decode';
import type { ColorMode } from '../../imaging/raw-page';
import { ScanError } from '../errors';

export interface DecodedPage {
  width: number;
  height: number;
  channels: 1 | 3;
  depth: 1 | 8;
  pnm: Uint8Array;
}

/** Grey above this is paper in a black-and-white page (the middle of the range, as scanners threshold). */
const BW_THRESHOLD = 128;

export async function decodeEsclPage(bytes: Uint8Array, mode: ColorMode): Promise<DecodedPage> {
  let pipeline = sharp(bytes, { limitInputPixels: MAX_PAGE_PIXELS, failOn: 'error' });
  let data: Buffer;
  let width: number;
  let height: number;
  try {
    const meta = await pipeline.metadata();
    if (meta.format !== 'jpeg' && meta.format !== 'png')
      throw new ScanError('escl-protocol', `page in unexpected format ${meta.format}`);
    if (meta.hasAlpha) pipeline = pipeline.flatten({ background: '#ffffff' });
    pipeline = pipeline.toColourspace(mode === 'color' ? 'srgb' : 'b-w');
    if (mode === 'bw') pipeline = pipeline.threshold(BW_THRESHOLD);
    const out = await pipeline.raw({ depth: 'uchar' }).toBuffer({ resolveWithObject: true });
    ({ data } = out);
    ({ width, height } = out.info);
    const expected = mode === 'color' ? 3 : 1;
    if (out.info.channels !== expected)
      throw new ScanError('escl-protocol', `page decoded to ${out.info.channels} channels, not ${expected}`);
  } catch (error) {
    if (error instanceof ScanError) throw error;
    throw new ScanError('escl-protocol', `page image is not decodable: ${(error as Error).message}`);
  }
  const channels = mode === 'color' ? 3 : 1;
  const depth = mode === 'bw' ? 1 : 8;
  const kind = pnmKindFor(channels, depth);
  const header = pnmHeader(kind, width, height);
  const rowBytes = pnmRowBytes(kind, width);
  const pnm = new Uint8Array(header.length + rowBytes * height);
  pnm.set(header, 0);
  if (depth === 8) {
    pnm.set(data, header.length);
  } else {
    // Pack: a dark pixel (0 after the threshold) is a set bit.
    for (let y = 0; y < height; y++) {
      const src = y * width;
      const dst = header.length + y * rowBytes;
      for (let x = 0; x < width; x++) {
        if ((data[src + x] as number) < BW_THRESHOLD) {
          const at = dst + (x >> 3);
          pnm[at] = (pnm[at] as number) | (0x80 >> (x & 7));
        }
      }
    }
  }
  return { width, height, channels, depth, pnm };
}
