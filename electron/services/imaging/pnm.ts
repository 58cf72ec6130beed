import { parsePnm } from '../../../native/sane/pnm';
import type { RawPage } from './raw-page';

/** A binary PNM (P4/P5/P6), the scanner's lossless page file: starts with 'P' and the kind digit. */
export function isPnm(bytes: Uint8Array): boolean {
  return bytes[0] === 0x50 && (bytes[1] === 0x34 || bytes[1] === 0x35 || bytes[1] === 0x36);
}

/**
 * A PNM page as a RawPage. Grey and RGB pages share the file's memory; black-and-white pages are unpacked to
 * grey 0/255 (PBM: a set bit is black). PNM carries no resolution, so the caller says what it was scanned at.
 */
export function pnmToRawPage(bytes: Uint8Array, dpi: number): RawPage {
  const info = parsePnm(bytes);
  const { width, height, channels } = info;
  if (info.depth === 8) {
    const data = bytes.subarray(info.dataOffset, info.dataOffset + width * height * channels);
    return { width, height, channels, dpi, data };
  }
  const data = new Uint8Array(width * height);
  for (let y = 0; y < height; y++) {
    const row = info.dataOffset + y * info.rowBytes;
    const out = y * width;
    for (let x = 0; x < width; x++) {
      const bit = ((bytes[row + (x >> 3)] as number) >> (7 - (x & 7))) & 1;
      data[out + x] = bit ? 0 : 255;
    }
  }
  return { width, height, channels: 1, dpi, data };
}
