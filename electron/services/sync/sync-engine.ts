/**
 * The desk's sync engine: pushes the outbox in order (PUT the dossier, tus-upload its files, commit), then
 * pulls the change feed. Every step is persisted before the next, so a kill -9 at any moment resumes where it
 * stopped; every answer is validated; every failure is retried with backoff, parked for a person, or stops
 * the engine (revoked, bad credentials, clock skew) — and a queue row is never lost.
 * Plain Node: no Electron, no blocking reads of big files on the calling thread.
 *
 * This file is the facade (state, one run, the scheduler's controls); the rooms are `enrolment.ts`,
 * `push-dossier.ts`, `pull-feed.ts`, `sync-scheduler.ts`, `sync-lease.ts` and `citizen-documents.ts`.
 */

import type { SyncStateView } from '../../api/desk-api';
import { dossierProvinceStatuses } from '../dossier/dossier-rows';
import type { Logger } from '../logging/logger';
import type { Store } from '../store/store';
import { downloadCitizenDocument, lookupCitizenDocuments } from './citizen-documents';
import { type EngineContext, emptyReport, type SyncRunReport } from './engine-context';
import { type Enrolment, enrolDesk, firstPull } from './enrolment';
import type { HeartbeatSender } from './heartbeat';
import type { CitizenDocument } from './protocol';
import { pullFeed } from './pull-feed';
import { pushAll } from './push-dossier';
import { STATE_KEYS, type StoredCredentials, SyncDb } from './sync-db';
import { SyncError, syncError } from './sync-errors';
import { DEFAULT_TIMEOUT_MS, isAbort, SyncHttp } from './sync-http';
import { SyncLease } from './sync-lease';
import { DEFAULT_RETRY, type RetryBounds, SyncScheduler } from './sync-scheduler';
import { TokenBucket } from './token-bucket';

export type { SyncRunReport } from './engine-context';
export type { CitizenDocument } from './protocol';
export { DEFAULT_RETRY, type RetryBounds } from './sync-scheduler';

export interface SyncEngineOptions {
  store: Store;
  logger: Logger;
  clock?: () => Date;
  /** The Desk forwards it as a 'syncState' event. */
  onState?: (state: SyncState) => void;
  fetchImpl?: typeof fetch;
  /** tus PATCH size, default 1 MiB (config sync.chunkBytes). */
  chunkBytes?: number;
  /** Bandwidth cap (config sync.maxBytesPerSecond); null = none. */
  maxBytesPerSecond?: number | null;
  deskName?: string;
  retry?: Partial<RetryBounds>;
  /** Scheduler: how often to pull the feed when idle (default 60 s) and to look for new outbox rows (2 s). */
  idlePollMs?: number;
  outboxPollMs?: number;
  /** Longest wait for one JSON request, answer included (default 60 s); uploads allow more. */
  requestTimeoutMs?: number;
  /** Fleet heartbeat (heartbeat.ts), sent after successful runs. */
  heartbeat?: HeartbeatSender;
  /** MOTCUA_PROVINCIAL_URL: wins over the address the desk enrolled with (same province, other route). */
  serverUrlOverride?: string | null;
}

/** The engine's state as the desk shows it (one type for the engine, the desk API and the UI). */
export type SyncState = SyncStateView;

export class SyncEngine {
  private readonly store: Store;
  private readonly db: SyncDb;
  private readonly logger: Logger;
  private readonly clock: () => Date;
  private readonly fetchImpl: typeof fetch;
  private readonly requestTimeoutMs: number;
  private readonly onState?: (state: SyncState) => void;
  private readonly lease: SyncLease;
  private readonly scheduler: SyncScheduler;
  private readonly ctx: EngineContext & {
    fetchImpl: typeof fetch;
    requestTimeoutMs: number;
    deskName: string;
  };

  private running = false;
  private lastStop: SyncError | null = null;
  private chain: Promise<unknown> = Promise.resolve();
  private lastEmit = 0;
  private readonly heartbeat: HeartbeatSender | null;

