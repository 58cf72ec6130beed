import type { Migration } from '../migrate';

/**
 * Clerks who sign in at the desk (PIN hashed with scrypt, lockout after wrong PINs), the reception facts a dossier
 * needs beyond migration 008 (the pre-fill counts of issue #4, where a reused component came from), and the forms
 * printed for a dossier, kept as blobs so a reprint gives the very same document.
 */
export const clerksMigration: Migration = {
  version: 10,
  name: 'clerks',
  up: `
    CREATE TABLE clerks (
      id TEXT PRIMARY KEY,                  -- UUID made on the desk; the audit log names clerks by it
      name TEXT NOT NULL,
      role TEXT NOT NULL CHECK (role IN ('clerk', 'admin')),
      pin_hash TEXT NOT NULL,               -- scrypt$N$r$p$salt(base64)$hash(base64)
      failed_attempts INTEGER NOT NULL DEFAULT 0,
      locked_until TEXT,                    -- ISO UTC; sign-in refused until then
      created_at TEXT NOT NULL,
      disabled_at TEXT
    );
    ALTER TABLE dossiers ADD COLUMN prefilled_fields INTEGER NOT NULL DEFAULT 0;  -- fields the desk read (QR, OCR)
    ALTER TABLE dossiers ADD COLUMN typed_fields INTEGER NOT NULL DEFAULT 0;      -- fields the clerk typed
    ALTER TABLE dossier_components ADD COLUMN reused_json TEXT;  -- { dossierCode, title, source } when reused
    CREATE TABLE dossier_forms (
      dossier_id TEXT NOT NULL REFERENCES dossiers (id),
      form TEXT NOT NULL CHECK (form IN ('receipt', 'supplement', 'refusal')),
      blob_sha256 TEXT NOT NULL,
      template_version TEXT NOT NULL,
      created_at TEXT NOT NULL,
      PRIMARY KEY (dossier_id, form)
    );
  `,
};
