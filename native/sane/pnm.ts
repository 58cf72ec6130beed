/**
 * PNM (netpbm) is SANE's natural lossless container, the same scanimage writes: a short text header plus
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