  constructor(options: SyncEngineOptions) {
    this.heartbeat = options.heartbeat ?? null;
    this.store = options.store;
    this.db = new SyncDb(options.store.db, options.serverUrlOverride ?? null);
    this.logger = options.logger;
    this.clock = options.clock ?? (() => new Date());
    this.fetchImpl = options.fetchImpl ?? fetch;
    this.requestTimeoutMs = options.requestTimeoutMs ?? DEFAULT_TIMEOUT_MS;
    this.onState = options.onState;
    this.lease = new SyncLease(this.store, this.db);
    this.ctx = {
      store: this.store,
      db: this.db,
      logger: this.logger,
      clock: this.clock,
      fetchImpl: this.fetchImpl,
      requestTimeoutMs: this.requestTimeoutMs,
      deskName: options.deskName ?? 'MotCua Desk',
      chunkBytes: Math.max(16 * 1024, options.chunkBytes ?? 1024 * 1024),
      bucket: options.maxBytesPerSecond ? new TokenBucket(options.maxBytesPerSecond) : null,
      httpFor: (creds) => this.httpFor(creds),
      emit: (force) => this.emit(force),
      recordError: (error) => this.recordError(error),
      handleRunError: (error, report, creds) => this.handleRunError(error, report, creds),
      renewLease: () => this.lease.renew(),
    };
    this.scheduler = new SyncScheduler({
      db: this.db,
      logger: this.logger,
      clock: this.clock,
      retry: { ...DEFAULT_RETRY, ...(options.retry ?? {}) },
      idlePollMs: options.idlePollMs ?? 60_000,
      outboxPollMs: options.outboxPollMs ?? 2_000,
      syncOnce: (signal) => this.syncOnce(signal),
      pending: () => this.db.counts().pending,
      stoppedBy: () => this.lastStop,
      recordError: (error) => this.recordError(error),
      emit: () => this.emit(),
    });
  }

  // -------------------------------------------------------------------------------------------------------
  // State
  // -------------------------------------------------------------------------------------------------------
  state(): SyncState {
    const creds = this.db.credentials();
    const counts = this.db.counts();
    const lastError = this.db.get(STATE_KEYS.lastError);
    return {
      enrolled: creds !== null,
      serverUrl: creds?.serverUrl ?? null,
      deviceId: creds?.deviceId ?? null,
      pending: counts.pending,
      bytesPending: counts.bytesPending,
      parked: counts.parked,
      running: this.running,
      revoked: creds?.revokedAt != null,
      lastSuccessAt: this.db.get(STATE_KEYS.lastSuccessAt),
      lastError: lastError ? (JSON.parse(lastError) as SyncState['lastError']) : null,
      nextAttemptAt: this.scheduler.nextAttemptAt,
    };
  }

  /** The error that ended the last run when nothing can work until someone acts (revoked, clock…). */
  stoppedBy(): SyncError | null {
    return this.lastStop;
  }

  private emit(force = true): void {
    if (!this.onState) return;
    const now = Date.now();
    if (!force && now - this.lastEmit < 250) return;
    this.lastEmit = now;
    try {
      this.onState(this.state());
    } catch (error) {
      this.logger.warn('sync.state-listener-failed', { error: (error as Error).message });
    }
  }

  private recordError(error: SyncError): void {
    this.db.set(
      STATE_KEYS.lastError,
      JSON.stringify({ code: error.code, clerkMessage: error.clerkMessage, at: this.clock().toISOString() }),
    );
  }

  private httpFor(creds: StoredCredentials): SyncHttp {
    return new SyncHttp(creds, creds.serverUrl, this.fetchImpl, this.clock, this.requestTimeoutMs);
  }

  // -------------------------------------------------------------------------------------------------------
  // Enrolment and once-only documents (rooms of their own)
  // -------------------------------------------------------------------------------------------------------
  async enrol(serverUrl: string, code: string): Promise<Enrolment> {
    const enrolled = await enrolDesk(this.ctx, serverUrl, code);
    this.lastStop = null;
    this.logger.info('sync.enrolled', { device: enrolled.deviceId, slot: enrolled.deskSlot });
    await firstPull(this.ctx);
    this.emit();
    return enrolled;
  }

  lookupCitizenDocuments(idNumber: string, procedureCode: string): Promise<CitizenDocument[]> {
    return lookupCitizenDocuments(this.ctx, idNumber, procedureCode);
  }

  /** The document's bytes, verified against its declared size and SHA-256 (anything else is refused). */
  downloadCitizenDocument(doc: CitizenDocument): Promise<Uint8Array> {
    return downloadCitizenDocument(this.ctx, doc);
  }

  /** TrangThaiHoSo the province last reported, per dossier id (for the dossier list). */
  provinceStatuses(ids: string[]): Map<string, number | null> {
    return dossierProvinceStatuses(this.store.db, ids);
  }

