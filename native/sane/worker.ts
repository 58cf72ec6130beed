import { createHash, type Hash, randomUUID } from 'node:crypto';
import { closeSync, constants as fsConstants, ftruncateSync, openSync, rmSync, write } from 'node:fs';
import { join } from 'node:path';
import { parentPort, workerData } from 'node:worker_threads';
import koffi from 'koffi';
import { threadIds, threadsAtRest, threadsEnded, threadsStartedSince } from './backend-threads';
import { loadSaneLibrary, type SaneLibrary } from './bindings';
import { pnmHeader, pnmKindFor, pnmRowBytes } from './pnm';
import {
  type PageFileSink,
  type SaneResults,
  SCAN_TEMP_SUFFIX,
  type ScannedFrame,
  type ScanStop,
  type SetResult,
  type StoredFrame,
  type WorkerData,
  type WorkerInbound,
  type WorkerOutbound,
} from './protocol';
import { ReadPacer } from './read-pacer';
import { createSignalGuard } from './signal-guard';
import {
  fix,
  SaneAction,
  SaneFrame,
  SaneInfo,
  type SaneOptionDescriptor,
  type SaneParameters,
  SaneStatus,
  type SaneValue,
  saneStatusName,
  unfix,
} from './types';
import { allocateUnforked, isUnforked, releaseUnforked } from './unforked-memory';

/**
 * The libsane worker: the only code in the process that touches libsane. Requests are served one at a time
 * in order, except `cancel`, which runs at once so it can interrupt a `sane_read` in flight on koffi's thread.
 */

class SaneCallError extends Error {
  constructor(
    readonly operation: string,
    readonly status: number | undefined,
    message: string,
  ) {
    super(message);
  }
}

interface OpenDevice {
  pointer: bigint;
  name: string;
  options: SaneOptionDescriptor[];
  scanning: boolean;
  cancelRequested: boolean;
  /** Set by sane_start: the backend's reader thread may reset signal handling before its first data. */
  signalsAtRisk: boolean;
  /** Threads the backend started for the frame being read (see backend-threads.ts). */
  frameThreads: number[];
  /** Whether they had all ended before the frame's last read, where that could be known. */
  frameThreadsEnded: boolean | null;
}

const signals = createSignalGuard();

const READ_CHUNK = 1 << 20;
const POOL_SIZE = 3;

/**
 * Page buffers handed back by the caller after use. Reading into fresh memory costs a page fault per 4 KiB,
 * which on a VM costs more than the scan itself; recycled buffers are already mapped.
 */
const pool: ArrayBuffer[] = [];

function takeBuffer(size: number): Uint8Array {
  const index = pool.findIndex((b) => b.byteLength >= size);
  if (index >= 0) return new Uint8Array(pool.splice(index, 1)[0] as ArrayBuffer);
  return new Uint8Array(new ArrayBuffer(size));
}

function recycle(buffer: ArrayBuffer): void {
  if (buffer.byteLength === 0) return; // detached
  pool.push(buffer);
  // Keep the biggest few: page sizes only shrink or repeat within a batch.
  pool.sort((a, b) => b.byteLength - a.byteLength);
  pool.length = Math.min(pool.length, POOL_SIZE);
}
const PROGRESS_EVERY_MS = 100;

/**
 * Streaming a page to its file goes through a ring of slots: reads fill a slot while the full ones before it
 * are written on libuv's pool. Measured on the test device (A4 300 dpi grey,
 * 8.7 MB pages): 4 MiB slots keep the write almost free; 128 KiB–1 MiB slots cost more in thread hand-offs
 * than they save in cache misses, and Linux sync_file_range to start writeback early made the whole batch
 * slower.
 */
const SLOT_BYTES = 4 << 20;
const RING_SLOTS = 3;
interface Ring {
  slots: Uint8Array[];
  /** Page-aligned, as O_DIRECT needs (always where madvise worked, i.e. on Linux). */
  aligned: boolean;
}
let theRingState: Ring | null = null;
/**
 * Allocated on the first streamed page only: a worker that never streams keeps its 12 MiB. Not inherited by
 * forked children: any child process started in this process would otherwise cost the next page 45 ms of
 * copy-on-write faults (see unforked-memory.ts).
 */
