import type { Migration } from '../migrate';

/**
 * Service quality (Decision 766) at the desk: the citizen's rating per dossier and step (no citizen identity),
 * the result's return (status 10) with the e-result or scanned paper result, local timeline steps (rows of
 * Mẫu 06), complaints (PAKN) that take a dossier out of 5.4, the end of a supplement pause (the clock stops
 * while the citizen completes the dossier), whether the applicant was checked against the population data
 * (4.5b), and the random lookup key printed in the receipt's QR.
 */
export const qualityMigration: Migration = {
  version: 14,
  name: 'quality',
  up: `
    -- One rating per dossier and step, bound to the dossier just handled. officer_clerk_id is the officer
    -- rated; nothing here names the citizen. synced_at: sent in the dossier's payload.
    CREATE TABLE dossier_ratings (
      dossier_id TEXT NOT NULL REFERENCES dossiers (id),
      step TEXT NOT NULL CHECK (step IN ('reception', 'result-return')),
      level TEXT NOT NULL CHECK (level IN ('very-satisfied', 'satisfied', 'dissatisfied')),
      reasons_json TEXT NOT NULL DEFAULT '[]',   -- reason codes only, never free text
      officer_clerk_id TEXT NOT NULL,
      channel TEXT NOT NULL DEFAULT 'quay',
      rated_at TEXT NOT NULL,
      PRIMARY KEY (dossier_id, step)
    );

    -- The result handed back (TrangThaiHoSo 10). kind: e-result (signed electronic original), paper-scan
    -- (the paper result, scanned), paper (nothing digital). The file lives in the blob store.
    CREATE TABLE dossier_results (
      dossier_id TEXT PRIMARY KEY REFERENCES dossiers (id),
      kind TEXT NOT NULL CHECK (kind IN ('e-result', 'paper-scan', 'paper')),
      file_name TEXT,
      mime_type TEXT,
      blob_sha256 TEXT,
      blob_ext TEXT NOT NULL DEFAULT '',
      bytes INTEGER,
      returned_at TEXT NOT NULL,                 -- ISO UTC
      returned_by TEXT NOT NULL,                 -- clerk id
      created_at TEXT NOT NULL,
      CHECK (kind = 'paper' OR blob_sha256 IS NOT NULL)
    );

    -- Steps the desk itself records (received, supplement, result returned...), beside the province's
    -- dossier_progress, to build the timeline and Mẫu 06.
    CREATE TABLE dossier_timeline_steps (
      id TEXT PRIMARY KEY,
      dossier_id TEXT NOT NULL REFERENCES dossiers (id),
      at TEXT NOT NULL,                          -- ISO UTC
      status INTEGER NOT NULL,                   -- TrangThaiHoSo the step leads to
      step TEXT NOT NULL,                        -- received | supplement-requested | supplement-fulfilled | result-returned ...
      clerk_id TEXT NOT NULL,
      due_at TEXT,                               -- the step's own deadline, when it has one
      note TEXT
    );
    CREATE INDEX dossier_timeline_steps_dossier ON dossier_timeline_steps (dossier_id, at);

    -- Complaints and petitions (PAKN) about a dossier: any of them takes the dossier out of 5.4's numerator.
    CREATE TABLE dossier_complaints (
      id TEXT PRIMARY KEY,
      dossier_id TEXT NOT NULL REFERENCES dossiers (id),
      source TEXT NOT NULL CHECK (source IN ('pakn', 'desk', 'province')),
      received_at TEXT NOT NULL,
      clerk_id TEXT NOT NULL
    );
    CREATE INDEX dossier_complaints_dossier ON dossier_complaints (dossier_id);

    ALTER TABLE supplement_requests ADD COLUMN fulfilled_at TEXT;   -- ISO UTC: the citizen brought the items
    ALTER TABLE dossiers ADD COLUMN population_checked_at TEXT;      -- identity checked against the population data
    ALTER TABLE dossiers ADD COLUMN lookup_key TEXT;                 -- random key of the receipt's QR (tracking)
    CREATE INDEX dossiers_received_at ON dossiers (received_at);
  `,
};