  // -------------------------------------------------------------------------------------------------------
  // One run: push then pull
  // -------------------------------------------------------------------------------------------------------
  /** Push the outbox in order, then pull the change feed. Never throws for sync failures: see state(). */
  syncOnce(signal?: AbortSignal): Promise<SyncRunReport> {
    // One run at a time per engine; a caller arriving during a run waits for the next.
    const run = this.chain.then(() => this.runOnce(signal));
    this.chain = run.catch(() => {});
    return run;
  }

  private async runOnce(signal?: AbortSignal): Promise<SyncRunReport> {
    const started = performance.now();
    const report = emptyReport();
    const finish = () => {
      report.ms = Math.round(performance.now() - started);
      return report;
    };
    const creds = this.db.credentials();
    if (!creds) {
      const error = syncError('not-enrolled', 'stop', 'not enrolled');
      this.lastStop = error;
      this.recordError(error);
      report.failed += 1;
      return finish();
    }
    if (creds.revokedAt) {
      this.lastStop = syncError('revoked', 'stop', 'device revoked');
      report.failed += 1;
      return finish();
    }
    if (!this.lease.acquire()) {
      this.recordError(syncError('busy', 'retry', 'another process holds the sync lease'));
      report.failed += 1;
      return finish();
    }
    this.running = true;
    this.lastStop = null;
    this.emit();
    const http = this.httpFor(creds);
    let ok = true;
    try {
      ok = await pushAll(this.ctx, http, creds, report, signal);
      if (ok && !signal?.aborted) {
        try {
          report.pulled += await pullFeed(this.ctx, http, creds, signal);
        } catch (error) {
          ok = false;
          this.handleRunError(error, report, creds);
        }
      }
      if (ok && !signal?.aborted) {
        this.db.set(STATE_KEYS.lastSuccessAt, this.clock().toISOString());
        // A parked dossier's reason stays shown until a later run has nothing to report.
        if (report.parked === 0) this.db.set(STATE_KEYS.lastError, null);
        await this.heartbeat
          ?.maybeSend(http, this.db.get(STATE_KEYS.lastSuccessAt), this.clock())
          .catch((error: Error) => this.logger.warn('sync.heartbeat-failed', { error: error.name }));
      }
    } finally {
      this.lease.release();
      this.running = false;
      this.emit();
    }
    this.logger.info('sync.run', { ...report, ms: Math.round(performance.now() - started) });
    return finish();
  }

  /** Turns a thrown error into state: a retry counts as failed, a stop marks the engine stopped. */
  private handleRunError(error: unknown, report: SyncRunReport, creds: StoredCredentials): void {
    if (isAbort(error)) return;
    const failure =
      error instanceof SyncError
        ? error
        : syncError('internal', 'retry', `${(error as Error).name}: ${(error as Error).message}`);
    if (!(error instanceof SyncError)) this.logger.error('sync.internal', { error: failure.detail });
    report.failed += 1;
    this.recordError(failure);
    if (failure.action === 'stop') {
      this.lastStop = failure;
      if (failure.code === 'revoked' || failure.code === 'bad-credentials') {
        this.db.markRevoked(this.clock().toISOString());
      }
      this.logger.warn('sync.stopped', {
        code: failure.code,
        detail: failure.detail,
        device: creds.deviceId,
      });
    } else {
      this.logger.warn('sync.retry', { code: failure.code, detail: failure.detail });
    }
  }

  // -------------------------------------------------------------------------------------------------------
  // Drain and scheduler (sync-scheduler.ts)
  // -------------------------------------------------------------------------------------------------------
  /** Full-jitter exponential backoff: a random wait below min(cap, base·2^attempt). */
  backoffMs(attempt: number): number {
    return this.scheduler.backoffMs(attempt);
  }

  /** syncOnce with backoff until nothing is pending, the engine is stopped, it gives up, or `signal` aborts. */
  drain(signal?: AbortSignal): Promise<SyncRunReport> {
    return this.scheduler.drain(signal);
  }

  /** Background scheduler: runs when the server answers /v1/health, at once for new outbox rows, with backoff. */
  start(): void {
    this.scheduler.start();
  }

  async stop(): Promise<void> {
    await this.scheduler.stop(() => this.chain.then(() => undefined).catch(() => {}));
  }

  /** True while the background scheduler runs (start() without stop()). */
  isScheduled(): boolean {
    return this.scheduler.isScheduled();
  }

  /** Ask the scheduler to run now (a dossier was queued, or the clerk pressed "Đồng bộ ngay"). */
  wake(): void {
    this.scheduler.wake();
  }
}