const theRing = (): Ring => {
  if (theRingState) return theRingState;
  const memory = allocateUnforked(SLOT_BYTES * RING_SLOTS);
  theRingState = {
    slots: Array.from({ length: RING_SLOTS }, (_, i) =>
      memory.subarray(i * SLOT_BYTES, (i + 1) * SLOT_BYTES),
    ),
    aligned: isUnforked(memory),
  };
  return theRingState;
};

const port = parentPort;
if (!port) throw new Error('the libsane worker must run in a worker thread');
const data = workerData as WorkerData;

let lib: SaneLibrary | null = null;
let version = '';
const devices = new Map<number, OpenDevice>();
let nextHandle = 1;

function post(message: WorkerOutbound, transfer: ArrayBuffer[] = []): void {
  port?.postMessage(message, transfer);
}

function sane(): SaneLibrary {
  if (lib) return lib;
  if (data.saneConfigDir) {
    // libsane reads the real C environment, which a worker's process.env does not write to.
    const setenv = koffi.load(null).func('int setenv(const char *name, const char *value, int overwrite)');
    setenv('SANE_CONFIG_DIR', data.saneConfigDir, 1);
  }
  const loaded = loadSaneLibrary(data.libraryPath);
  const { status, version: v } = loaded.init();
  if (status !== SaneStatus.GOOD) throw new SaneCallError('sane_init', status, loaded.strstatus(status));
  lib = loaded;
  version = v;
  return lib;
}

function device(handle: number): OpenDevice {
  const found = devices.get(handle);
  if (!found) throw new SaneCallError('handle', SaneStatus.INVAL, `unknown scanner handle ${handle}`);
  return found;
}

function fail(operation: string, status: number): never {
  throw new SaneCallError(
    operation,
    status,
    `${operation}: ${sane().strstatus(status)} (${saneStatusName(status)})`,
  );
}

/**
 * Longest wait, per frame, for the backend's threads to end once its data is all read (an exit takes
 * microseconds; the bound is for a thread that never ends), and for them to come to rest before a cancel.
 */
const FRAME_THREADS_WAIT_MS = 1000;
const CANCEL_REST_WAIT_MS = 500;

/** Before the read that ends a frame whose data is all in: let the backend's reader threads exit first. */
async function letFrameThreadsEnd(dev: OpenDevice): Promise<void> {
  if (dev.frameThreadsEnded !== null) return;
  dev.frameThreadsEnded = await threadsEnded(dev.frameThreads, FRAME_THREADS_WAIT_MS);
}

/** Reads of one frame, on this thread while the data is already there, else on koffi's pool. */
function pacerFor(dev: OpenDevice): ReadPacer {
  // Data from a reader thread means it is past its start, where backends reset signal handling.
  const afterRead = <T>(result: T): T => {
    if (dev.signalsAtRisk) {
      dev.signalsAtRisk = false;
      signals.restore();
    }
    return result;
  };
  return new ReadPacer({
    readSync: (target) => afterRead(sane().readSync(dev.pointer, target)),
    readAsync: (target) => sane().read(dev.pointer, target).then(afterRead),
  });
}

// ---- options ---------------------------------------------------------------------------------------------

function readValue(dev: OpenDevice, d: SaneOptionDescriptor): SaneValue | undefined {
  if (!d.active || d.type === 'group' || d.type === 'button' || d.size <= 0) return undefined;
  const buffer = new Uint8Array(Math.max(4, d.size));
  const { status } = sane().control(dev.pointer, d.index, SaneAction.GET_VALUE, buffer);
  if (status !== SaneStatus.GOOD) return undefined;
  return decodeValue(d, buffer);
}

function decodeValue(d: SaneOptionDescriptor, buffer: Uint8Array): SaneValue {
  if (d.type === 'string') {
    const end = buffer.indexOf(0);
    return new TextDecoder().decode(buffer.subarray(0, end < 0 ? buffer.length : end));
  }
  const words = new Int32Array(buffer.buffer, buffer.byteOffset, Math.max(1, d.size >> 2));
  if (d.type === 'bool') return words[0] !== 0;
  const values = Array.from(words, (w) => (d.type === 'fixed' ? unfix(w) : w));
  return values.length === 1 ? (values[0] as number) : values;
}

