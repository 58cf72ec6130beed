import { randomUUID } from 'node:crypto';
import { closeSync, existsSync, openSync, readdirSync, readFileSync, readSync, statSync } from 'node:fs';
import { join } from 'node:path';
import type { Database } from 'better-sqlite3';
import { BlobIntegrityError, openBlob, sealBlob } from './blob-cipher';
import { writeFileAtomic } from './files';
import { BLOB_DIR_NAME, DATABASE_FILE_NAME, MARKER_FILE_NAME } from './layout';
import { markerKey } from './subkeys';

export { MARKER_FILE_NAME };

/**
 * Who this desk is and how far it has issued dossier numbers, kept in two places: the `desk_identity` table and a
 * small marker in the data dir sealed with the data key. A lost, emptied or swapped database is then noticed
 * instead of silently starting over (which re-issued `…-0001` of a day already sent to the province), and a
 * desk that must start fresh continues after the last number it ever issued.
 */
/** The marker's additional data: a sealed blob moved into its place does not open. */
const MARKER_AAD = 'motcua-desk-identity-v1';
/** Days of code high-water kept: only today and later can be issued again, a week covers a wrong clock. */
const KEPT_DAYS = 14;

export interface DeskMarker {
  v: 1;
  deskId: string;
  createdAt: string;
  /** `<agency>|<YYMMDD>` → highest sequence this desk issued that day. No personal data. */
  codes: Record<string, number>;
}

/** What the data dir holds before anything is opened: the traces a desk that ran here leaves. */
export interface DataDirEvidence {
  databaseFile: string;
  /** The database file exists and has bytes. */
  database: boolean;
  marker: boolean;
  /** At least one stored page, PDF or other blob under `files/`. */
  blobs: boolean;
  /** The database is a clear SQLite file: written before encryption existed, so no key was ever made for it. */
  clearDatabase: boolean;
}

const SQLITE_HEADER = Buffer.from('SQLite format 3\0', 'latin1');

function isClearSqlite(file: string): boolean {
  const head = Buffer.alloc(SQLITE_HEADER.length);
  const fd = openSync(file, 'r');
  try {
    readSync(fd, head, 0, head.length, 0);
  } finally {
    closeSync(fd);
  }
  return head.equals(SQLITE_HEADER);
}

export function inspectDataDir(dataDir: string): DataDirEvidence {
  const databaseFile = join(dataDir, DATABASE_FILE_NAME);
  const database = existsSync(databaseFile) && statSync(databaseFile).size > 0;
  return {
    databaseFile,
    database,
    clearDatabase: database && isClearSqlite(databaseFile),
    marker: existsSync(join(dataDir, MARKER_FILE_NAME)),
    blobs: hasBlobFiles(join(dataDir, BLOB_DIR_NAME)),
  };
}

/** Blobs live in `files/<2 hex>/<sha256><ext>`; temp files (`.x.tmp`) are not evidence of a desk. */
function hasBlobFiles(root: string): boolean {
  if (!existsSync(root)) return false;
  for (const shard of readdirSync(root)) {
    if (!/^[0-9a-f]{2}$/.test(shard)) continue;
    try {
      if (readdirSync(join(root, shard)).some((name) => /^[0-9a-f]{64}/.test(name))) return true;
    } catch {
      // Not a directory: not a blob shard.
    }
  }
  return false;
}

export function readMarker(dataDir: string, dataKey: Uint8Array): DeskMarker {
  const sealed = readFileSync(join(dataDir, MARKER_FILE_NAME));
  const plain = openBlob(markerKey(dataKey), MARKER_AAD, sealed);
  const marker = JSON.parse(plain.toString('utf8')) as DeskMarker;
  if (marker.v !== 1 || typeof marker.deskId !== 'string') throw new BlobIntegrityError('bad marker', '');
  return marker;
}

/** True when the marker opens with this key: the key is the desk's own (a database that fails is damaged). */
export function markerOpensWith(dataDir: string, dataKey: Uint8Array): boolean {
  try {
    readMarker(dataDir, dataKey);
    return true;
  } catch {
    return false;
  }
}

function writeMarker(dataDir: string, dataKey: Uint8Array, marker: DeskMarker): void {
  const days = Object.keys(marker.codes)
    .map((k) => k.split('|')[1] ?? '')
    .sort()
    .reverse();
  const keep = new Set(days.slice(0, KEPT_DAYS));
  const codes = Object.fromEntries(
    Object.entries(marker.codes).filter(([k]) => keep.has(k.split('|')[1] ?? '')),
  );
  const json = Buffer.from(JSON.stringify({ ...marker, codes }), 'utf8');
  writeFileAtomic(join(dataDir, MARKER_FILE_NAME), sealBlob(markerKey(dataKey), MARKER_AAD, json));
}

