import type { Migration } from '../migrate';

export const coreMigration: Migration = {
  version: 1,
  name: 'core',
  up: `
    CREATE TABLE dossiers (
      id TEXT PRIMARY KEY,                -- UUID made on the desk
      code TEXT UNIQUE,                   -- mã hồ sơ, issued at reception (null while draft)
      procedure_code TEXT,                -- mã TTHC, e.g. 1.001193
      procedure_name TEXT NOT NULL,
      applicant_name TEXT NOT NULL,
      status TEXT NOT NULL DEFAULT 'draft',
      created_at TEXT NOT NULL,
      updated_at TEXT NOT NULL
    );
    CREATE INDEX dossiers_created_at ON dossiers (created_at DESC);

    -- Outbox: a dossier to send becomes a row here in the same transaction that records it.
    CREATE TABLE outbox (
      id INTEGER PRIMARY KEY AUTOINCREMENT, -- order of sending
      dossier_id TEXT NOT NULL REFERENCES dossiers (id),
      kind TEXT NOT NULL,                    -- what to send, e.g. 'dossier'
      status TEXT NOT NULL DEFAULT 'pending', -- pending | in-flight | done | failed
      attempts INTEGER NOT NULL DEFAULT 0,
      lease_until TEXT,
      last_error TEXT,
      created_at TEXT NOT NULL,
      updated_at TEXT NOT NULL
    );
    CREATE INDEX outbox_status ON outbox (status, id);

    CREATE TABLE settings (
      key TEXT PRIMARY KEY,
      value TEXT NOT NULL
    );
  `,
};
