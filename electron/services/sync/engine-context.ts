/**
 * What the sync engine's rooms (enrolment, push, pull, citizen documents) share: the engine's parts and the
 * few callbacks that touch its state. The facade (`sync-engine.ts`) builds one and passes it, as
 * `tus-client.ts` takes its TusContext.
 */
import type { Logger } from '../logging/logger';
import type { Store } from '../store/store';
import type { StoredCredentials, SyncDb } from './sync-db';
import type { SyncError } from './sync-errors';
import type { SyncHttp } from './sync-http';
import type { TokenBucket } from './token-bucket';

export interface SyncRunReport {
  pushed: number;
  parked: number;
  pulled: number;
  failed: number;
  bytesSent: number;
  bytesResent: number;
  ms: number;
}

export const emptyReport = (): SyncRunReport => ({
  pushed: 0,
  parked: 0,
  pulled: 0,
  failed: 0,
  bytesSent: 0,
  bytesResent: 0,
  ms: 0,
});

export function addReport(total: SyncRunReport, run: SyncRunReport): void {
  total.pushed += run.pushed;
  total.parked += run.parked;
  total.pulled += run.pulled;
  total.failed += run.failed;
  total.bytesSent += run.bytesSent;
  total.bytesResent += run.bytesResent;
  total.ms += run.ms;
}

export interface EngineContext {
  store: Store;
  db: SyncDb;
  logger: Logger;
  clock: () => Date;
  chunkBytes: number;
  bucket: TokenBucket | null;
  /** A signed client for the enrolled server. */
  httpFor(creds: StoredCredentials): SyncHttp;
  /** Sends the state to the listener; `force = false` throttles it (upload progress). */
  emit(force?: boolean): void;
  /** Keeps the error for state().lastError. */
  recordError(error: SyncError): void;
  /** Turns a thrown error into state: a retry counts as failed, a stop marks the engine stopped. */
  handleRunError(error: unknown, report: SyncRunReport, creds: StoredCredentials): void;
  /** Keeps the process lease alive during long uploads. */
  renewLease(): void;
}