/** The highest sequence issued per agency and day in the database, for the days the marker keeps. */
function databaseHighWater(db: Database): Record<string, number> {
  const rows = db
    .prepare(
      `SELECT agency_code AS agency, day, MAX(seq) AS seq FROM dossier_codes
       GROUP BY agency_code, day ORDER BY day DESC LIMIT 200`,
    )
    .all() as { agency: string; day: string; seq: number }[];
  return Object.fromEntries(rows.map((r) => [`${r.agency}|${r.day}`, r.seq]));
}

export type IdentityMismatch = { kind: 'replaced'; markerDesk: string; databaseDesk: string };

export interface ReconcileResult {
  deskId: string;
  /** Days whose numbers the database had lost and that now continue after the marker's last number. */
  raisedFloors: number;
}

/**
 * Makes the database and the marker agree, after migrations ran. A database newer than the marker moves the
 * marker on (a kill between a code's commit and the marker write); a marker ahead of the database (a restored
 * backup, a fresh start) raises the database's floor so those numbers are never issued again. A database that
 * belongs to another desk is refused: returns the mismatch.
 */
export function reconcileIdentity(
  db: Database,
  dataDir: string,
  dataKey: Uint8Array,
  clock: () => Date = () => new Date(),
): ReconcileResult | IdentityMismatch {
  const marker = existsSync(join(dataDir, MARKER_FILE_NAME)) ? readMarker(dataDir, dataKey) : null;
  const row = db.prepare('SELECT desk_id AS deskId FROM desk_identity WHERE id = 1').get() as
    | { deskId: string }
    | undefined;
  if (marker && row && row.deskId !== marker.deskId)
    return { kind: 'replaced', markerDesk: marker.deskId, databaseDesk: row.deskId };
  const deskId = row?.deskId ?? marker?.deskId ?? randomUUID();
  const createdAt = marker?.createdAt ?? clock().toISOString();
  if (!row)
    db.prepare('INSERT INTO desk_identity (id, desk_id, created_at) VALUES (1, ?, ?)').run(deskId, createdAt);

  const inDatabase = databaseHighWater(db);
  const floors = db
    .prepare('SELECT agency_code AS agency, day, floor_seq AS seq FROM dossier_code_floors')
    .all() as {
    agency: string;
    day: string;
    seq: number;
  }[];
  for (const f of floors) {
    const key = `${f.agency}|${f.day}`;
    inDatabase[key] = Math.max(inDatabase[key] ?? 0, f.seq);
  }
  let raisedFloors = 0;
  const raise = db.prepare(
    `INSERT INTO dossier_code_floors (agency_code, day, floor_seq, reason, set_at) VALUES (?, ?, ?, ?, ?)
     ON CONFLICT (agency_code, day) DO UPDATE SET floor_seq = MAX(floor_seq, excluded.floor_seq)`,
  );
  const codes: Record<string, number> = { ...inDatabase };
  db.transaction(() => {
    for (const [key, seq] of Object.entries(marker?.codes ?? {})) {
      if ((inDatabase[key] ?? 0) >= seq) continue;
      const [agency, day] = key.split('|') as [string, string];
      // +1: the marker is written just after a code commits, so one more number may have been issued.
      raise.run(agency, day, seq + 1, 'marker-ahead-of-database', clock().toISOString());
      codes[key] = seq + 1;
      raisedFloors++;
    }
  })();
  const next: DeskMarker = { v: 1, deskId, createdAt, codes };
  if (!marker || JSON.stringify(marker.codes) !== JSON.stringify(codes)) writeMarker(dataDir, dataKey, next);
  return { deskId, raisedFloors };
}

/**
 * Key rotation: the marker sealed again under the new key. Idempotent (a rotation resumed after a crash finds it
 * under the new key already); no marker, nothing to do.
 */
export function resealMarker(dataDir: string, oldKey: Uint8Array, newKey: Uint8Array): void {
  if (!existsSync(join(dataDir, MARKER_FILE_NAME)) || markerOpensWith(dataDir, newKey)) return;
  writeMarker(dataDir, newKey, readMarker(dataDir, oldKey));
}

/** Records a just-committed code in the marker; called by the code issuer after each issue. */
export class DeskIdentity {
  constructor(
    private readonly dataDir: string,
    private readonly dataKey: Uint8Array,
    readonly deskId: string,
  ) {}

  recordIssued(agencyCode: string, day: string, sequence: number): void {
    const marker = readMarker(this.dataDir, this.dataKey);
    const key = `${agencyCode}|${day}`;
    if ((marker.codes[key] ?? 0) >= sequence) return;
    marker.codes[key] = sequence;
    writeMarker(this.dataDir, this.dataKey, marker);
  }
}
