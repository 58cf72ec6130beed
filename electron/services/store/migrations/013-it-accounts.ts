import type { Migration } from '../migrate';

/**
 * IT accounts (issue #16): the `it` role signs in at the CLI for sync, queue, purge, key and report work without
 * reaching dossiers. SQLite cannot change a CHECK constraint, so the clerks table is rebuilt with the same rows.
 */
export const itAccountsMigration: Migration = {
  version: 13,
  name: 'it-accounts',
  up: `
    CREATE TABLE clerks_with_it (
      id TEXT PRIMARY KEY,
      name TEXT NOT NULL,
      role TEXT NOT NULL CHECK (role IN ('clerk', 'admin', 'it')),
      pin_hash TEXT NOT NULL,
      failed_attempts INTEGER NOT NULL DEFAULT 0,
      locked_until TEXT,
      created_at TEXT NOT NULL,
      disabled_at TEXT,
      next_attempt_at TEXT,
      lockouts INTEGER NOT NULL DEFAULT 0
    );
    INSERT INTO clerks_with_it (id, name, role, pin_hash, failed_attempts, locked_until, created_at, disabled_at,
                                next_attempt_at, lockouts)
      SELECT id, name, role, pin_hash, failed_attempts, locked_until, created_at, disabled_at,
             next_attempt_at, lockouts FROM clerks;
    DROP TABLE clerks;
    ALTER TABLE clerks_with_it RENAME TO clerks;
  `,
};
