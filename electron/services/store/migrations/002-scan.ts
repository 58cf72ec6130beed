import type { Migration } from '../migrate';

/** Scan profiles per scanner model, and scan batches whose pages are durable files recorded one by one. */
export const scanMigration: Migration = {
  version: 2,
  name: 'scan',
  up: `
    -- Settings a desk keeps per scanner model. Matched by vendor + model (normalised), not by the device id,
    -- which changes when a USB scanner is replugged or a network scanner gets a new address.
    CREATE TABLE scan_profiles (
      id INTEGER PRIMARY KEY AUTOINCREMENT,
      vendor_key TEXT NOT NULL,           -- lower case, single spaces
      model_key TEXT NOT NULL,
      vendor TEXT NOT NULL,               -- as the driver reported it, for display
      model TEXT NOT NULL,
      name TEXT NOT NULL,
      settings_json TEXT NOT NULL,        -- ScanSettings
      is_default INTEGER NOT NULL DEFAULT 0,
      last_device_id TEXT,
      created_at TEXT NOT NULL,
      updated_at TEXT NOT NULL,
      UNIQUE (vendor_key, model_key, name)
    );

    -- One run of the feeder (or of several runs, when resumed). Status: scanning (also: the process died
    -- mid-batch) | interrupted (device error or cancel; pages kept) | done | discarded.
    CREATE TABLE scan_batches (
      id TEXT PRIMARY KEY,                -- UUID made on the desk
      dossier_id TEXT REFERENCES dossiers (id),
      driver TEXT NOT NULL,
      device_id TEXT NOT NULL,
      device_vendor TEXT NOT NULL,
      device_model TEXT NOT NULL,
      settings_json TEXT NOT NULL,        -- effective ScanSettings (resolution as the device applied it)
      status TEXT NOT NULL DEFAULT 'scanning',
      last_error TEXT,                    -- ScanErrorCode of the last interruption
      created_at TEXT NOT NULL,
      updated_at TEXT NOT NULL
    );
    CREATE INDEX scan_batches_status ON scan_batches (status, created_at);

    -- A row is written only after its file is durable (fsync'd and renamed) in the blob store.
    CREATE TABLE scan_pages (
      batch_id TEXT NOT NULL REFERENCES scan_batches (id),
      seq INTEGER NOT NULL,               -- 1-based order in the batch
      sha256 TEXT NOT NULL,
      file_ext TEXT NOT NULL,             -- .pgm | .ppm | .pbm (lossless, as captured)
      bytes INTEGER NOT NULL,
      width INTEGER NOT NULL,
      height INTEGER NOT NULL,
      channels INTEGER NOT NULL,
      depth INTEGER NOT NULL,
      dpi REAL NOT NULL,
      capture_ms REAL,
      captured_at TEXT NOT NULL,
      PRIMARY KEY (batch_id, seq)
    );
  `,
};