function encodeValue(d: SaneOptionDescriptor, value: SaneValue): Uint8Array {
  const buffer = new Uint8Array(Math.max(4, d.size));
  if (d.type === 'string') {
    const bytes = new TextEncoder().encode(String(value));
    if (bytes.length + 1 > buffer.length)
      throw new SaneCallError('set', SaneStatus.INVAL, `value too long for option ${d.name}`);
    buffer.set(bytes);
    return buffer;
  }
  const words = new Int32Array(buffer.buffer, 0, buffer.length >> 2);
  const list = Array.isArray(value) ? value : [value];
  if (d.type === 'bool') {
    words[0] = list[0] === true || list[0] === 1 ? 1 : 0;
    return buffer;
  }
  for (let i = 0; i < words.length; i++) {
    // A single number given for an array option fills every element (e.g. a flat gamma table).
    const v = Number(list.length === 1 ? list[0] : list[i]);
    if (!Number.isFinite(v))
      throw new SaneCallError('set', SaneStatus.INVAL, `option ${d.name} needs numbers`);
    words[i] = d.type === 'fixed' ? fix(v) : Math.round(v);
  }
  return buffer;
}

/** Reads every descriptor (backends like `test` refuse control_option on options not re-read) and values. */
function loadOptions(dev: OpenDevice): SaneOptionDescriptor[] {
  const count = new Uint8Array(4);
  const { status } = sane().control(dev.pointer, 0, SaneAction.GET_VALUE, count);
  if (status !== SaneStatus.GOOD) fail('sane_control_option(0)', status);
  const total = new Int32Array(count.buffer)[0] ?? 0;
  const options: SaneOptionDescriptor[] = [];
  for (let i = 1; i < total; i++) {
    const d = sane().descriptor(dev.pointer, i);
    if (d) options.push(d);
  }
  for (const d of options) {
    const value = readValue(dev, d);
    if (value !== undefined) d.value = value;
  }
  dev.options = options;
  return options;
}

function setOption(dev: OpenDevice, name: string, value: SaneValue | { auto: true }): SetResult {
  if (dev.scanning)
    throw new SaneCallError('set', SaneStatus.DEVICE_BUSY, 'cannot change options while scanning');
  const known = dev.options.find((o) => o.name === name);
  if (!known) throw new SaneCallError('set', SaneStatus.UNSUPPORTED, `no option named ${name}`);
  // Read the descriptor again right before setting it: constraints and activity change with other options.
  const d = sane().descriptor(dev.pointer, known.index);
  if (!d || d.name !== name) throw new SaneCallError('set', SaneStatus.INVAL, `option ${name} moved; reload`);
  if (!d.active) throw new SaneCallError('set', SaneStatus.INVAL, `option ${name} is inactive`);
  if (!d.settable) throw new SaneCallError('set', SaneStatus.INVAL, `option ${name} is not settable`);
  const auto = typeof value === 'object' && !Array.isArray(value);
  const buffer = auto ? new Uint8Array(Math.max(4, d.size)) : encodeValue(d, value);
  const { status, info } = sane().control(
    dev.pointer,
    d.index,
    auto ? SaneAction.SET_AUTO : SaneAction.SET_VALUE,
    buffer,
  );
  if (status !== SaneStatus.GOOD) fail(`set ${name}`, status);
  if (info & SaneInfo.RELOAD_OPTIONS) {
    const options = loadOptions(dev);
    return { info, value: options.find((o) => o.name === name)?.value, options };
  }
  Object.assign(known, d);
  const kept = readValue(dev, d);
  if (kept !== undefined) known.value = kept;
  return { info, value: kept };
}

// ---- scanning --------------------------------------------------------------------------------------------

function channelsOf(format: number): 1 | 3 {
  return format === SaneFrame.GRAY ? 1 : 3;
}

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

