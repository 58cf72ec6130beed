/** The reference server's own storage: one SQLite file under --data, WAL, created on first start. */
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import Database from 'better-sqlite3';

export type Db = Database.Database;

const SCHEMA = `
  CREATE TABLE IF NOT EXISTS devices (
    id TEXT PRIMARY KEY,
    secret TEXT NOT NULL,            -- shared HMAC key (base64url); an HMAC scheme needs it in clear
    desk_name TEXT NOT NULL,
    agency_code TEXT NOT NULL,
    desk_slot INTEGER NOT NULL,
    enrolled_at TEXT NOT NULL,
    revoked_at TEXT
  );
  CREATE TABLE IF NOT EXISTS enrol_codes (
    code_hash TEXT PRIMARY KEY,      -- SHA-256 of the code: a leaked database does not leak usable codes
    agency_code TEXT NOT NULL,
    desk_slot INTEGER,
    created_at TEXT NOT NULL,
    used_at TEXT,
    device_id TEXT
  );
  CREATE TABLE IF NOT EXISTS nonces (
    device_id TEXT NOT NULL,
    nonce TEXT NOT NULL,
    expires_at INTEGER NOT NULL,     -- unix seconds; past it the timestamp check alone refuses a replay
    PRIMARY KEY (device_id, nonce)
  ) WITHOUT ROWID;
  CREATE INDEX IF NOT EXISTS nonces_expiry ON nonces (expires_at);
  CREATE TABLE IF NOT EXISTS dossiers (
    desk_uuid TEXT PRIMARY KEY,
    device_id TEXT NOT NULL,
    ma_ho_so TEXT NOT NULL UNIQUE,
    ma_tthc TEXT NOT NULL,
    status INTEGER NOT NULL,
    payload_json TEXT NOT NULL,
    content_sha256 TEXT NOT NULL,
    revision INTEGER NOT NULL,
    committed_at TEXT,
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL
  );
  CREATE TABLE IF NOT EXISTS dossier_files (
    desk_uuid TEXT NOT NULL REFERENCES dossiers (desk_uuid),
    file_id TEXT NOT NULL,
    position INTEGER NOT NULL,
    name TEXT NOT NULL,
    component_code TEXT NOT NULL,
    sha256 TEXT NOT NULL,
    bytes INTEGER NOT NULL,
    received_at TEXT,                -- set when an upload with exactly this SHA-256 completed
    stored_path TEXT,
    PRIMARY KEY (desk_uuid, file_id)
  );
  CREATE TABLE IF NOT EXISTS uploads (
    id TEXT PRIMARY KEY,             -- tus upload id (32 hex, made by the server)
    device_id TEXT NOT NULL,
    desk_uuid TEXT NOT NULL,
    file_id TEXT NOT NULL,
    sha256 TEXT NOT NULL,
    bytes INTEGER NOT NULL,
    state TEXT NOT NULL,             -- open | complete | rejected
    actual_sha256 TEXT,
    created_at TEXT NOT NULL,
    finished_at TEXT
  );
  CREATE TABLE IF NOT EXISTS changes (
    seq INTEGER PRIMARY KEY AUTOINCREMENT,
    device_id TEXT,                  -- NULL: every desk; else only that desk
    kind TEXT NOT NULL,
    data_json TEXT NOT NULL,
    created_at TEXT NOT NULL
  );
  CREATE TABLE IF NOT EXISTS citizen_documents (
    id TEXT PRIMARY KEY,
    id_number TEXT NOT NULL,
    ma_tthc TEXT,
    metadata_json TEXT NOT NULL,
    sha256 TEXT NOT NULL,
    bytes INTEGER NOT NULL,
    mime_type TEXT NOT NULL,
    created_at TEXT NOT NULL
  );
  CREATE INDEX IF NOT EXISTS citizen_documents_owner ON citizen_documents (id_number);
`;

export function openProvincialDb(dataDir: string): Db {
  mkdirSync(dataDir, { recursive: true });
  const db = new Database(join(dataDir, 'provincial.sqlite'));
  db.pragma('journal_mode = WAL');
  db.pragma('synchronous = FULL');
  db.pragma('foreign_keys = ON');
  db.pragma('busy_timeout = 5000');
  db.exec(SCHEMA);
  return db;
}

export interface DeviceRow {
  id: string;
  secret: string;
  desk_name: string;
  agency_code: string;
  desk_slot: number;
  enrolled_at: string;
  revoked_at: string | null;
}

export interface DossierRow {
  desk_uuid: string;
  device_id: string;
  ma_ho_so: string;
  ma_tthc: string;
  status: number;
  payload_json: string;
  content_sha256: string;
  revision: number;
  committed_at: string | null;
  created_at: string;
  updated_at: string;
}

export interface DossierFileRow {
  desk_uuid: string;
  file_id: string;
  position: number;
  name: string;
  component_code: string;
  sha256: string;
  bytes: number;
  received_at: string | null;
  stored_path: string | null;
}

export interface UploadRow {
  id: string;
  device_id: string;
  desk_uuid: string;
  file_id: string;
  sha256: string;
  bytes: number;
  state: 'open' | 'complete' | 'rejected';
  actual_sha256: string | null;
  created_at: string;
  finished_at: string | null;
}

export interface ChangeRow {
  seq: number;
  device_id: string | null;
  kind: string;
  data_json: string;
  created_at: string;
}

export interface CitizenDocumentRow {
  id: string;
  id_number: string;
  ma_tthc: string | null;
  metadata_json: string;
  sha256: string;
  bytes: number;
  mime_type: string;
  created_at: string;
}

export function getDevice(db: Db, id: string): DeviceRow | undefined {
  return db.prepare('SELECT * FROM devices WHERE id = ?').get(id) as DeviceRow | undefined;
}

export function getDossier(db: Db, deskUuid: string): DossierRow | undefined {
  return db.prepare('SELECT * FROM dossiers WHERE desk_uuid = ?').get(deskUuid) as DossierRow | undefined;
}

export function getDossierFiles(db: Db, deskUuid: string): DossierFileRow[] {
  return db
    .prepare('SELECT * FROM dossier_files WHERE desk_uuid = ? ORDER BY position')
    .all(deskUuid) as DossierFileRow[];
}

export function appendChange(
  db: Db,
  kind: string,
  data: unknown,
  deviceId: string | null,
  now: Date,
): number {
  const result = db
    .prepare('INSERT INTO changes (device_id, kind, data_json, created_at) VALUES (?, ?, ?, ?)')
    .run(deviceId, kind, JSON.stringify(data), now.toISOString());
  return Number(result.lastInsertRowid);
}
