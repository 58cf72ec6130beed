/**
 * Reading a frame into memory (pooled page buffers, hashed while koffi's thread reads) and assembling the
 * page: PNM header in place, padded or 16-bit lines normalised, three-pass colour interleaved.
 */
import type { Hash } from 'node:crypto';
import { recycle, takeBuffer } from './buffer-pool';
import { pnmHeader, pnmKindFor, pnmRowBytes } from './pnm';
import type { ScannedFrame } from './protocol';
import type { ReadPacer } from './read-pacer';
import { SaneFrame, type SaneParameters, SaneStatus } from './types';
import { letFrameThreadsEnd, type OpenDevice } from './worker-device';

const READ_CHUNK = 1 << 20;

/** Moves rows of `bytesPerLine` into rows of `rowBytes` (backends may pad lines) and 16-bit to 8-bit. */
function normaliseRows(
  raw: Uint8Array,
  lines: number,
  params: SaneParameters,
  rowBytes: number,
  target: Uint8Array,
): void {
  const { bytesPerLine, depth } = params;
  for (let y = 0; y < lines; y++) {
    const src = raw.subarray(y * bytesPerLine, y * bytesPerLine + bytesPerLine);
    const dst = target.subarray(y * rowBytes, (y + 1) * rowBytes);
    if (depth === 16) {
      // SANE 16-bit samples are in host byte order; keep the most significant byte.
      const view = new DataView(src.buffer, src.byteOffset, src.byteLength);
      for (let x = 0; x < rowBytes; x++) dst[x] = view.getUint16(x * 2, true) >> 8;
    } else dst.set(src.subarray(0, rowBytes));
  }
}

export async function readFrame(
  dev: OpenDevice,
  params: SaneParameters,
  headerRoom: number,
  onProgress: (bytes: number) => void,
  /**
   * Fed with the bytes read, but only while a pooled read runs on koffi's thread, so hashing costs the
   * capture nothing. When the data comes faster than that (reads on this thread), the hash is given up:
   * `hashed` is then false and the page is hashed where it is stored.
   */
  hash: Hash | null,
  pacer: ReadPacer,
): Promise<
  { buffer: Uint8Array; bytes: number; reads: number; hashed: boolean } | { stop: number; bytes: number }
> {
  const known = params.lines > 0 ? params.bytesPerLine * params.lines : null;
  const wanted = headerRoom + (known ?? params.bytesPerLine * 1024);
  let buffer = takeBuffer(wanted);
  let offset = headerRoom;
  let hashed = headerRoom;
  let reads = 0;
  for (;;) {
    if (offset === buffer.length) {
      // Unknown page length, or more data than announced: grow by half.
      const grown = new Uint8Array(new ArrayBuffer(Math.ceil(buffer.length * 1.5)));
      grown.set(buffer);
      buffer = grown;
    }
    const target = buffer.subarray(offset, Math.min(buffer.length, offset + READ_CHUNK));
    if (known !== null && offset - headerRoom >= known) await letFrameThreadsEnd(dev);
    const pending = pacer.read(target);
    if (hash && hashed < offset && pacer.pooled) {
      // Bytes already read, disjoint from the region the pending read fills.
      hash.update(buffer.subarray(hashed, offset));
      hashed = offset;
    }
    const { status, length } = await pending;
    if (dev.cancelRequested || (status !== SaneStatus.GOOD && status !== SaneStatus.EOF)) {
      recycle(buffer.buffer as ArrayBuffer);
      return { stop: dev.cancelRequested ? SaneStatus.CANCELLED : status, bytes: offset - headerRoom };
    }
    if (status === SaneStatus.EOF) break;
    offset += length;
    reads++;
    onProgress(offset - headerRoom);
  }
  // A last chunk or two is cheap to finish here; more means the device outran hashing.
  const complete = hash !== null && offset - hashed <= 2 * READ_CHUNK;
  if (hash && complete && hashed < offset) hash.update(buffer.subarray(hashed, offset));
  return { buffer, bytes: offset - headerRoom, reads, hashed: complete };
}

export function finishPage(
  params: SaneParameters,
  page: { buffer: Uint8Array; bytes: number } | null,
  planes: Uint8Array[],
  startMs: number,
  readMs: number,
  reads: number,
  /** Hash of the header and every byte read; valid when the page is exactly what was announced. */
  hash: Hash | null,
): ScannedFrame {
  const channels = params.format === SaneFrame.GRAY ? 1 : 3;
  const depth: 1 | 8 = params.depth === 1 ? 1 : 8;
  const kind = pnmKindFor(channels, depth);
  const width = params.pixelsPerLine;
  const rowBytes = pnmRowBytes(kind, width);
  if (page) {
    const header = pnmHeader(kind, width, Math.max(1, params.lines));
    const height = params.lines > 0 ? params.lines : Math.floor(page.bytes / params.bytesPerLine);
    const pixels = page.buffer.subarray(header.length, header.length + page.bytes);
    const exact = params.lines > 0 && rowBytes === params.bytesPerLine && params.depth !== 16;
    if (exact && pixels.length >= rowBytes * height) {
      page.buffer.set(header, 0);
      // The read buffer itself leaves the worker (transferred, not copied); the caller may hand it back.
      const pnm = page.buffer.subarray(0, header.length + rowBytes * height);
      const sha256 = hash && pixels.length === rowBytes * height ? hash.digest('hex') : undefined;
      return frameResult(params, kind, width, height, channels, depth, pnm, startMs, readMs, reads, sha256);
    }
    const finalHeader = pnmHeader(kind, width, height);
    const pnm = new Uint8Array(new ArrayBuffer(finalHeader.length + rowBytes * height));
    pnm.set(finalHeader);
    normaliseRows(pixels, height, params, rowBytes, pnm.subarray(finalHeader.length));
    recycle(page.buffer.buffer as ArrayBuffer);
    return frameResult(params, kind, width, height, channels, depth, pnm, startMs, readMs, reads);
  }
  // Three-pass colour: interleave the red, green and blue planes.
  const height = params.lines > 0 ? params.lines : Math.floor((planes[0]?.length ?? 0) / params.bytesPerLine);
  const grey = planes.map((plane) => {
    const out = new Uint8Array(width * height);
    normaliseRows(plane, height, { ...params, bytesPerLine: params.bytesPerLine }, width, out);
    return out;
  });
  const header = pnmHeader('P6', width, height);
  const pnm = new Uint8Array(new ArrayBuffer(header.length + width * height * 3));
  pnm.set(header);
  const [r, g, b] = grey as [Uint8Array, Uint8Array, Uint8Array];
  for (let i = 0, j = header.length; i < width * height; i++, j += 3) {
    pnm[j] = r[i] ?? 0;
    pnm[j + 1] = g[i] ?? 0;
    pnm[j + 2] = b[i] ?? 0;
  }
  for (const plane of planes) recycle(plane.buffer as ArrayBuffer);
  return frameResult(params, 'P6', width, height, 3, 8, pnm, startMs, readMs, reads);
}

function frameResult(
  parameters: SaneParameters,
  pnmKind: ScannedFrame['pnmKind'],
  width: number,
  height: number,
  channels: 1 | 3,
  depth: 1 | 8,
  pnm: Uint8Array,
  startMs: number,
  readMs: number,
  reads: number,
  sha256?: string,
): ScannedFrame {
  return {
    kind: 'page',
    width,
    height,
    channels,
    depth,
    pnmKind,
    pnm,
    ...(sha256 ? { sha256 } : {}),
    parameters,
    startMs,
    readMs,
    reads,
    blockingReads: 0,
    backendThreadsEnded: null,
  };
}
