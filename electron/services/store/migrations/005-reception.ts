import type { Migration } from '../migrate';

/**
 * Reception building blocks: the procedure catalog (versioned by effective date), the dossier-code ranges and
 * every code issued from them, the hash-chained audit log, and the supplement requests sent per dossier.
 */
export const receptionMigration: Migration = {
  version: 5,
  name: 'reception',
  up: `
    -- One row per version of a procedure (thủ tục hành chính); a version applies from effective_from until the
    -- next version's effective_from (or effective_to, inclusive, when the procedure is abolished).
    CREATE TABLE catalog_procedures (
      code TEXT NOT NULL,                 -- mã TTHC, e.g. 1.001193
      effective_from TEXT NOT NULL,       -- YYYY-MM-DD, Vietnam calendar day
      effective_to TEXT,                  -- YYYY-MM-DD inclusive, or null
      version TEXT NOT NULL,              -- the feed's own version label
      name TEXT NOT NULL,
      search_text TEXT NOT NULL,          -- folded code + name, for diacritic-insensitive search
      body TEXT NOT NULL,                 -- the validated version as JSON
      sha256 TEXT NOT NULL,               -- of body: a resent identical version changes nothing
      source TEXT NOT NULL,               -- 'sample' (bundled) or the feed's source
      imported_at TEXT NOT NULL,
      PRIMARY KEY (code, effective_from)
    );

    -- Parts of an agency's daily sequence this desk may issue from. day NULL = every day (the desk slot given
    -- at enrolment); a YYMMDD day = a range granted through sync for that day only.
    CREATE TABLE dossier_code_ranges (
      id INTEGER PRIMARY KEY AUTOINCREMENT,
      agency_code TEXT NOT NULL,
      day TEXT,
      first_seq INTEGER NOT NULL CHECK (first_seq >= 1),
      last_seq INTEGER NOT NULL CHECK (last_seq >= first_seq),
      source TEXT NOT NULL,               -- 'slot' | 'grant'
      grant_id TEXT UNIQUE,               -- id of the sync grant; a grant delivered twice is stored once
      created_at TEXT NOT NULL
    );
    CREATE INDEX dossier_code_ranges_agency ON dossier_code_ranges (agency_code, day);

    -- Every code ever issued. Rows are never deleted, so a sequence number is never issued twice; a code that
    -- is not used is voided with a reason.
    CREATE TABLE dossier_codes (
      code TEXT PRIMARY KEY,
      agency_code TEXT NOT NULL,
      day TEXT NOT NULL,                  -- YYMMDD, Vietnam calendar day
      seq INTEGER NOT NULL,
      range_id INTEGER NOT NULL REFERENCES dossier_code_ranges (id),
      dossier_id TEXT,                    -- the dossier the code was issued for
      clerk_id TEXT NOT NULL,
      issued_at TEXT NOT NULL,
      status TEXT NOT NULL DEFAULT 'issued' CHECK (status IN ('issued', 'voided')),
      void_reason TEXT,
      voided_by TEXT,
      voided_at TEXT,
      UNIQUE (agency_code, day, seq),
      CHECK (status = 'issued' OR length(trim(void_reason)) > 0)
    );

    -- Append-only, hash-chained: hash = SHA-256(prev_hash + canonical JSON of the entry). seq has no gaps.
    CREATE TABLE audit_log (
      seq INTEGER PRIMARY KEY,
      id TEXT NOT NULL UNIQUE,
      at TEXT NOT NULL,
      clerk_id TEXT NOT NULL,
      action TEXT NOT NULL,
      objects TEXT NOT NULL,              -- JSON object of ids (no personal data)
      details TEXT NOT NULL,              -- JSON object of non-personal facts (counts, codes)
      prev_hash TEXT NOT NULL,
      hash TEXT NOT NULL
    );

    -- Supplement requests (Phiếu yêu cầu bổ sung) per dossier: under Decision 766 a second one counts as overdue.
    CREATE TABLE supplement_requests (
      id TEXT PRIMARY KEY,
      dossier_code TEXT NOT NULL,
      ordinal INTEGER NOT NULL,           -- 1 for the first request of the dossier, 2 for the second …
      procedure_code TEXT NOT NULL,
      items TEXT NOT NULL,                -- JSON [{ componentCode, originals, copies }]
      clerk_id TEXT NOT NULL,
      requested_at TEXT NOT NULL,
      UNIQUE (dossier_code, ordinal)
    );
  `,
};
