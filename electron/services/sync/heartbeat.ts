import { statfsSync } from 'node:fs';
import { z } from 'zod';
import type { Store } from '../store/store';
import type { SyncHttp } from './sync-http';

/** Signed like every desk request (HMAC, sync/protocol.ts); the reference server lists desks at /v1/admin/desks. */
export const HEARTBEAT_PATH = '/v1/heartbeat';
export const HEARTBEAT_INTERVAL_MS = 5 * 60 * 1000;

const shortText = z.string().max(64);
/** Only counts, ages, states and versions: nothing about a citizen, a clerk or a dossier's content. */
export const heartbeatSchema = z.strictObject({
  appVersion: shortText,
  sentAt: z.iso.datetime(),
  queueDepth: z.int().min(0),
  parked: z.int().min(0),
  oldestUnsentAgeSeconds: z.int().min(0).nullable(),
  lastSyncAt: z.iso.datetime().nullable(),
  freeDiskBytes: z.int().min(0).nullable(),
  scanner: z.strictObject({ state: shortText, deviceCount: z.int().min(0) }),
  ocr: z.strictObject({ pagesWaiting: z.int().min(0) }),
  update: z.strictObject({ channel: shortText, installDeferredBy: shortText.nullable() }),
});
export type Heartbeat = z.infer<typeof heartbeatSchema>;

/** What the desk adds to what the engine knows (scanner, OCR, update). */
export type HeartbeatFacts = Pick<Heartbeat, 'appVersion' | 'scanner' | 'ocr' | 'update'>;

/** The engine's part of a heartbeat, read from the desk's own tables. */
export function queueFacts(store: Store, dataDir: string | null, now: Date) {
  const row = store.db
    .prepare(
      `SELECT COUNT(*) AS depth, SUM(status = 'parked') AS parked, MIN(CASE WHEN status != 'parked' THEN created_at END) AS oldest
       FROM outbox WHERE status != 'done'`,
    )
    .get() as { depth: number; parked: number | null; oldest: string | null };
  let freeDiskBytes: number | null = null;
  if (dataDir) {
    try {
      const fs = statfsSync(dataDir);
      freeDiskBytes = Number(fs.bavail) * Number(fs.bsize);
    } catch {
      freeDiskBytes = null;
    }
  }
  const oldestMs = row.oldest ? Date.parse(row.oldest) : Number.NaN;
  return {
    queueDepth: row.depth - (row.parked ?? 0),
    parked: row.parked ?? 0,
    oldestUnsentAgeSeconds: Number.isFinite(oldestMs)
      ? Math.max(0, Math.round((now.getTime() - oldestMs) / 1000))
      : null,
    freeDiskBytes,
  };
}

/**
 * Sends a heartbeat after a successful sync run, at most every `intervalMs` (the engine runs often while
 * online; a province watching hundreds of desks needs one beat every few minutes, not every run).
 */
export class HeartbeatSender {
  private lastSentAt = 0;

  constructor(
    private readonly store: Store,
    private readonly options: {
      dataDir: string | null;
      facts: () => HeartbeatFacts;
      intervalMs?: number;
    },
  ) {}

  async maybeSend(http: SyncHttp, lastSyncAt: string | null, now: Date): Promise<boolean> {
    if (now.getTime() - this.lastSentAt < (this.options.intervalMs ?? HEARTBEAT_INTERVAL_MS)) return false;
    const beat: Heartbeat = heartbeatSchema.parse({
      ...this.options.facts(),
      ...queueFacts(this.store, this.options.dataDir, now),
      sentAt: now.toISOString(),
      lastSyncAt,
    });
    const answer = await http.request('POST', HEARTBEAT_PATH, { json: beat });
    if (answer.status >= 200 && answer.status < 300) {
      this.lastSentAt = now.getTime();
      return true;
    }
    return false;
  }
}
