import type { Migration } from '../migrate';

/**
 * Reliability. The desk's identity (one row; its twin is the sealed marker file in the data dir, see
 * store/desk-identity.ts) and per-day floors of the dossier numbers: numbers at or below a floor were (or may have
 * been) issued by this desk in a database that was lost or restored from an older backup, so the issuer continues
 * above them. Sign-in backoff: each attempt is reserved before the PIN is hashed, the next one waits
 * `next_attempt_at`, and each repeated lockout lasts longer (`lockouts`).
 */
export const reliabilityMigration: Migration = {
  version: 12,
  name: 'reliability',
  up: `
    CREATE TABLE desk_identity (
      id INTEGER PRIMARY KEY CHECK (id = 1),
      desk_id TEXT NOT NULL,
      created_at TEXT NOT NULL
    );
    CREATE TABLE dossier_code_floors (
      agency_code TEXT NOT NULL,
      day TEXT NOT NULL,                  -- YYMMDD, Vietnam's calendar
      floor_seq INTEGER NOT NULL,         -- the issuer never gives out this number or a lower one that day
      reason TEXT NOT NULL,
      set_at TEXT NOT NULL,
      PRIMARY KEY (agency_code, day)
    );
    ALTER TABLE clerks ADD COLUMN next_attempt_at TEXT;                 -- ISO UTC; no PIN is checked before then
    ALTER TABLE clerks ADD COLUMN lockouts INTEGER NOT NULL DEFAULT 0;  -- lockouts since the last good PIN
  `,
};
