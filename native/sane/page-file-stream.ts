/**
 * Streaming a single-pass frame straight into its page file (O_DIRECT on Linux), through the buffer pool's
 * ring. Deliberate, for speed: the page never sits whole in memory and the fsync after it has little left to do.
 */
import { createHash, randomUUID } from 'node:crypto';
import { closeSync, constants as fsConstants, ftruncateSync, openSync, rmSync, write } from 'node:fs';
import { join } from 'node:path';
import { SLOT_BYTES, theRing } from './buffer-pool';
import { pnmHeader, pnmKindFor, pnmRowBytes } from './pnm';
import { type PageFileSink, SCAN_TEMP_SUFFIX } from './protocol';
import type { ReadPacer } from './read-pacer';
import { SaneFrame, type SaneParameters, SaneStatus } from './types';
import { channelsOf, letFrameThreadsEnd, type OpenDevice } from './worker-device';

/** Whether a frame can go straight to its file: one pass, known height, rows exactly as PNM stores them. */
export function streamable(params: SaneParameters): boolean {
  if (params.format > SaneFrame.RGB || params.lines <= 0 || params.depth === 16) return false;
  const kind = pnmKindFor(channelsOf(params.format), params.depth === 1 ? 1 : 8);
  return pnmRowBytes(kind, params.pixelsPerLine) === params.bytesPerLine;
}

/** Writes all of `data` at `position`, on libuv's thread pool: the worker thread goes on hashing and reading. */
function writeAt(fd: number, data: Uint8Array, position: number): Promise<void> {
  return new Promise((resolve, reject) => {
    const step = (done: number) => {
      if (done === data.length) {
        resolve();
        return;
      }
      write(fd, data, done, data.length - done, position + done, (error, written) =>
        error ? reject(error) : step(done + written),
      );
    };
    step(0);
  });
}

/**
 * Linux: page files are written with O_DIRECT, straight from the (page-aligned) ring to the disk while the
 * next slot is read. Buffered writes only reached the page cache, so the fsync after the page had to write
 * all 8.7 MB of a grey A4 page at once (7 ms on the test VM) and the page cache copy cost CPU. Filesystems
 * that refuse O_DIRECT (tmpfs) get buffered writes.
 */
const O_DIRECT = process.platform === 'linux' ? (fsConstants.O_DIRECT ?? 0) : 0;
/** O_DIRECT wants buffer addresses, file offsets and lengths in whole logical blocks; a page is safe. */
const DIRECT_BLOCK = 4096;
const noDirectIn = new Set<string>();

function openPageFile(dir: string, path: string, aligned: boolean): { fd: number; direct: boolean } {
  if (O_DIRECT && aligned && !noDirectIn.has(dir)) {
    const flags = fsConstants.O_WRONLY | fsConstants.O_CREAT | fsConstants.O_EXCL | O_DIRECT;
    try {
      return { fd: openSync(path, flags, 0o600), direct: true };
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EINVAL') throw error;
      noDirectIn.add(dir);
    }
  }
  return { fd: openSync(path, 'wx', 0o600), direct: false };
}

/**
 * Reads a single-pass frame straight into a PNM temp file in `sink.dir`. While this thread reads into one
 * ring slot (and hashes the one before), the slots filled before are written on libuv's pool; when the
 * device is slow, the read itself runs on koffi's pool (see `ReadPacer`). The file is the header followed by
 * the pixel stream, slot after slot, so every write but the last is a whole slot at a slot boundary. It
 * always holds exactly the header plus lines × bytesPerLine bytes, as its header says: a backend that sends
 * less is padded with zeros, one that sends more is cut. Not fsync'd here: the caller does that while this
 * worker already reads the next sheet.
 */
