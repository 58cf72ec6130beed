import { createHash, type Hash } from 'node:crypto';
import { parentPort, workerData } from 'node:worker_threads';
import koffi from 'koffi';
import { threadIds, threadsAtRest, threadsStartedSince } from './backend-threads';
import { loadSaneLibrary, type SaneLibrary } from './bindings';
import { recycle, releaseRing } from './buffer-pool';
import { finishPage, readFrame } from './frame-reader';
import { streamable, streamFrame } from './page-file-stream';
import { pnmHeader, pnmKindFor } from './pnm';
import type {
  PageFileSink,
  SaneResults,
  ScannedFrame,
  ScanStop,
  StoredFrame,
  WorkerData,
  WorkerInbound,
  WorkerOutbound,
} from './protocol';
import { ReadPacer } from './read-pacer';
import { createSignalGuard } from './signal-guard';
import { SaneFrame, type SaneParameters, SaneStatus } from './types';
import { CANCEL_REST_WAIT_MS, channelsOf, fail, type OpenDevice, SaneCallError } from './worker-device';
import { loadOptions, setOption } from './worker-options';

/**
 * The libsane worker: the only code in the process that touches libsane. Requests are served one at a time
 * in order, except `cancel`, which runs at once so it can interrupt a `sane_read` in flight on koffi's thread.
 * This file keeps the dispatch, the device table and the page loop; options, frame reading, page-file
 * streaming and the buffer pool have files of their own.
 */

const signals = createSignalGuard();

const PROGRESS_EVERY_MS = 100;

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

// ---- dispatch --------------------------------------------------------------------------------------------

async function handle(message: WorkerInbound): Promise<{ result: unknown; transfer?: ArrayBuffer[] }> {
  switch (message.op) {
    case 'list': {
      const { status, devices: list } = sane().getDevices(message.localOnly);
      if (status !== SaneStatus.GOOD) fail(sane(), 'sane_get_devices', status);
      return { result: { devices: list, version } satisfies SaneResults['list'] };
    }
    case 'open': {
      const { status, handle: pointer } = await sane().open(message.device);
      if (status !== SaneStatus.GOOD || pointer === null) fail(sane(), `sane_open ${message.device}`, status);
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
        return { result: { handle, options: loadOptions(sane(), dev) } satisfies SaneResults['open'] };
      } catch (error) {
        devices.delete(handle);
        sane().close(pointer);
        throw error;
      }
    }
    case 'options':
      return { result: loadOptions(sane(), device(message.handle)) };
    case 'set':
      return { result: setOption(sane(), device(message.handle), message.name, message.value) };
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
      releaseRing();
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
