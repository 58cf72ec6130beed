import type { Migration } from '../migrate';

/**
 * Durable OCR work queue: one row per page. A page is claimed with a lease (renewed while it runs), so a
 * crashed process leaves a row that becomes claimable again when its lease runs out; a finished page keeps
 * its result and is never redone. Results live on the row (words as JSON) because they are always read
 * together, per page or per batch.
 */
export const ocrMigration: Migration = {
  version: 3,
  name: 'ocr',
  up: `
    CREATE TABLE ocr_jobs (
      id INTEGER PRIMARY KEY AUTOINCREMENT,   -- order of work
      batch_id TEXT NOT NULL,                 -- the pages OCR'd together, e.g. one dossier component
      page_index INTEGER NOT NULL,            -- position of the page in its batch (0-based)
      page_sha256 TEXT NOT NULL,              -- content hash of the page image; checked before OCR
      page_path TEXT NOT NULL,                -- where the image file is (usually the blob store)
      page_dpi INTEGER,                       -- resolution it was scanned at, for files that do not carry it (PNM)
      status TEXT NOT NULL DEFAULT 'pending', -- pending | running | done | failed
      attempts INTEGER NOT NULL DEFAULT 0,    -- claims so far, including one cut short by a crash
      lease_until INTEGER,                    -- ms since epoch; a running row past this is claimable again
      last_error TEXT,                        -- English detail of the last failure (no personal data)
      error_code TEXT,                        -- key of the clerk's message in i18n ocr.errors
      text TEXT,
      confidence REAL,                        -- mean word confidence 0..100
      words_json TEXT,                        -- [{ text, confidence, bbox: { x0, y0, x1, y1 } }] in page pixels
      width INTEGER,
      height INTEGER,
      dpi INTEGER,
      ms INTEGER,                             -- time of the successful attempt
      created_at TEXT NOT NULL,
      updated_at TEXT NOT NULL,
      finished_at TEXT,
      UNIQUE (batch_id, page_index)
    );
    CREATE INDEX ocr_jobs_status ON ocr_jobs (status, id);
  `,
};