export async function streamFrame(
  dev: OpenDevice,
  params: SaneParameters,
  sink: PageFileSink,
  onProgress: (bytes: number) => void,
  pacer: ReadPacer,
): Promise<{ path: string; bytes: number; sha256: string; reads: number } | { stop: number; bytes: number }> {
  const kind = pnmKindFor(channelsOf(params.format), params.depth === 1 ? 1 : 8);
  const header = pnmHeader(kind, params.pixelsPerLine, params.lines);
  const expected = params.bytesPerLine * params.lines;
  const owner = sink.tag && /^[A-Za-z0-9-]{1,100}$/.test(sink.tag) ? `${sink.tag}.` : '';
  const path = join(sink.dir, `.${owner}${randomUUID()}${SCAN_TEMP_SUFFIX}`);
  const { slots, aligned } = theRing();
  const { fd, direct } = openPageFile(sink.dir, path, aligned);
  const hash = createHash('sha256');
  // Per slot: its write, done before the slot is filled again.
  const busy: (Promise<unknown> | null)[] = slots.map(() => null);
  let failure: unknown = null;
  let slotOffset = 0; // where the current slot's bytes go in the file
  let slot = 0;
  let fill = header.length;
  (slots[0] as Uint8Array).set(header);
  let kept = 0; // pixel bytes taken (never more than expected)
  let received = 0;
  let reads = 0;
  const flush = async () => {
    if (fill > 0) {
      const data = (slots[slot] as Uint8Array).subarray(0, fill);
      // Only the last write of a page can be short: O_DIRECT writes it in whole blocks (what follows the
      // data is cut off again by the truncate below) and the hash takes the data alone.
      const written = direct ? (slots[slot] as Uint8Array).subarray(0, roundUp(fill, DIRECT_BLOCK)) : data;
      const pending = writeAt(fd, written, slotOffset);
      // Hashed while libuv's pool writes it. (A hashing thread of its own measured no faster on two cores,
      // and slower on a busy machine: every hand-off waits for a core.)
      hash.update(data);
      // Remembered, and never left unhandled: the error surfaces when the slot is awaited.
      pending.catch((error: unknown) => {
        failure ??= error;
      });
      busy[slot] = pending;
      slotOffset += fill;
      slot = (slot + 1) % slots.length;
      fill = 0;
    }
    await busy[slot]?.catch(() => {});
    busy[slot] = null;
    if (failure) throw failure;
  };
  const drain = async () => {
    await Promise.all(busy.map((w) => w?.catch(() => {})));
  };
  const abandon = async () => {
    await drain();
    try {
      closeSync(fd);
    } catch {
      // Already closed.
    }
    rmSync(path, { force: true });
  };
  try {
    for (;;) {
      if (fill === SLOT_BYTES) await flush();
      const target = (slots[slot] as Uint8Array).subarray(fill);
      if (received >= expected) await letFrameThreadsEnd(dev);
      const { status, length } = await pacer.read(target);
      if (dev.cancelRequested || (status !== SaneStatus.GOOD && status !== SaneStatus.EOF)) {
        await abandon();
        return { stop: dev.cancelRequested ? SaneStatus.CANCELLED : status, bytes: received };
      }
      if (status === SaneStatus.EOF) break;
      const used = Math.min(length, expected - kept);
      fill += used;
      kept += used;
      received += length;
      reads++;
      onProgress(received);
    }
    while (kept < expected) {
      if (fill === SLOT_BYTES) await flush();
      const zeros = Math.min(SLOT_BYTES - fill, expected - kept);
      (slots[slot] as Uint8Array).fill(0, fill, fill + zeros);
      fill += zeros;
      kept += zeros;
    }
    await flush();
    await drain();
    if (failure) throw failure;
    const bytes = header.length + expected;
    if (direct) ftruncateSync(fd, bytes);
    closeSync(fd);
    return { path, bytes, sha256: hash.digest('hex'), reads };
  } catch (error) {
    await abandon();
    throw error;
  }
}

const roundUp = (n: number, block: number) => Math.ceil(n / block) * block;
