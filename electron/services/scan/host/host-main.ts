/**
 * The scanner host process: runs the scanner back ends (libsane through SaneDriver and its worker thread,
 * eSCL over HTTP) away from the desk, so a driver stuck in native code can be killed with its process. It
 * answers the desk's requests (protocol.ts) and streams each run's pages, one at a time: page k+1 is sent
 * only once the desk acknowledged page k as durable.
 */
import { SaneClient } from '../../../../native/sane/client';
import { CompositeDriver } from '../composite-driver';
import { ScanError } from '../errors';
import { discoverEsclScanners } from '../escl/discovery';
import { EsclDriver, esclRoute } from '../escl/escl-driver';
import { SaneDriver } from '../sane-driver';
import type { CapturedPage, ScannerSession, ScanRun } from '../types';
import type { DeskToHost, HostContext, HostErrorInfo, HostRequest, HostToDesk, WirePage } from './protocol';

interface ParentPort {
  postMessage(message: HostToDesk): void;
  on(event: 'message', listener: (event: { data: DeskToHost }) => void): void;
}

/** Electron's utilityProcess child talks through `process.parentPort`; a `child_process.fork` one through IPC. */
const electronPort = (process as unknown as { parentPort?: ParentPort }).parentPort;
const send = (message: HostToDesk): void => {
  if (electronPort) electronPort.postMessage(message);
  else process.send?.(message);
};

let context: HostContext = { esclAddresses: [], pins: {} };
const escl = new EsclDriver({
  storedAddresses: () => context.esclAddresses,
  pins: {
    get: (origin) => context.pins[origin] ?? null,
    set: (origin, sha256) => {
      context.pins[origin] = sha256;
      send({ event: 'pin', origin, sha256 });
    },
  },
  ...(process.env.MOTCUA_ESCL_DISCOVERY === '1' ? { discover: () => discoverEsclScanners() } : {}),
});
const sane = new SaneDriver(SaneClient.shared({ env: process.env }));
const driver = new CompositeDriver([esclRoute(escl), { driver: sane }]);

const sessions = new Map<number, ScannerSession>();
interface HostedRun {
  abort: AbortController;
  /** The desk's acknowledgement of the page being waited for. */
  acked: { index: number; resolve: () => void } | null;
}
const runs = new Map<number, HostedRun>();
let nextSession = 1;
let nextRun = 1;

function errorInfo(error: unknown): HostErrorInfo {
  const scanError =
    error instanceof ScanError ? error : new ScanError('device-failed', (error as Error)?.message ?? '');
  return {
    code: scanError.code,
    message: scanError.message,
    ...(scanError.deviceStatus ? { deviceStatus: scanError.deviceStatus } : {}),
  };
}

function sessionOf(id: number): ScannerSession {
  const session = sessions.get(id);
  if (!session) throw new ScanError('disconnected', `no session ${id}`);
  return session;
}

async function answer(request: HostRequest): Promise<unknown> {
  switch (request.op) {
    case 'list':
      context = request.context;
      return driver.listDevices();
    case 'open': {
      context = request.context;
      const session = await driver.open(request.deviceId);
      const id = nextSession++;
      sessions.set(id, session);
      return { session: id, device: session.device };
    }
    case 'capabilities':
      return sessionOf(request.session).capabilities();
    case 'close': {
      const session = sessions.get(request.session);
      sessions.delete(request.session);
      await session?.close();
      return null;
    }
    case 'scan': {
      const id = nextRun++;
      const hosted: HostedRun = { abort: new AbortController(), acked: null };
      const run = await sessionOf(request.session).scan(request.settings, {
        signal: hosted.abort.signal,
        ...(request.sink ? { sink: request.sink } : {}),
        onProgress: (p) => send({ event: 'progress', run: id, ...p }),
      });
      runs.set(id, hosted);
      // After the reply: the desk knows the run before its first event.
      setImmediate(() => void streamPages(id, hosted, run));
      return { run: id, effective: run.effective };
    }
  }
}

function wire(page: CapturedPage): WirePage {
  const { width, height, channels, depth, dpi, format, content, captureMs } = page;
  return { width, height, channels, depth, dpi, format, content, captureMs };
}

async function streamPages(id: number, hosted: HostedRun, run: ScanRun): Promise<void> {
  let error: HostErrorInfo | undefined;
  try {
    let index = 0;
    for await (const page of run.pages) {
      const acked = new Promise<void>((resolve) => {
        hosted.acked = { index, resolve };
      });
      send({ event: 'page', run: id, index, page: wire(page) });
      // The next page waits until this one is durable in the desk's store.
      await acked;
      // A file the desk adopted was renamed away; removing its old name is then a no-op.
      await page.release();
      index++;
    }
  } catch (caught) {
    error = errorInfo(caught);
  } finally {
    runs.delete(id);
  }
  send({ event: 'end', run: id, ...(error ? { error } : {}) });
}

async function shutdown(): Promise<void> {
  for (const run of runs.values()) run.abort.abort();
  const closing = [...sessions.values()].map((s) => s.close().catch(() => {}));
  sessions.clear();
  // Bounded: the desk SIGKILLs a host that does not end within its grace anyway.
  await Promise.race([Promise.all(closing), new Promise((r) => setTimeout(r, 1_000))]);
  process.exit(0);
}

function onMessage(message: DeskToHost): void {
  if (message.op === 'ack') {
    const hosted = runs.get(message.run);
    if (hosted?.acked?.index === message.index) {
      hosted.acked.resolve();
      hosted.acked = null;
    }
    return;
  }
  if (message.op === 'cancel') {
    runs.get(message.run)?.abort.abort();
    return;
  }
  if (message.op === 'shutdown') {
    void shutdown();
    return;
  }
  answer(message).then(
    (value) => send({ id: message.id, ok: true, value } as HostToDesk),
    (error) => send({ id: message.id, ok: false, error: errorInfo(error) }),
  );
}

if (electronPort) electronPort.on('message', (event) => onMessage(event.data));
else process.on('message', (message) => onMessage(message as DeskToHost));
// The desk went away (its pipe closed): nothing is left to scan for.
process.on('disconnect', () => process.exit(0));
send({ event: 'ready' });
