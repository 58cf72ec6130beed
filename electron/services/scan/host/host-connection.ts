import type { Logger } from '../../logging/logger';
import { ScanError } from '../errors';
import type {
  DeskToHost,
  HostChannel,
  HostErrorInfo,
  HostNotice,
  HostRequest,
  HostResults,
  HostToDesk,
} from './protocol';

type WithoutId<T> = T extends unknown ? Omit<T, 'id'> : never;
export type RunEvent = Extract<HostToDesk, { run: number }>;

export interface RunListener {
  onEvent(event: RunEvent): void;
  /** The host is gone: the run ends with this error. */
  onDeath(error: ScanError): void;
}

export const toScanError = (info: HostErrorInfo): ScanError =>
  new ScanError(info.code, info.message, info.deviceStatus);

/** Why the desk ended a host, for the error its runs and requests get. */
type KillReason = 'watchdog' | 'request-timeout' | 'shutdown';

/**
 * One running scanner host: requests by id with a time bound, run events routed to their run, and — when the
 * process ends for any reason — every waiting request and run failed with a ScanError the clerk can read.
 */
export class HostConnection {
  private nextId = 1;
  private readonly pending = new Map<
    number,
    { resolve: (value: unknown) => void; reject: (error: Error) => void; timer: NodeJS.Timeout }
  >();
  private readonly runs = new Map<number, RunListener>();
  /** Events of a run whose listener is not attached yet (they may share a read with the scan's reply). */
  private readonly early = new Map<number, RunEvent[]>();
  private killReason: KillReason | null = null;
  private deathError: ScanError | null = null;
  private readonly ready: Promise<void>;
  /** Settles when the process is gone. */
  readonly exited: Promise<void>;

  constructor(
    private readonly channel: HostChannel,
    private readonly logger: Logger,
    onPin: (origin: string, sha256: string) => void,
  ) {
    let markReady: () => void = () => {};
    this.ready = new Promise((resolve) => {
      markReady = resolve;
    });
    let markExited: () => void = () => {};
    this.exited = new Promise((resolve) => {
      markExited = resolve;
    });
    channel.onMessage((message) => {
      if ('id' in message) this.settle(message);
      else if (message.event === 'ready') markReady();
      else if (message.event === 'pin') onPin(message.origin, message.sha256);
      else this.route(message);
    });
    channel.onExit(({ code, signal }) => {
      this.deathError = this.errorForDeath();
      this.logger.warn('scan-host.exited', { pid: channel.pid, code, signal, reason: this.killReason });
      for (const waiting of this.pending.values()) {
        clearTimeout(waiting.timer);
        waiting.reject(this.deathError);
      }
      this.pending.clear();
      for (const run of this.runs.values()) run.onDeath(this.deathError);
      this.runs.clear();
      markExited();
    });
    channel.setBusy(false);
  }

  get pid(): number | undefined {
    return this.channel.pid;
  }

  get alive(): boolean {
    return this.deathError === null;
  }

  private errorForDeath(): ScanError {
    if (this.killReason === 'watchdog' || this.killReason === 'request-timeout')
      return new ScanError('scanner-not-responding', `scanner host killed (${this.killReason})`);
    if (this.killReason === 'shutdown') return new ScanError('cancelled', 'desk closing');
    return new ScanError('scanner-host-stopped', 'scanner host ended');
  }

  /** Sends a request once the host is up; a host that does not answer within `timeoutMs` is killed. */
  async request<K extends keyof HostResults>(
    message: WithoutId<Extract<HostRequest, { op: K }>>,
    timeoutMs: number,
  ): Promise<HostResults[K]> {
    if (this.deathError) throw this.deathError;
    const id = this.nextId++;
    const answered = new Promise<unknown>((resolve, reject) => {
      const timer = setTimeout(() => {
        this.logger.warn('scan-host.request-timeout', { op: message.op, ms: timeoutMs });
        this.kill('request-timeout');
      }, timeoutMs);
      this.pending.set(id, { resolve, reject, timer });
      this.updateBusy();
    });
    await Promise.race([this.ready, this.exited]);
    if (!this.deathError) this.channel.send({ ...message, id } as DeskToHost);
    return (await answered) as HostResults[K];
  }

  notify(message: HostNotice): void {
    if (!this.deathError) this.channel.send(message);
  }

  /** Routes a run's events to `listener` (those already received first). */
  attach(run: number, listener: RunListener): void {
    if (this.deathError) {
      listener.onDeath(this.deathError);
      return;
    }
    this.runs.set(run, listener);
    this.updateBusy();
    for (const event of this.early.get(run) ?? []) this.route(event);
    this.early.delete(run);
  }

  /** SIGKILL now: a driver stuck in native code cannot be asked to stop. */
  kill(reason: KillReason): void {
    if (this.deathError) return;
    this.killReason ??= reason;
    this.channel.kill();
  }

  /** Asks the host to cancel and exit; kills it when it has not ended within `graceMs`. */
  async shutdown(graceMs: number): Promise<void> {
    if (this.deathError) return;
    // Runs ended by closing the desk are cancelled, not failed: their batches are offered for resuming.
    this.killReason ??= 'shutdown';
    this.notify({ op: 'shutdown' });
    let timer: NodeJS.Timeout | undefined;
    const late = new Promise<'late'>((resolve) => {
      timer = setTimeout(() => resolve('late'), graceMs);
    });
    const outcome = await Promise.race([this.exited.then(() => 'ended' as const), late]);
    clearTimeout(timer);
    if (outcome === 'late') {
      this.kill('shutdown');
      await this.exited;
    }
  }

  private settle(message: Extract<HostToDesk, { id: number }>): void {
    const waiting = this.pending.get(message.id);
    if (!waiting) return;
    this.pending.delete(message.id);
    clearTimeout(waiting.timer);
    this.updateBusy();
    if (message.ok) waiting.resolve(message.value);
    else waiting.reject(toScanError(message.error));
  }

  private route(event: RunEvent): void {
    const listener = this.runs.get(event.run);
    if (!listener) {
      const list = this.early.get(event.run) ?? [];
      list.push(event);
      this.early.set(event.run, list);
      return;
    }
    if (event.event === 'end') {
      this.runs.delete(event.run);
      this.updateBusy();
    }
    listener.onEvent(event);
  }

  private updateBusy(): void {
    if (!this.deathError) this.channel.setBusy(this.pending.size > 0 || this.runs.size > 0);
  }
}
