/** The engine's rows (migration 009): credentials, key/value state, outbox progress, upload progress. */
import type { Database } from 'better-sqlite3';
import { markDossierConfirmed } from '../dossier/dossier-rows';

export interface StoredCredentials {
  serverUrl: string;
  deviceId: string;
  secret: string;
  agencyCode: string;
  deskSlot: number;
  deskName: string;
  enrolledAt: string;
  revokedAt: string | null;
}

export interface OutboxItem {
  id: number;
  dossierId: string;
  stage: string | null;
  contentSha256: string | null;
  attempts: number;
}

export interface UploadRow {
  file_id: string;
  dossier_id: string;
  sha256: string;
  bytes: number;
  upload_url: string | null;
  offset_sent: number;
  received_at: string | null;
}

export const STATE_KEYS = {
  cursor: 'cursor',
  lastSuccessAt: 'last_success_at',
  lastError: 'last_error',
  lease: 'lease',
} as const;

export class SyncDb {
  constructor(
    private readonly db: Database,
    /** MOTCUA_PROVINCIAL_URL: the address every reader of the credentials uses instead of the enrolled one. */
    private readonly serverUrlOverride: string | null = null,
  ) {}

  get database(): Database {
    return this.db;
  }

  credentials(): StoredCredentials | null {
    const row = this.db.prepare('SELECT * FROM sync_credentials WHERE id = 1').get() as
      | Record<string, string | number | null>
      | undefined;
    if (!row) return null;
    return {
      serverUrl: this.serverUrlOverride ?? String(row.server_url),
      deviceId: String(row.device_id),
      secret: String(row.secret),
      agencyCode: String(row.agency_code),
      deskSlot: Number(row.desk_slot),
      deskName: String(row.desk_name),
      enrolledAt: String(row.enrolled_at),
      revokedAt: row.revoked_at === null ? null : String(row.revoked_at),
    };
  }

  /** A new enrolment replaces the old device and starts the change feed over. */
  saveCredentials(c: Omit<StoredCredentials, 'revokedAt'>): void {
    this.db.transaction(() => {
      this.db
        .prepare(
          `INSERT INTO sync_credentials (id, server_url, device_id, secret, agency_code, desk_slot, desk_name, enrolled_at, revoked_at)
           VALUES (1, ?, ?, ?, ?, ?, ?, ?, NULL)
           ON CONFLICT (id) DO UPDATE SET server_url = excluded.server_url, device_id = excluded.device_id,
             secret = excluded.secret, agency_code = excluded.agency_code, desk_slot = excluded.desk_slot,
             desk_name = excluded.desk_name, enrolled_at = excluded.enrolled_at, revoked_at = NULL`,
        )
        .run(c.serverUrl, c.deviceId, c.secret, c.agencyCode, c.deskSlot, c.deskName, c.enrolledAt);
      this.db
        .prepare('DELETE FROM sync_state WHERE key IN (?, ?)')
        .run(STATE_KEYS.cursor, STATE_KEYS.lastError);
      this.db.prepare('DELETE FROM sync_applied_changes').run();
      // Uploads made by the old device belong to it on the server.
      this.db
        .prepare('UPDATE sync_uploads SET upload_url = NULL, offset_sent = 0 WHERE received_at IS NULL')
        .run();
    })();
  }

  markRevoked(at: string): void {
    this.db.prepare('UPDATE sync_credentials SET revoked_at = COALESCE(revoked_at, ?) WHERE id = 1').run(at);
  }

  get(key: string): string | null {
    const row = this.db.prepare('SELECT value FROM sync_state WHERE key = ?').get(key) as
      | { value: string }
      | undefined;
    return row?.value ?? null;
  }

  set(key: string, value: string | null): void {
    if (value === null) this.db.prepare('DELETE FROM sync_state WHERE key = ?').run(key);
    else
      this.db
        .prepare(
          'INSERT INTO sync_state (key, value) VALUES (?, ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value',
        )
        .run(key, value);
  }

  /** Outbox rows still to send, in sending order (parked and done rows are not). */
  pendingOutbox(): OutboxItem[] {
    return (
      this.db
        .prepare(
          `SELECT id, dossier_id, stage, content_sha256, attempts FROM outbox
           WHERE kind = 'dossier' AND status IN ('pending', 'in-flight') ORDER BY id`,
        )
        .all() as {
        id: number;
        dossier_id: string;
        stage: string | null;
        content_sha256: string | null;
        attempts: number;
      }[]
    ).map((r) => ({
      id: r.id,
      dossierId: r.dossier_id,
      stage: r.stage,
      contentSha256: r.content_sha256,
      attempts: r.attempts,
    }));
  }

  maxOutboxId(): number {
    const row = this.db.prepare('SELECT COALESCE(MAX(id), 0) AS id FROM outbox').get() as { id: number };
    return row.id;
  }

