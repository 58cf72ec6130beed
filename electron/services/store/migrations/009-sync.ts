import type { Migration } from '../migrate';

/**
 * What the sync engine keeps: the device credentials from enrolment, the change-feed cursor and run state,
 * per-outbox-row progress (so a kill -9 resumes at the step it was on), per-file upload progress (the tus URL,
 * so at most the unfinished chunk is resent), the province's status of each dossier with its progress entries,
 * and which feed entries were applied (at-least-once delivery, applied once).
 */
export const syncMigration: Migration = {
  version: 9,
  name: 'sync',
  up: `
    ALTER TABLE dossiers ADD COLUMN province_status INTEGER;        -- TrangThaiHoSo as the province last said
    ALTER TABLE dossiers ADD COLUMN province_confirmed_at TEXT;     -- ISO UTC, server answered committed: true
    ALTER TABLE dossiers ADD COLUMN province_finished_at TEXT;      -- NgayKetThucXuLy (national format)

    ALTER TABLE outbox ADD COLUMN content_sha256 TEXT;              -- payload content last sent (PUT)
    ALTER TABLE outbox ADD COLUMN stage TEXT;                       -- null | put | uploaded | committed
    ALTER TABLE outbox ADD COLUMN parked_code TEXT;                 -- why a person must look (status 'parked')

    -- One row: the enrolled device. The secret never leaves this table (the database is encrypted at rest).
    CREATE TABLE sync_credentials (
      id INTEGER PRIMARY KEY CHECK (id = 1),
      server_url TEXT NOT NULL,
      device_id TEXT NOT NULL,
      secret TEXT NOT NULL,
      agency_code TEXT NOT NULL,          -- MaCoQuan (DonViTiepNhan)
      desk_slot INTEGER NOT NULL,
      desk_name TEXT NOT NULL,
      enrolled_at TEXT NOT NULL,
      revoked_at TEXT                     -- set when the server answered device-revoked / bad credentials
    );

    -- Small key/value state: feed cursor, last success, last error (JSON), engine lease.
    CREATE TABLE sync_state (
      key TEXT PRIMARY KEY,
      value TEXT NOT NULL
    );

    -- tus upload of one dossier file: its URL on the server and how far it got.
    CREATE TABLE sync_uploads (
      file_id TEXT PRIMARY KEY,           -- dossier_files.id (TepDinhKemId)
      dossier_id TEXT NOT NULL,
      sha256 TEXT NOT NULL,
      bytes INTEGER NOT NULL,
      upload_url TEXT,                    -- absolute; null until created
      offset_sent INTEGER NOT NULL DEFAULT 0,  -- highest offset ever sent (for the resent-bytes count)
      received_at TEXT,                   -- the server confirmed the file (upload complete or already held)
      updated_at TEXT NOT NULL
    );
    CREATE INDEX sync_uploads_dossier ON sync_uploads (dossier_id);

    -- Processing progress entries (TienTrinh) from the province, keyed by content: re-delivery adds nothing.
    CREATE TABLE dossier_progress (
      dossier_id TEXT NOT NULL,
      ma_ho_so TEXT NOT NULL,
      at TEXT NOT NULL,                   -- ThoiDiemXuLy (national format)
      status INTEGER NOT NULL,            -- TrangThai
      handler TEXT NOT NULL,              -- NguoiXuLy
      title TEXT,                         -- ChucDanh
      department TEXT,                    -- PhongBanXuLy
      content TEXT NOT NULL,              -- NoiDungXuLy
      received_at TEXT NOT NULL,
      UNIQUE (dossier_id, at, status, handler, content)
    );
    CREATE INDEX dossier_progress_dossier ON dossier_progress (dossier_id, at);

    -- Feed entries already applied (by seq), with what happened; cleared when the server says cursor-ahead.
    CREATE TABLE sync_applied_changes (
      seq TEXT PRIMARY KEY,
      kind TEXT NOT NULL,
      outcome TEXT NOT NULL,              -- applied | ignored | rejected
      detail TEXT,                        -- English, no personal data
      applied_at TEXT NOT NULL
    );
  `,
};