async function readFrame(
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

/** Whether a frame can go straight to its file: one pass, known height, rows exactly as PNM stores them. */
function streamable(params: SaneParameters): boolean {
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
async function streamFrame(
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

async function scanPage(
  dev: OpenDevice,
  id: number,
  sink?: PageFileSink,
): Promise<ScannedFrame | StoredFrame | ScanStop> {
  if (dev.cancelRequested) {
    // Cancelled between pages, before this request was served: do not feed another sheet.
    dev.cancelRequested = false;
    return { kind: 'status', status: SaneStatus.CANCELLED, phase: 'start', cancelled: true, bytesRead: 0 };
  }
  dev.scanning = true;
  const stop = async (status: number, phase: 'start' | 'read', bytesRead: number): Promise<ScanStop> => {
    // After any failure the backend must see sane_cancel to return to idle; the next scan then works. A
    // reader still sending is let come to rest first (see backend-threads.ts).
    await threadsAtRest(dev.frameThreads, CANCEL_REST_WAIT_MS);
    sane().cancel(dev.pointer);
    return { kind: 'status', status, phase, cancelled: dev.cancelRequested, bytesRead };
  };
  try {
    let lastProgress = 0;
    const t0 = performance.now();
    let startMs = 0;
    let reads = 0;
    const planes: Uint8Array[] = [];
    let first: SaneParameters | null = null;
    let frameBytes = 0;
    let page: { buffer: Uint8Array; bytes: number } | null = null;
    let hash: Hash | null = null;
    const pacer = pacerFor(dev);
    for (;;) {
      const ts = performance.now();
      dev.signalsAtRisk = true;
      const threadsBefore = threadIds();
      const started = await sane().start(dev.pointer);
      dev.frameThreads = threadsStartedSince(threadsBefore);
      dev.frameThreadsEnded = null;
      startMs += performance.now() - ts;
      if (dev.cancelRequested) return stop(SaneStatus.CANCELLED, 'start', 0);
      if (started !== SaneStatus.GOOD) return stop(started, 'start', 0);
      const { status, parameters } = sane().parameters(dev.pointer);
      if (status !== SaneStatus.GOOD) return stop(status, 'start', 0);
      if (parameters.depth !== 1 && parameters.depth !== 8 && parameters.depth !== 16)
        throw new SaneCallError('sane_get_parameters', SaneStatus.UNSUPPORTED, `depth ${parameters.depth}`);
      if (parameters.format > SaneFrame.BLUE)
        throw new SaneCallError('sane_get_parameters', SaneStatus.UNSUPPORTED, `frame ${parameters.format}`);
      first ??= parameters;
      const total = parameters.lines > 0 ? parameters.lines * parameters.bytesPerLine : null;
      const progress = (bytes: number) => {
        const now = performance.now();
        if (now - lastProgress < PROGRESS_EVERY_MS) return;
        lastProgress = now;
        post({ id, type: 'progress', bytesRead: frameBytes + bytes, totalBytes: total });
      };
      if (sink && planes.length === 0 && streamable(parameters)) {
        const file = await streamFrame(dev, parameters, sink, progress, pacer);
        if ('stop' in file) return stop(file.stop, 'read', file.bytes);
        const channels = channelsOf(parameters.format);
        const depth: 1 | 8 = parameters.depth === 1 ? 1 : 8;
        return {
          kind: 'file',
          path: file.path,
          synced: false,
          bytes: file.bytes,
          sha256: file.sha256,
          width: parameters.pixelsPerLine,
          height: parameters.lines,
          channels,
          depth,
          pnmKind: pnmKindFor(channels, depth),
          parameters,
          startMs,
          readMs: performance.now() - t0 - startMs,
          reads: file.reads,
          blockingReads: pacer.blockingReads,
          backendThreadsEnded: dev.frameThreadsEnded,
        };
      }
      const singlePass = parameters.format <= SaneFrame.RGB;
      const kind = pnmKindFor(channelsOf(parameters.format), parameters.depth === 1 ? 1 : 8);
      // Leave room for the PNM header so the page leaves the worker as one file-ready buffer.
      const header = singlePass
        ? pnmHeader(kind, parameters.pixelsPerLine, Math.max(1, parameters.lines))
        : null;
      if (header) hash = createHash('sha256').update(header);
      const frame = await readFrame(dev, parameters, header?.length ?? 0, progress, hash, pacer);
      if ('stop' in frame) return stop(frame.stop, 'read', frameBytes + frame.bytes);
      reads += frame.reads;
      frameBytes += frame.bytes;
      if (singlePass) {
        page = frame;
        if (!frame.hashed) hash = null;
        break;
      }
      planes[parameters.format - SaneFrame.RED] = frame.buffer.subarray(0, frame.bytes);
      if (parameters.lastFrame) break;
    }
    if (!first) throw new SaneCallError('scan', SaneStatus.INVAL, 'no frame');
    const frame = finishPage(first, page, planes, startMs, performance.now() - t0 - startMs, reads, hash);
    frame.blockingReads = pacer.blockingReads;
    frame.backendThreadsEnded = dev.frameThreadsEnded;
    return frame;
  } finally {
    dev.scanning = false;
    dev.cancelRequested = false;
  }
}

function finishPage(
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

// ---- dispatch --------------------------------------------------------------------------------------------

async function handle(message: WorkerInbound): Promise<{ result: unknown; transfer?: ArrayBuffer[] }> {
  switch (message.op) {
    case 'list': {
      const { status, devices: list } = sane().getDevices(message.localOnly);
      if (status !== SaneStatus.GOOD) fail('sane_get_devices', status);
      return { result: { devices: list, version } satisfies SaneResults['list'] };
    }
    case 'open': {
      const { status, handle: pointer } = await sane().open(message.device);
      if (status !== SaneStatus.GOOD || pointer === null) fail(`sane_open ${message.device}`, status);
      const dev: OpenDevice = {
        pointer,
        name: message.device,
        options: [],
        scanning: false,
        cancelRequested: false,
        signalsAtRisk: false,
        frameThreads: [],
        frameThreadsEnded: null,
      };
      const handle = nextHandle++;
      devices.set(handle, dev);
      try {
        return { result: { handle, options: loadOptions(dev) } satisfies SaneResults['open'] };
      } catch (error) {
        devices.delete(handle);
        sane().close(pointer);
        throw error;
      }
    }
    case 'options':
      return { result: loadOptions(device(message.handle)) };
    case 'set':
      return { result: setOption(device(message.handle), message.name, message.value) };
    case 'scan-page': {
      const result = await scanPage(device(message.handle), message.id, message.sink);
      return { result, transfer: result.kind === 'page' ? [result.pnm.buffer as ArrayBuffer] : [] };
    }
    case 'end': {
      const dev = device(message.handle);
      dev.cancelRequested = false;
      sane().cancel(dev.pointer);
      return { result: null };
    }
    case 'close': {
      const dev = device(message.handle);
      sane().cancel(dev.pointer);
      sane().close(dev.pointer);
      devices.delete(message.handle);
      return { result: null };
    }
    case 'exit':
      for (const dev of devices.values()) {
        sane().cancel(dev.pointer);
        sane().close(dev.pointer);
      }
      devices.clear();
      if (lib) lib.exit();
      lib = null;
      theRingState = null;
      releaseUnforked();
      return { result: null };
    case 'cancel':
      return { result: null };
  }
}

// Requests run one after another: libsane is not re-entrant. Cancel jumps the queue.
let queue: Promise<void> = Promise.resolve();

port.on('message', (message: WorkerInbound | { op: 'recycle'; buffer: ArrayBuffer }) => {
  if (message.op === 'recycle') {
    recycle(message.buffer);
    return;
  }
  if (message.op === 'cancel') {
    const dev = devices.get(message.handle);
    if (dev) {
      // Sticky until the next scan-page or end: a cancel between pages stops the next sheet too.
      dev.cancelRequested = true;
      // SANE allows sane_cancel at any time: it makes the pending read return. Not while the backend's reader
      // may be inside malloc, though (see backend-threads.ts): first let it come to rest.
      if (dev.scanning) {
        void threadsAtRest(dev.frameThreads, CANCEL_REST_WAIT_MS).then(() => {
          if (dev.scanning) sane().cancel(dev.pointer);
          post({ id: message.id, type: 'result', result: null });
        });
        return;
      }
    }
    post({ id: message.id, type: 'result', result: null });
    return;
  }
  queue = queue.then(async () => {
    try {
      signals.snapshot();
      const { result, transfer } = await handle(message).finally(() => signals.restore());
      post({ id: message.id, type: 'result', result }, transfer);
    } catch (error) {
      const e = error as Error & { operation?: string; status?: number };
      post({
        id: message.id,
        type: 'error',
        error: {
          message: e.message,
          operation: e.operation ?? message.op,
          ...(e.status !== undefined ? { status: e.status } : {}),
        },
      });
    }
  });
});