  setStage(id: number, stage: string, contentSha256: string, now: string): void {
    this.db
      .prepare(
        `UPDATE outbox SET status = 'in-flight', stage = ?, content_sha256 = ?, updated_at = ? WHERE id = ?`,
      )
      .run(stage, contentSha256, now, id);
  }

  recordFailure(id: number, detail: string, now: string): void {
    this.db
      .prepare('UPDATE outbox SET attempts = attempts + 1, last_error = ?, updated_at = ? WHERE id = ?')
      .run(detail, now, id);
  }

  park(id: number, code: string, clerkMessage: string, now: string): void {
    this.db
      .prepare(
        `UPDATE outbox SET status = 'parked', parked_code = ?, last_error = ?, attempts = attempts + 1, updated_at = ? WHERE id = ?`,
      )
      .run(code, clerkMessage, now, id);
  }

  /** The server answered committed: true — the outbox row is done and the dossier confirmed, together. */
  markCommitted(item: OutboxItem, provinceStatus: number, confirmedAt: string, now: string): void {
    this.db.transaction(() => {
      this.db
        .prepare(
          `UPDATE outbox SET status = 'done', stage = 'committed', last_error = NULL, lease_until = NULL, updated_at = ? WHERE id = ?`,
        )
        .run(now, item.id);
      // The last success is the last dossier the server confirmed: recorded with it, in one fsync.
      this.set(STATE_KEYS.lastSuccessAt, now);
      markDossierConfirmed(this.db, item.dossierId, { confirmedAt, provinceStatus, at: now });
    })();
  }

  upload(fileId: string): UploadRow | null {
    return (
      (this.db.prepare('SELECT * FROM sync_uploads WHERE file_id = ?').get(fileId) as
        | UploadRow
        | undefined) ?? null
    );
  }

  /** Creates or refreshes the file's upload row; a changed SHA-256 forgets the old upload. */
  ensureUpload(fileId: string, dossierId: string, sha256: string, bytes: number, now: string): UploadRow {
    const existing = this.upload(fileId);
    if (existing && existing.sha256 === sha256 && existing.bytes === bytes) return existing;
    this.db
      .prepare(
        `INSERT INTO sync_uploads (file_id, dossier_id, sha256, bytes, upload_url, offset_sent, received_at, updated_at)
         VALUES (?, ?, ?, ?, NULL, 0, NULL, ?)
         ON CONFLICT (file_id) DO UPDATE SET sha256 = excluded.sha256, bytes = excluded.bytes, upload_url = NULL,
           offset_sent = 0, received_at = NULL, updated_at = excluded.updated_at`,
      )
      .run(fileId, dossierId, sha256, bytes, now);
    return this.upload(fileId) as UploadRow;
  }

  setUploadUrl(fileId: string, url: string | null, now: string): void {
    this.db
      .prepare('UPDATE sync_uploads SET upload_url = ?, updated_at = ? WHERE file_id = ?')
      .run(url, now, fileId);
  }

  setOffsetSent(fileId: string, offset: number, now: string): void {
    this.db
      .prepare('UPDATE sync_uploads SET offset_sent = MAX(offset_sent, ?), updated_at = ? WHERE file_id = ?')
      .run(offset, now, fileId);
  }

  markReceived(fileId: string, now: string): void {
    this.db
      .prepare(
        'UPDATE sync_uploads SET received_at = COALESCE(received_at, ?), updated_at = ? WHERE file_id = ?',
      )
      .run(now, now, fileId);
  }

  /** The server says it lacks the file after all (files-missing): upload it again from the start. */
  forgetReceived(fileId: string, now: string): void {
    this.db
      .prepare(
        'UPDATE sync_uploads SET received_at = NULL, upload_url = NULL, updated_at = ? WHERE file_id = ?',
      )
      .run(now, fileId);
  }

  counts(): { pending: number; parked: number; bytesPending: number } {
    const row = this.db
      .prepare(
        `SELECT COALESCE(SUM(status IN ('pending', 'in-flight')), 0) AS pending, COALESCE(SUM(status = 'parked'), 0) AS parked
         FROM outbox WHERE kind = 'dossier'`,
      )
      .get() as { pending: number; parked: number };
    // Bytes still to upload: files of queued dossiers that the server has not confirmed (reused ones never go).
    const bytes = this.db
      .prepare(
        `SELECT COALESCE(SUM(f.bytes - COALESCE(u.offset_sent, 0)), 0) AS bytes
         FROM dossier_files f
         LEFT JOIN sync_uploads u ON u.file_id = f.id AND u.sha256 = f.blob_sha256
         WHERE f.store_document_id IS NULL AND (u.received_at IS NULL)
           AND f.dossier_id IN (SELECT dossier_id FROM outbox WHERE kind = 'dossier' AND status IN ('pending', 'in-flight'))`,
      )
      .get() as { bytes: number };
    return { pending: row.pending, parked: row.parked, bytesPending: Math.max(0, bytes.bytes) };
  }
}
