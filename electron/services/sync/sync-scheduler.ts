/**
 * When the engine runs: drain() retries with full-jitter backoff until the queue is empty, and the background
 * loop runs when the server answers /v1/health, at once for a new outbox row, and backs off on failure.
 */
import type { Logger } from '../logging/logger';
import { probeProvincialServer } from './connectivity';
import { addReport, emptyReport, type SyncRunReport } from './engine-context';
import type { SyncDb } from './sync-db';
import { type SyncError, syncError } from './sync-errors';

export interface RetryBounds {
  /** First backoff step. */
  baseMs: number;
  /** Backoff cap (full jitter below it). */
  maxMs: number;
  /** drain() gives up after this many runs in a row without progress. */
  giveUpAfter: number;
}

export const DEFAULT_RETRY: RetryBounds = { baseMs: 1000, maxMs: 5 * 60_000, giveUpAfter: 8 };

const PROBE_MAX_INTERVAL_MS = 15_000;

/** What the scheduler needs from the engine. */
export interface SchedulerHost {
  db: SyncDb;
  logger: Logger;
  clock: () => Date;
  retry: RetryBounds;
  idlePollMs: number;
  outboxPollMs: number;
  syncOnce(signal?: AbortSignal): Promise<SyncRunReport>;
  pending(): number;
  stoppedBy(): SyncError | null;
  recordError(error: SyncError): void;
  emit(): void;
}

function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    if (signal?.aborted) return resolve();
    const timer = setTimeout(done, ms);
    function done() {
      clearTimeout(timer);
      signal?.removeEventListener('abort', done);
      resolve();
    }
    signal?.addEventListener('abort', done, { once: true });
  });
}

export class SyncScheduler {
  /** When the next attempt is due, for state(); null while running or idle without a plan. */
  nextAttemptAt: string | null = null;
  private loop: Promise<void> | null = null;
  private loopAbort: AbortController | null = null;
  private wakeUp: (() => void) | null = null;

  constructor(private readonly host: SchedulerHost) {}

  /** Full-jitter exponential backoff: a random wait below min(cap, base·2^attempt). */
  backoffMs(attempt: number): number {
    const { maxMs, baseMs } = this.host.retry;
    const ceiling = Math.min(maxMs, baseMs * 2 ** Math.min(attempt, 30));
    return Math.round(Math.random() * ceiling);
  }

  /** syncOnce with backoff until nothing is pending, the engine is stopped, it gives up, or `signal` aborts. */
  async drain(signal?: AbortSignal): Promise<SyncRunReport> {
    const host = this.host;
    const total = emptyReport();
    let fruitless = 0;
    for (;;) {
      const run = await host.syncOnce(signal);
      addReport(total, run);
      if (signal?.aborted || host.stoppedBy()) break;
      const pending = host.pending();
      if (pending === 0 && run.failed === 0) break;
      const progress = run.pushed > 0 || run.bytesSent > 0 || run.parked > 0;
      fruitless = progress ? 0 : fruitless + 1;
      if (fruitless >= host.retry.giveUpAfter) {
        host.recordError(syncError('gave-up', 'retry', `gave up after ${fruitless} runs`, { pending }));
        host.logger.warn('sync.drain.gave-up', { pending, runs: fruitless });
        break;
      }
      if (run.failed === 0) continue;
      const wait = this.backoffMs(fruitless);
      this.nextAttemptAt = new Date(host.clock().getTime() + wait).toISOString();
      host.emit();
      await sleep(wait, signal);
      this.nextAttemptAt = null;
    }
    return total;
  }

  start(): void {
    if (this.loop) return;
    this.loopAbort = new AbortController();
    this.loop = this.runLoop(this.loopAbort.signal).catch((error) => {
      this.host.logger.error('sync.scheduler.crashed', { error: (error as Error).message });
    });
  }

  /** Ends the loop; `settle` runs after the loop has ended and before the scheduler forgets it. */
  async stop(settle: () => Promise<void>): Promise<void> {
    this.loopAbort?.abort();
    this.wakeUp?.();
    await this.loop;
    await settle();
    this.loop = null;
    this.loopAbort = null;
    this.nextAttemptAt = null;
  }

  isScheduled(): boolean {
    return this.loop !== null;
  }

  wake(): void {
    this.wakeUp?.();
  }

  private async runLoop(signal: AbortSignal): Promise<void> {
    const host = this.host;
    let failures = 0;
    while (!signal.aborted) {
      const creds = host.db.credentials();
      let wait = host.idlePollMs;
      if (creds && !creds.revokedAt) {
        const probe = await probeProvincialServer(creds.serverUrl);
        if (signal.aborted) break;
        let offline = false;
        if (!probe.reachable) {
          failures += 1;
          offline = true;
          host.recordError(syncError('network', 'retry', `health probe: ${probe.reason}`));
        } else {
          const run = await host.syncOnce(signal);
          failures = run.failed > 0 || host.stoppedBy() ? failures + 1 : 0;
        }
        if (failures > 0) wait = Math.max(host.retry.baseMs, this.backoffMs(failures));
        else if (host.pending() > 0) wait = 0;
        // A health probe is cheap: while offline, look again often so the queue goes soon after the link is back.
        if (offline) wait = Math.min(wait, PROBE_MAX_INTERVAL_MS);
      }
      this.nextAttemptAt = new Date(host.clock().getTime() + wait).toISOString();
      host.emit();
      await this.idle(wait, signal);
      this.nextAttemptAt = null;
    }
  }

  /** Waits `ms`, waking early for wake(), a new outbox row, or stop(). */
  private idle(ms: number, signal: AbortSignal): Promise<void> {
    if (ms <= 0 || signal.aborted) return Promise.resolve();
    const db = this.host.db;
    const startId = db.maxOutboxId();
    return new Promise((resolve) => {
      const finish = () => {
        clearTimeout(timer);
        clearInterval(poll);
        this.wakeUp = null;
        signal.removeEventListener('abort', finish);
        resolve();
      };
      const timer = setTimeout(finish, ms);
      const poll = setInterval(() => {
        try {
          if (db.maxOutboxId() > startId) finish();
        } catch {
          finish();
        }
      }, this.host.outboxPollMs);
      // The scheduler never keeps a process alive by itself.
      timer.unref();
      poll.unref();
      this.wakeUp = finish;
      signal.addEventListener('abort', finish, { once: true });
    });
  }
}
