import type { RawPage } from './raw-page';

/**
 * PNM (netpbm): the scanner's lossless page file and the OCR threads' input. It is SANE's natural container, the same scanimage writes: a short text header plus
 * the frame's bytes as they came off the device. P4 = 1-bit (1 is black, like SANE lineart),
 * P5 = 8-bit grey, P6 = 8-bit RGB.
 */

export type PnmKind = 'P4' | 'P5' | 'P6';

export interface PnmInfo {
  kind: PnmKind;
  width: number;
  height: number;
  channels: 1 | 3;
  /** 1 for P4, else 8. */
  depth: 1 | 8;
  /** Bytes of one stored row. */
  rowBytes: number;
  /** Where the pixels start. */
  dataOffset: number;
}

export function pnmKindFor(channels: 1 | 3, depth: 1 | 8): PnmKind {
  if (channels === 3) return 'P6';
  return depth === 1 ? 'P4' : 'P5';
}

export function pnmRowBytes(kind: PnmKind, width: number): number {
  if (kind === 'P4') return Math.ceil(width / 8);
  return kind === 'P6' ? width * 3 : width;
}

export function pnmHeader(kind: PnmKind, width: number, height: number): Uint8Array {
  const text = kind === 'P4' ? `P4\n${width} ${height}\n` : `P${kind[1]}\n${width} ${height}\n255\n`;
  return new TextEncoder().encode(text);
}

/** Parses the header of a binary PNM as written by `pnmHeader` (or any tool: comments are skipped). */
export function parsePnm(bytes: Uint8Array): PnmInfo {
  let pos = 0;
  const fields: string[] = [];
  const isSpace = (c: number) => c === 0x20 || c === 0x0a || c === 0x0d || c === 0x09;
  const magic = String.fromCharCode(bytes[0] ?? 0, bytes[1] ?? 0);
  if (magic !== 'P4' && magic !== 'P5' && magic !== 'P6') throw new Error(`not a binary PNM (${magic})`);
  const kind = magic as PnmKind;
  const needed = kind === 'P4' ? 2 : 3;
  pos = 2;
  while (fields.length < needed) {
    while (pos < bytes.length && isSpace(bytes[pos] as number)) pos++;
    if (bytes[pos] === 0x23) {
      while (pos < bytes.length && bytes[pos] !== 0x0a) pos++;
      continue;
    }
    const start = pos;
    while (pos < bytes.length && !isSpace(bytes[pos] as number)) pos++;
    if (start === pos) throw new Error('truncated PNM header');
    fields.push(String.fromCharCode(...bytes.subarray(start, pos)));
  }
  pos++; // exactly one whitespace byte separates the header from the pixels
  const [width, height, maxval] = fields.map(Number) as [number, number, number | undefined];
  if (!(width > 0 && height > 0)) throw new Error(`invalid PNM size ${width}x${height}`);
  if (kind !== 'P4' && maxval !== 255) throw new Error(`unsupported PNM maxval ${maxval}`);
  const rowBytes = pnmRowBytes(kind, width);
  if (bytes.length - pos < rowBytes * height) throw new Error('truncated PNM pixels');
  return {
    kind,
    width,
    height,
    channels: kind === 'P6' ? 3 : 1,
    depth: kind === 'P4' ? 1 : 8,
    rowBytes,
    dataOffset: pos,
  };
}

/** A whole 8-bit PNM file (P5 grey, P6 RGB): the header, then the pixels as they are. */
export function encodePnm(pixels: Uint8Array, width: number, height: number, channels: 1 | 3): Uint8Array {
  const header = pnmHeader(pnmKindFor(channels, 8), width, height);
  const bytes = new Uint8Array(header.length + pixels.length);
  bytes.set(header, 0);
  bytes.set(pixels, header.length);
  return bytes;
}

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
