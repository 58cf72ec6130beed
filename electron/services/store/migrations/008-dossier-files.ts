import type { Migration } from '../migrate';

/**
 * What a dossier is made of: the applicant, the reception facts, the procedure's components with their status,
 * and the files (component PDFs, reused documents) that reception attaches and sync uploads. The sync payload
 * (TaiLieuNop[]) is built from dossier_files; a file's bytes live in the blob store under blob_sha256.
 */
export const dossierFilesMigration: Migration = {
  version: 8,
  name: 'dossier-files',
  up: `
    ALTER TABLE dossiers ADD COLUMN applicant_id_number TEXT;   -- SoGiayToChuHoSo (12-digit CCCD or 9-digit CMND)
    ALTER TABLE dossiers ADD COLUMN applicant_json TEXT;        -- date of birth, sex, address, phone… as JSON
    ALTER TABLE dossiers ADD COLUMN received_at TEXT;           -- ISO UTC, set when the dossier is received
    ALTER TABLE dossiers ADD COLUMN due_at TEXT;                -- ISO UTC, the appointment (NgayHenTra)
    ALTER TABLE dossiers ADD COLUMN clerk_id TEXT;              -- who received it
    CREATE INDEX dossiers_applicant_id ON dossiers (applicant_id_number);

    -- The procedure's official list of components, copied into the dossier when reception starts.
    CREATE TABLE dossier_components (
      dossier_id TEXT NOT NULL REFERENCES dossiers (id),
      component_code TEXT NOT NULL,          -- MaThanhPhanHoSo
      name TEXT NOT NULL,                    -- TenThanhPhanHoSo
      required INTEGER NOT NULL CHECK (required IN (0, 1)),
      position INTEGER NOT NULL,
      status TEXT NOT NULL DEFAULT 'missing' CHECK (status IN ('missing', 'scanned', 'reused')),
      PRIMARY KEY (dossier_id, component_code)
    );

    -- Files of a dossier. id is TepDinhKemId (a desk UUID); the blob's SHA-256 is also the protocol's Sha256.
    CREATE TABLE dossier_files (
      id TEXT PRIMARY KEY,
      dossier_id TEXT NOT NULL REFERENCES dossiers (id),
      component_code TEXT NOT NULL,
      file_name TEXT NOT NULL,
      mime_type TEXT NOT NULL,
      blob_sha256 TEXT NOT NULL,
      blob_ext TEXT NOT NULL DEFAULT '',
      bytes INTEGER NOT NULL CHECK (bytes >= 0),
      page_count INTEGER,
      source TEXT NOT NULL CHECK (source IN ('scan', 'reused-desk', 'reused-province')),
      source_batch_id TEXT,                  -- the scan batch the pages came from
      reused_file_id TEXT,                   -- the desk file reused (source reused-desk)
      store_document_id TEXT,                -- MaTaiLieuKho (source reused-province)
      created_at TEXT NOT NULL
    );
    CREATE INDEX dossier_files_dossier ON dossier_files (dossier_id, component_code);
  `,
};
