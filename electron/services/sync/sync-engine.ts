/**
 * The desk's sync engine: pushes the outbox in order (PUT the dossier, tus-upload its files, commit), then
 * pulls the change feed. Every step is persisted before the next, so a kill -9 at any moment resumes where it
 * stopped; every answer is validated; every failure is retried with backoff, parked for a person, or stops
 * the engine (revoked, bad credentials, clock skew) — and a queue row is never lost.
 * Plain Node: no Electron, no blocking reads of big files on the calling thread.
 */

import { randomUUID } from 'node:crypto';
import type { SyncStateView } from '../../api/desk-api';
import type { Logger } from '../logging/logger';
import type { Store } from '../store/store';
import { APP_VERSION } from '../version';
import { probeProvincialServer } from './connectivity';
import { buildDossierPayload, PayloadError, type PayloadFile } from './dossier-payload';
import { applyChangesPage } from './feed-apply';
import {
  ChangesResponse,
  type CitizenDocument,
  CitizenDocument as CitizenDocumentSchema,
  CitizenLookupRequest,
  CitizenLookupResponse,
  ConflictBody,
  CursorAheadBody,
  DossierRecord,
  dossierContentSha256,
  EnrolResponse,
  FilesMissingBody,
  LIMITS,
  PATHS,
} from './protocol';
import { STATE_KEYS, type StoredCredentials, SyncDb } from './sync-db';
import { parkError, SyncError, syncError } from './sync-errors';
import {
  type Answer,
  commonFailure,
  DEFAULT_TIMEOUT_MS,
  errorCodeOf,
  isAbort,
  SyncHttp,
  unexpected,
} from './sync-http';
import { TokenBucket } from './token-bucket';
import { sha256Async, uploadFile } from './tus-client';

export type { CitizenDocument } from './protocol';

export interface RetryBounds {
  /** First backoff step. */
  baseMs: number;
  /** Backoff cap (full jitter below it). */
  maxMs: number;
  /** drain() gives up after this many runs in a row without progress. */
  giveUpAfter: number;
}

export const DEFAULT_RETRY: RetryBounds = { baseMs: 1000, maxMs: 5 * 60_000, giveUpAfter: 8 };

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
  /** MOTCUA_PROVINCIAL_URL: wins over the address the desk enrolled with (same province, other route). */
  serverUrlOverride?: string | null;
}

/** The engine's state as the desk shows it (one type for the engine, the desk API and the UI). */
export type SyncState = SyncStateView;

export interface SyncRunReport {
  pushed: number;
  parked: number;
  pulled: number;
  failed: number;
  bytesSent: number;
  bytesResent: number;
  ms: number;
}

const LEASE_MS = 120_000;
const PROBE_MAX_INTERVAL_MS = 15_000;
const MAX_FEED_PAGES_PER_RUN = 50;
const FEED_PAGE = 200;

const emptyReport = (): SyncRunReport => ({
  pushed: 0,
  parked: 0,
  pulled: 0,
  failed: 0,
  bytesSent: 0,
  bytesResent: 0,
  ms: 0,
});

function addReport(total: SyncRunReport, run: SyncRunReport): void {
  total.pushed += run.pushed;
  total.parked += run.parked;
  total.pulled += run.pulled;
  total.failed += run.failed;
  total.bytesSent += run.bytesSent;
  total.bytesResent += run.bytesResent;
  total.ms += run.ms;
}

/** The one place the engine reads a file's bytes: through the blob store, which decrypts and verifies. */
async function readBlob(store: Store, file: PayloadFile): Promise<Uint8Array> {
  return store.blobs.read(file.sha256, file.ext);
}

function pidAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
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

export class SyncEngine {
  private readonly store: Store;
  private readonly db: SyncDb;
  private readonly logger: Logger;
  private readonly clock: () => Date;
  private readonly fetchImpl: typeof fetch;
  private readonly chunkBytes: number;
  private readonly bucket: TokenBucket | null;
  private readonly deskName: string;
  private readonly retry: RetryBounds;
  private readonly idlePollMs: number;
  private readonly outboxPollMs: number;
  private readonly requestTimeoutMs: number;
  private readonly onState?: (state: SyncState) => void;
  private readonly leaseToken = randomUUID();

