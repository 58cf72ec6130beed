import { readdir, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { locateLibsane } from '../../../../native/sane/locate';
import { type Logger, silentLogger } from '../../logging/logger';
import { ScanError } from '../errors';
import type {
  CapturedPage,
  PageSink,
  ScannerCapabilities,
  ScannerDevice,
  ScannerDriver,
  ScannerSession,
  ScanOptions,
  ScanRun,
  ScanSettings,
} from '../types';
import { forkScannerHost } from './fork-host';
import { HostConnection, type RunEvent, toScanError } from './host-connection';
import type { HostContext, HostLauncher, WirePage } from './protocol';

/**
 * How long a batch's back end may stay silent — no progress, no page, no end — while the desk waits on it,
 * before the host is killed. A 600 dpi colour A4 page on a slow USB scanner takes ~20-30 s, but progress
 * arrives while it is read; the longest true silence is a backend that scans the whole sheet inside
 * sane_start before its first byte (some sheet-fed drivers: the whole page time, ~30 s) or an ADF feeding
 * and warming its lamp between sheets (a few seconds). 45 s is above both with margin, and still short
 * enough for a clerk waiting at the desk. While the desk itself holds a page (storing it) the host owes
 * nothing, so that time is not counted.
 */
export const SCAN_WATCHDOG_MS = 45_000;
/** Listing, opening, reading capabilities: a network scanner's bounded requests or a USB probe fit well inside. */
export const HOST_REQUEST_TIMEOUT_MS = 30_000;
/** What closing the desk gives the host to cancel and exit before it is killed. */
export const HOST_SHUTDOWN_GRACE_MS = 1_500;

export interface HostedScanDriverOptions {
  launch?: HostLauncher;
  /** The host's environment (SANE_CONFIG_DIR, MOTCUA_ESCL_DISCOVERY…); default this process's. */
  env?: NodeJS.ProcessEnv;
  /** The store's eSCL addresses and pins, read at each list and open. */
  context?: () => HostContext;
  /** A certificate seen on first use by the host: store the pin. */
  onPin?: (origin: string, sha256: string) => void;
  watchdogMs?: number;
  requestTimeoutMs?: number;
  shutdownGraceMs?: number;
  logger?: Logger;
}

/**
 * The desk's scanners, run in a scanner host process (host-main.ts) behind the usual driver interface. A
 * back end that stops answering mid-batch gets its host killed by the watchdog; the run fails with
 * `scanner-not-responding` (pages already durable stay, the batch is resumable) and the next call starts a
 * new host.
 */
export class HostedScanDriver implements ScannerDriver {
  readonly name = 'hosted';
  private connection: HostConnection | null = null;
  private readonly logger: Logger;
  private disposed = false;

  constructor(private readonly options: HostedScanDriverOptions = {}) {
    this.logger = options.logger ?? silentLogger;
  }

  get available(): boolean {
    const env = this.options.env ?? process.env;
    return locateLibsane(env) !== null || (this.options.context?.().esclAddresses.length ?? 0) > 0;
  }

  /** The running host's process id (tests and diagnostics). */
  get hostPid(): number | undefined {
    return this.connection?.alive ? this.connection.pid : undefined;
  }

  get watchdogMs(): number {
    return this.options.watchdogMs ?? SCAN_WATCHDOG_MS;
  }

  private host(): HostConnection {
    if (this.connection?.alive) return this.connection;
    this.disposed = false;
    const launch = this.options.launch ?? forkScannerHost;
    const channel = launch(this.options.env ?? process.env);
    this.connection = new HostConnection(channel, this.logger, (origin, sha256) =>
      this.options.onPin?.(origin, sha256),
    );
    this.logger.info('scan-host.started', { pid: channel.pid });
    return this.connection;
  }

  private context(): HostContext {
    return this.options.context?.() ?? { esclAddresses: [], pins: {} };
  }

  private get timeout(): number {
    return this.options.requestTimeoutMs ?? HOST_REQUEST_TIMEOUT_MS;
  }

  listDevices(): Promise<ScannerDevice[]> {
    return this.host().request<'list'>({ op: 'list', context: this.context() }, this.timeout);
  }

  async open(deviceId: string): Promise<ScannerSession> {
    const host = this.host();
    const { session, device } = await host.request<'open'>(
      { op: 'open', deviceId, context: this.context() },
      this.timeout,
    );
    return new HostedSession(host, session, device, this.timeout, this.watchdogMs, this.logger);
  }

  /** Closing the desk: the host gets a short grace to cancel and exit, then SIGKILL. Never waits on a driver. */
  async dispose(): Promise<void> {
    if (this.disposed) return;
    this.disposed = true;
    await this.connection?.shutdown(this.options.shutdownGraceMs ?? HOST_SHUTDOWN_GRACE_MS);
  }
}

class HostedSession implements ScannerSession {
  constructor(
    private readonly host: HostConnection,
    private readonly session: number,
    readonly device: ScannerDevice,
    private readonly timeout: number,
    private readonly watchdogMs: number,
    private readonly logger: Logger,
  ) {}

  capabilities(): Promise<ScannerCapabilities> {
    return this.host.request<'capabilities'>({ op: 'capabilities', session: this.session }, this.timeout);
  }

  async scan(settings: ScanSettings, options: ScanOptions = {}): Promise<ScanRun> {
    if (options.signal?.aborted) throw new ScanError('cancelled', 'aborted before the scan');
    const { run, effective } = await this.host.request<'scan'>(
      { op: 'scan', session: this.session, settings, ...(options.sink ? { sink: options.sink } : {}) },
      this.timeout,
    );
    const events = new RunEvents(this.host, run, this.watchdogMs, this.logger, this.device.id);
    return { effective, pages: hostedPages(this.host, run, events, options) };
  }

  async close(): Promise<void> {
    // A dead host took its device with it: nothing to close.
    if (!this.host.alive) return;
    await this.host.request<'close'>({ op: 'close', session: this.session }, this.timeout).catch(() => {});
  }
}

/**
 * A run's events in order, and the watchdog: armed whenever the desk waits on the host (no page of the run
 * in the desk's hands), reset by every event, and when it fires the host is killed.
 */
class RunEvents {
  private readonly queue: RunEvent[] = [];
  private failure: ScanError | null = null;
  private wake: (() => void) | null = null;
  private timer: NodeJS.Timeout | null = null;
  /** Pages handed to the desk and not yet acknowledged. */
  held = 0;
  ended = false;

  constructor(
    private readonly host: HostConnection,
    run: number,
    private readonly watchdogMs: number,
    private readonly logger: Logger,
    private readonly device: string,
  ) {
    host.attach(run, {
      onEvent: (event) => {
        this.queue.push(event);
        this.rearm();
        this.notify();
      },
      onDeath: (error) => {
        this.failure = error;
        this.stopTimer();
        this.notify();
      },
    });
    this.rearm();
  }

  private notify(): void {
    const wake = this.wake;
    this.wake = null;
    wake?.();
  }

  private stopTimer(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
  }

  /** (Re)starts the silence bound, unless the desk holds a page or the run is over. */
  rearm(): void {
    this.stopTimer();
    if (this.ended || this.failure || this.held > 0) return;
    this.timer = setTimeout(() => {
      this.logger.warn('scan-host.watchdog', { device: this.device, ms: this.watchdogMs });
      this.host.kill('watchdog');
    }, this.watchdogMs);
  }

  async next(): Promise<RunEvent> {
    for (;;) {
      const event = this.queue.shift();
      if (event) {
        if (event.event === 'end') {
          this.ended = true;
          this.stopTimer();
        }
        return event;
      }
      if (this.failure) throw this.failure;
      await new Promise<void>((resolve) => {
        this.wake = resolve;
      });
    }
  }
}

async function* hostedPages(
  host: HostConnection,
  run: number,
  events: RunEvents,
  { signal, onProgress, sink }: ScanOptions,
): AsyncGenerator<CapturedPage> {
  const onAbort = () => host.notify({ op: 'cancel', run });
  signal?.addEventListener('abort', onAbort);
  /** Page files handed out and not yet released: never swept after a host death. */
  const handedOut = new Set<string>();
  /** A page in memory is stored under a temp name with the same tag: then the sweep is left to startup. */
  let memoryPages = false;
  try {
    for (;;) {
      const event = await events.next();
      if (event.event === 'progress') {
        onProgress?.({ index: event.index, bytesRead: event.bytesRead, totalBytes: event.totalBytes });
      } else if (event.event === 'page') {
        events.held++;
        events.rearm();
        if (event.page.content.kind === 'file') handedOut.add(event.page.content.path);
        else memoryPages = true;
        yield capturedPage(event.page, async () => {
          if (event.page.content.kind === 'file') {
            await rm(event.page.content.path, { force: true }).catch(() => {});
            handedOut.delete(event.page.content.path);
          }
          host.notify({ op: 'ack', run, index: event.index });
          events.held--;
          events.rearm();
        });
      } else if (event.event === 'end') {
        if (event.error) throw toScanError(event.error);
        if (signal?.aborted) throw new ScanError('cancelled', 'cancelled');
        return;
      }
    }
  } finally {
    signal?.removeEventListener('abort', onAbort);
    if (!events.ended && host.alive) {
      // The caller stopped early: cancel the run and let the host end it (the watchdog bounds the wait).
      host.notify({ op: 'cancel', run });
      await drainUntilEnd(events);
    }
    if (!host.alive && sink && !memoryPages) await sweepDeadHostTemps(sink, handedOut);
  }
}

async function drainUntilEnd(events: RunEvents): Promise<void> {
  try {
    for (let i = 0; i < 100_000; i++) {
      const event = await events.next();
      if (event.event === 'end') return;
    }
  } catch {
    // The host died while cancelling: nothing more to wait for.
  }
}

/**
 * A killed host may leave the page it was writing as a temp file named after this run's tag: remove it,
 * keeping the pages already handed to the desk (complete and being stored).
 */
async function sweepDeadHostTemps(sink: PageSink, keep: ReadonlySet<string>): Promise<void> {
  if (!sink.tag) return;
  const prefix = `.${sink.tag}.`;
  const names = await readdir(sink.dir).catch(() => [] as string[]);
  for (const name of names) {
    const path = join(sink.dir, name);
    if (name.startsWith(prefix) && !keep.has(path)) await rm(path, { force: true }).catch(() => {});
  }
}

function capturedPage(page: WirePage, onRelease: () => Promise<void>): CapturedPage {
  let released = false;
  const content =
    page.content.kind === 'memory'
      ? {
          kind: 'memory' as const,
          bytes: page.content.bytes,
          ...(page.content.sha256 ? { sha256: page.content.sha256 } : {}),
        }
      : page.content;
  return {
    ...page,
    content,
    async release() {
      if (released) return;
      released = true;
      await onRelease();
    },
  };
}
