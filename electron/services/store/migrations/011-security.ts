import type { Migration } from '../migrate';

/**
 * Retention purge journal: one row per dossier whose personal data and scans were purged. The row is written in
 * the same transaction that removes the personal rows, with the list of blob files to delete; the files go after
 * the commit and `stage` turns 'done' once they are gone. A crash in between leaves stage 'files', and the next
 * run deletes the rest (deleting is idempotent), so a purge is never half-done and never done twice.
 */
export const securityMigration: Migration = {
  version: 11,
  name: 'security',
  up: `
    CREATE TABLE retention_purges (
      dossier_id TEXT PRIMARY KEY REFERENCES dossiers (id),
      stage TEXT NOT NULL CHECK (stage IN ('files', 'done')),
      blobs_json TEXT NOT NULL,           -- [{ "sha256": …, "ext": … }] candidates, deleted when unreferenced
      dossier_files INTEGER NOT NULL,     -- counts only: no personal data here
      scan_pages INTEGER NOT NULL,
      ocr_pages INTEGER NOT NULL,
      blobs_deleted INTEGER NOT NULL DEFAULT 0,
      started_at TEXT NOT NULL,
      finished_at TEXT
    );
    CREATE INDEX retention_purges_stage ON retention_purges (stage);
    ALTER TABLE dossiers ADD COLUMN purged_at TEXT;   -- ISO UTC; personal data and scans removed by retention
  `,
};