  private running = false;
  private nextAttemptAt: string | null = null;
  private lastStop: SyncError | null = null;
  private chain: Promise<unknown> = Promise.resolve();
  private loop: Promise<void> | null = null;
  private loopAbort: AbortController | null = null;
  private wakeUp: (() => void) | null = null;
  private lastEmit = 0;
  private leaseRenewedAt = 0;

  constructor(options: SyncEngineOptions) {
    this.store = options.store;
    this.db = new SyncDb(options.store.db, options.serverUrlOverride ?? null);
    this.logger = options.logger;
    this.clock = options.clock ?? (() => new Date());
    this.fetchImpl = options.fetchImpl ?? fetch;
    this.chunkBytes = Math.max(16 * 1024, options.chunkBytes ?? 1024 * 1024);
    this.bucket = options.maxBytesPerSecond ? new TokenBucket(options.maxBytesPerSecond) : null;
    this.deskName = options.deskName ?? 'MotCua Desk';
    this.retry = { ...DEFAULT_RETRY, ...(options.retry ?? {}) };
    this.idlePollMs = options.idlePollMs ?? 60_000;
    this.outboxPollMs = options.outboxPollMs ?? 2_000;
    this.requestTimeoutMs = options.requestTimeoutMs ?? DEFAULT_TIMEOUT_MS;
    this.onState = options.onState;
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
      nextAttemptAt: this.nextAttemptAt,
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

  // -------------------------------------------------------------------------------------------------------
  // Enrolment
  // -------------------------------------------------------------------------------------------------------
  async enrol(
    serverUrl: string,
    code: string,
  ): Promise<{ deviceId: string; agencyCode: string; deskSlot: number }> {
    let base: URL;
    try {
      base = new URL(serverUrl);
      if (base.protocol !== 'http:' && base.protocol !== 'https:') throw new Error('not http(s)');
    } catch (error) {
      throw syncError('bad-server-url', 'stop', `bad server URL: ${(error as Error).message}`, {
        detail: serverUrl,
      });
    }
    const origin = base.origin;
    const http = new SyncHttp(null, origin, this.fetchImpl, this.clock, this.requestTimeoutMs);
    const answer = await http.request('POST', PATHS.enrol, {
      unsigned: true,
      json: {
        code: code.trim(),
        deskName: this.deskName.slice(0, 200),
        appVersion: APP_VERSION.slice(0, 40),
      },
    });
    if (answer.status === 403 && errorCodeOf(answer) === 'enrolment-code-invalid') {
      throw syncError('enrolment-code-invalid', 'stop', 'enrolment code refused', {}, 403);
    }
    if (answer.status === 400)
      throw syncError('enrolment-code-invalid', 'stop', 'enrolment request refused (400)');
    if (answer.status !== 200)
      throw commonFailure(answer, 'enrol', this.clock) ?? unexpected(answer, 'enrol');
    const parsed = EnrolResponse.safeParse(answer.json);
    if (!parsed.success) throw syncError('bad-answer', 'retry', 'enrol answer does not match the schema');
    const enrolled = parsed.data;
    this.db.saveCredentials({
      serverUrl: origin,
      deviceId: enrolled.deviceId,
      secret: enrolled.secret,
      agencyCode: enrolled.MaCoQuan,
      deskSlot: enrolled.deskSlot,
      deskName: this.deskName,
      enrolledAt: enrolled.enrolledAt,
    });
    this.lastStop = null;
    this.logger.info('sync.enrolled', { device: enrolled.deviceId, slot: enrolled.deskSlot });
    // The code range comes through the feed: fetch it now so the desk can issue codes at once.
    try {
      const creds = this.db.credentials() as StoredCredentials;
      await this.pull(this.httpFor(creds), creds);
    } catch (error) {
      this.logger.warn('sync.enrol.first-pull-failed', { error: (error as Error).message });
    }
    this.emit();
    return { deviceId: enrolled.deviceId, agencyCode: enrolled.MaCoQuan, deskSlot: enrolled.deskSlot };
  }

  private httpFor(creds: StoredCredentials): SyncHttp {
    return new SyncHttp(creds, creds.serverUrl, this.fetchImpl, this.clock, this.requestTimeoutMs);
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
    if (!this.acquireLease()) {
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
      ok = await this.pushAll(http, creds, report, signal);
      if (ok && !signal?.aborted) {
        try {
          report.pulled += await this.pull(http, creds, signal);
        } catch (error) {
          ok = false;
          this.handleRunError(error, report, creds);
        }
      }
      if (ok && !signal?.aborted) {
        this.db.set(STATE_KEYS.lastSuccessAt, this.clock().toISOString());
        // A parked dossier's reason stays shown until a later run has nothing to report.
        if (report.parked === 0) this.db.set(STATE_KEYS.lastError, null);
      }
    } finally {
      this.releaseLease();
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

  private async pushAll(
    http: SyncHttp,
    creds: StoredCredentials,
    report: SyncRunReport,
    signal?: AbortSignal,
  ): Promise<boolean> {
    const done = new Set<number>();
    for (;;) {
      // Re-read each round: rows queued during the run go out in the same run.
      const next = this.db.pendingOutbox().find((item) => !done.has(item.id));
      if (!next) return true;
      if (signal?.aborted) return false;
      done.add(next.id);
      try {
        await this.pushOne(http, creds, next, report, signal);
        report.pushed += 1;
      } catch (error) {
        if (isAbort(error) || signal?.aborted) return false;
        if (error instanceof SyncError && error.action === 'park') {
          this.db.park(next.id, error.code, error.clerkMessage, this.clock().toISOString());
          this.recordError(error);
          report.parked += 1;
          this.logger.warn('sync.parked', {
            outbox: next.id,
            dossier: next.dossierId,
            code: error.code,
            detail: error.detail,
          });
        } else {
          this.db.recordFailure(
            next.id,
            error instanceof SyncError ? error.detail : (error as Error).message,
            this.clock().toISOString(),
          );
          this.handleRunError(error, report, creds);
          // In order: the next dossiers wait until this one goes (the network is likely the cause anyway).
          return false;
        }
      }
      this.renewLease();
      this.emit();
    }
  }

  private async pushOne(
    http: SyncHttp,
    creds: StoredCredentials,
    item: ReturnType<SyncDb['pendingOutbox']>[number],
    report: SyncRunReport,
    signal?: AbortSignal,
  ): Promise<void> {
    const now = () => this.clock().toISOString();
    let built: ReturnType<typeof buildDossierPayload>;
    try {
      built = buildDossierPayload(this.store.db, item.dossierId, creds.agencyCode);
    } catch (error) {
      if (error instanceof PayloadError) {
        throw parkError('bad-payload', error.message, {
          code: error.code ?? item.dossierId,
          detail: error.fields,
        });
      }
      throw error;
    }
    const { payload } = built;
    const content = dossierContentSha256(payload);
    const what = `dossier ${item.dossierId}`;

    const put = await http.request('PUT', PATHS.dossier(payload.DeskUuid), { json: payload, signal });
    let record = this.readRecord(put, what, payload.MaHoSo, 'PUT');
    if (item.stage !== 'put' || item.contentSha256 !== content)
      this.db.setStage(item.id, 'put', content, now());
    if (record.committed) {
      if (record.contentSha256 !== content)
        throw syncError('bad-answer', 'retry', `${what}: committed content differs`);
      this.db.markCommitted(item, record.TrangThaiHoSo, record.committedAt ?? now(), now());
      return;
    }
    if (record.contentSha256 !== content)
      throw syncError('bad-answer', 'retry', `${what}: server content hash differs`);

    const upload = async (file: PayloadFile) =>
      uploadFile(
        {
          http,
          db: this.db,
          clock: this.clock,
          chunkBytes: this.chunkBytes,
          bucket: this.bucket,
          signal,
          read: () => readBlob(this.store, file),
          onChunk: (sent, resent) => {
            report.bytesSent += sent;
            report.bytesResent += resent;
            this.renewLease();
            this.emit(false);
          },
        },
        {
          dossierId: payload.DeskUuid,
          dossierCode: payload.MaHoSo,
          fileId: file.id,
          fileName: file.fileName,
          sha256: file.sha256,
          bytes: file.bytes,
          mimeType: file.mimeType,
        },
      );

    for (const file of built.files) {
      if (file.storeDocumentId) continue; // once-only: the province already holds it
      const held = record.files.find((f) => f.TepDinhKemId === file.id);
      // The server's word wins over our notes (it may have been restored from a backup).
      if (!held?.received && this.db.upload(file.id)?.received_at) this.db.forgetReceived(file.id, now());
      if (held?.received && held.Sha256 === file.sha256) {
        this.db.ensureUpload(file.id, payload.DeskUuid, file.sha256, file.bytes, now());
        this.db.markReceived(file.id, now());
        continue;
      }
      await upload(file);
    }

    for (let round = 0; round < 3; round++) {
      const committed = await http.request('POST', PATHS.commit(payload.DeskUuid), {
        json: { contentSha256: content },
        signal,
      });
      if (committed.status === 409 && errorCodeOf(committed) === 'files-missing') {
        const missing = FilesMissingBody.safeParse(committed.json);
        if (!missing.success) throw syncError('bad-answer', 'retry', `${what}: malformed files-missing`);
        for (const gap of missing.data.missing) {
          const file = built.files.find((f) => f.id === gap.TepDinhKemId);
          if (!file) throw syncError('bad-answer', 'retry', `${what}: server misses an undeclared file`);
          this.db.forgetReceived(file.id, now());
          await upload(file);
        }
        continue;
      }
      record = this.readRecord(committed, what, payload.MaHoSo, 'commit');
      if (!record.committed || record.contentSha256 !== content) {
        throw syncError('bad-answer', 'retry', `${what}: commit answered without committing`);
      }
      this.db.markCommitted(item, record.TrangThaiHoSo, record.committedAt ?? now(), now());
      this.logger.info('sync.committed', {
        outbox: item.id,
        dossier: item.dossierId,
        files: built.files.length,
      });
      return;
    }
    throw syncError('bad-answer', 'retry', `${what}: files still missing after upload`);
  }

  /** A DossierRecord answer, or the SyncError the retry table prescribes. */
  private readRecord(answer: Answer, what: string, code: string, step: string): DossierRecord {
    if (answer.status === 200) {
      const parsed = DossierRecord.safeParse(answer.json);
      if (!parsed.success)
        throw syncError('bad-answer', 'retry', `${what}: ${step} answer does not match the schema`);
      return parsed.data;
    }
    if (answer.status === 409) {
      const conflict = ConflictBody.safeParse(answer.json);
      if (conflict.success) {
        const body = conflict.data;
        const fields = (body.differences ?? []).slice(0, 10).join(', ') || '—';
        throw parkError(body.error, `${what}: ${step} ${body.error}`, { code, fields }, 409);
      }
    }
    if (answer.status === 400 || answer.status === 422) {
      const issues = (answer.json as { issues?: { path?: unknown }[] } | undefined)?.issues;
      const fields = Array.isArray(issues)
        ? [...new Set(issues.map((i) => String(i?.path ?? '')))].slice(0, 8).join(', ')
        : (errorCodeOf(answer) ?? 'HTTP 400');
      throw parkError(
        'bad-payload',
        `${what}: ${step} refused (400 ${errorCodeOf(answer) ?? ''})`,
        { code, detail: fields },
        400,
      );
    }
    if (answer.status === 413) throw parkError('too-large', `${what}: ${step} body too large`, { code }, 413);
    throw commonFailure(answer, `${what} ${step}`, this.clock) ?? unexpected(answer, `${what} ${step}`);
  }

  /** Pulls feed pages until the server has no more; returns how many entries were applied. */
  private async pull(http: SyncHttp, creds: StoredCredentials, signal?: AbortSignal): Promise<number> {
    let applied = 0;
    for (let page = 0; page < MAX_FEED_PAGES_PER_RUN; page++) {
      const cursor = this.db.get(STATE_KEYS.cursor) ?? '0';
      const answer = await http.request(
        'GET',
        `${PATHS.changes}?cursor=${encodeURIComponent(cursor)}&limit=${FEED_PAGE}`,
        { signal },
      );
      if (answer.status === 409 && errorCodeOf(answer) === 'cursor-ahead') {
        const ahead = CursorAheadBody.safeParse(answer.json);
        // The server was restored from a backup: start over; entries are applied idempotently by content.
        this.logger.warn('sync.feed.cursor-ahead', {
          cursor,
          latest: ahead.success ? ahead.data.latestCursor : null,
        });
        this.store.db.transaction(() => {
          this.db.set(STATE_KEYS.cursor, '0');
          this.store.db.prepare('DELETE FROM sync_applied_changes').run();
        })();
        continue;
      }
      if (answer.status !== 200)
        throw commonFailure(answer, 'changes', this.clock) ?? unexpected(answer, 'changes');
      const envelope = ChangesResponse.pick({ nextCursor: true, hasMore: true }).safeParse(answer.json);
      const changes = (answer.json as { changes?: unknown } | undefined)?.changes;
      if (
        !envelope.success ||
        !Array.isArray(changes) ||
        changes.length > LIMITS.changesPerPage ||
        envelope.data.nextCursor.length > 200
      ) {
        throw syncError('bad-answer', 'retry', 'changes answer does not match the schema');
      }
      const { nextCursor, hasMore } = envelope.data;
      const outcome = applyChangesPage(
        { db: this.store.db, deviceId: creds.deviceId, clock: this.clock, logger: this.logger },
        changes,
        () => this.db.set(STATE_KEYS.cursor, nextCursor),
      );
      applied += outcome.applied;
      if (!hasMore || nextCursor === cursor) break;
    }
    return applied;
  }

  // -------------------------------------------------------------------------------------------------------
  // Drain and scheduler
  // -------------------------------------------------------------------------------------------------------
  /** Full-jitter exponential backoff: a random wait below min(cap, base·2^attempt). */
  backoffMs(attempt: number): number {
    const ceiling = Math.min(this.retry.maxMs, this.retry.baseMs * 2 ** Math.min(attempt, 30));
    return Math.round(Math.random() * ceiling);
  }

  /** syncOnce with backoff until nothing is pending, the engine is stopped, it gives up, or `signal` aborts. */
  async drain(signal?: AbortSignal): Promise<SyncRunReport> {
    const total = emptyReport();
    let fruitless = 0;
    for (;;) {
      const run = await this.syncOnce(signal);
      addReport(total, run);
      if (signal?.aborted || this.lastStop) break;
      const state = this.state();
      if (state.pending === 0 && run.failed === 0) break;
      const progress = run.pushed > 0 || run.bytesSent > 0 || run.parked > 0;
      fruitless = progress ? 0 : fruitless + 1;
      if (fruitless >= this.retry.giveUpAfter) {
        this.recordError(
          syncError('gave-up', 'retry', `gave up after ${fruitless} runs`, { pending: state.pending }),
        );
        this.logger.warn('sync.drain.gave-up', { pending: state.pending, runs: fruitless });
        break;
      }
      if (run.failed === 0) continue;
      const wait = this.backoffMs(fruitless);
      this.nextAttemptAt = new Date(this.clock().getTime() + wait).toISOString();
      this.emit();
      await sleep(wait, signal);
      this.nextAttemptAt = null;
    }
    return total;
  }

  /** Background scheduler: runs when the server answers /v1/health, at once for new outbox rows, with backoff. */
  start(): void {
    if (this.loop) return;
    this.loopAbort = new AbortController();
    this.loop = this.runLoop(this.loopAbort.signal).catch((error) => {
      this.logger.error('sync.scheduler.crashed', { error: (error as Error).message });
    });
  }

  async stop(): Promise<void> {
    this.loopAbort?.abort();
    this.wakeUp?.();
    await this.loop;
    await this.chain.catch(() => {});
    this.loop = null;
    this.loopAbort = null;
    this.nextAttemptAt = null;
  }

  /** True while the background scheduler runs (start() without stop()). */
  isScheduled(): boolean {
    return this.loop !== null;
  }

  /** TrangThaiHoSo the province last reported, per dossier id (for the dossier list). */
  provinceStatuses(ids: string[]): Map<string, number | null> {
    const result = new Map<string, number | null>();
    const query = this.store.db.prepare('SELECT province_status FROM dossiers WHERE id = ?').pluck();
    for (const id of ids) result.set(id, (query.get(id) as number | null | undefined) ?? null);
    return result;
  }

  /** Ask the scheduler to run now (a dossier was queued, or the clerk pressed "Đồng bộ ngay"). */
  wake(): void {
    this.wakeUp?.();
  }

  private async runLoop(signal: AbortSignal): Promise<void> {
    let failures = 0;
    while (!signal.aborted) {
      const creds = this.db.credentials();
      let wait = this.idlePollMs;
      if (creds && !creds.revokedAt) {
        const probe = await probeProvincialServer(creds.serverUrl);
        if (signal.aborted) break;
        let offline = false;
        if (!probe.reachable) {
          failures += 1;
          offline = true;
          this.recordError(syncError('network', 'retry', `health probe: ${probe.reason}`));
        } else {
          const run = await this.syncOnce(signal);
          failures = run.failed > 0 || this.lastStop ? failures + 1 : 0;
        }
        if (failures > 0) wait = Math.max(this.retry.baseMs, this.backoffMs(failures));
        else if (this.state().pending > 0) wait = 0;
        // A health probe is cheap: while offline, look again often so the queue goes soon after the link is back.
        if (offline) wait = Math.min(wait, PROBE_MAX_INTERVAL_MS);
      }
      this.nextAttemptAt = new Date(this.clock().getTime() + wait).toISOString();
      this.emit();
      await this.idle(wait, signal);
      this.nextAttemptAt = null;
    }
  }

  /** Waits `ms`, waking early for wake(), a new outbox row, or stop(). */
  private idle(ms: number, signal: AbortSignal): Promise<void> {
    if (ms <= 0 || signal.aborted) return Promise.resolve();
    const startId = this.db.maxOutboxId();
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
          if (this.db.maxOutboxId() > startId) finish();
        } catch {
          finish();
        }
      }, this.outboxPollMs);
      // The scheduler never keeps a process alive by itself.
      timer.unref();
      poll.unref();
      this.wakeUp = finish;
      signal.addEventListener('abort', finish, { once: true });
    });
  }

  // -------------------------------------------------------------------------------------------------------
  // Lease: one syncing process per data dir (the app and a CLI may both be open); a dead holder loses it.
  // -------------------------------------------------------------------------------------------------------
  private acquireLease(): boolean {
    return this.store.db
      .transaction(() => {
        const raw = this.db.get(STATE_KEYS.lease);
        if (raw) {
          try {
            const held = JSON.parse(raw) as { pid: number; token: string; until: number };
            if (held.token !== this.leaseToken && held.until > Date.now() && pidAlive(held.pid)) return false;
          } catch {
            // unreadable lease: take it
          }
        }
        this.db.set(
          STATE_KEYS.lease,
          JSON.stringify({ pid: process.pid, token: this.leaseToken, until: Date.now() + LEASE_MS }),
        );
        this.leaseRenewedAt = Date.now();
        return true;
      })
      .immediate();
  }

  private renewLease(): void {
    // Every write is an fsync: renew well before expiry, not at every chunk.
    if (Date.now() - this.leaseRenewedAt < LEASE_MS / 6) return;
    this.leaseRenewedAt = Date.now();
    this.db.set(
      STATE_KEYS.lease,
      JSON.stringify({ pid: process.pid, token: this.leaseToken, until: Date.now() + LEASE_MS }),
    );
  }

  private releaseLease(): void {
    const raw = this.db.get(STATE_KEYS.lease);
    if (raw?.includes(this.leaseToken)) this.db.set(STATE_KEYS.lease, null);
  }

  // -------------------------------------------------------------------------------------------------------
  // Once-only reception: documents the province already holds for a citizen
  // -------------------------------------------------------------------------------------------------------
  private requireCredentials(): StoredCredentials {
    const creds = this.db.credentials();
    if (!creds) throw syncError('not-enrolled', 'stop', 'not enrolled');
    if (creds.revokedAt) throw syncError('revoked', 'stop', 'device revoked');
    return creds;
  }

  async lookupCitizenDocuments(idNumber: string, procedureCode: string): Promise<CitizenDocument[]> {
    const request = CitizenLookupRequest.safeParse({
      SoGiayTo: idNumber.trim(),
      MaTTHC: procedureCode.trim(),
    });
    if (!request.success) {
      const fields = [...new Set(request.error.issues.map((i) => i.path.join('.')))].join(', ');
      throw syncError('invalid-input', 'stop', `lookup input invalid: ${fields}`, { detail: fields });
    }
    const creds = this.requireCredentials();
    const answer = await this.httpFor(creds).request('POST', PATHS.citizenLookup, { json: request.data });
    if (answer.status !== 200) {
      const failure =
        commonFailure(answer, 'citizen lookup', this.clock) ?? unexpected(answer, 'citizen lookup');
      if (failure.code === 'revoked' || failure.code === 'bad-credentials')
        this.db.markRevoked(this.clock().toISOString());
      throw failure;
    }
    const parsed = CitizenLookupResponse.safeParse(answer.json);
    if (!parsed.success || parsed.data.SoGiayTo !== request.data.SoGiayTo) {
      throw syncError('bad-answer', 'retry', 'citizen lookup answer does not match the schema');
    }
    this.logger.info('sync.citizen-lookup', {
      procedure: request.data.MaTTHC,
      documents: parsed.data.documents.length,
    });
    return parsed.data.documents;
  }

  /** The document's bytes, verified against its declared size and SHA-256 (anything else is refused). */
  async downloadCitizenDocument(doc: CitizenDocument): Promise<Uint8Array> {
    const parsed = CitizenDocumentSchema.safeParse(doc);
    if (!parsed.success)
      throw syncError('invalid-input', 'stop', 'not a citizen document', { detail: 'document' });
    const { contentPath, Bytes, Sha256 } = parsed.data;
    if (
      !/^\/v1\/[A-Za-z0-9._~/-]+$/.test(contentPath) ||
      contentPath.includes('..') ||
      Bytes < 0 ||
      Bytes > LIMITS.fileBytes
    ) {
      throw syncError('bad-answer', 'retry', 'citizen document has a bad content path or size');
    }
    const creds = this.requireCredentials();
    const answer = await this.httpFor(creds).request('GET', contentPath, {
      maxBytes: Bytes,
      timeoutMs: 300_000,
    });
    if (answer.status !== 200) {
      throw commonFailure(answer, 'citizen document', this.clock) ?? unexpected(answer, 'citizen document');
    }
    if (answer.body.byteLength !== Bytes || (await sha256Async(answer.body)) !== Sha256) {
      throw syncError(
        'bad-answer',
        'retry',
        `citizen document ${parsed.data.MaTaiLieuKho} does not match its SHA-256`,
      );
    }
    return answer.body;
  }
}
