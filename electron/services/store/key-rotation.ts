import { randomBytes } from 'node:crypto';
import { existsSync, readFileSync, renameSync } from 'node:fs';
import { join } from 'node:path';
import BetterSqlite3 from 'better-sqlite3';
import {
  DATA_KEY_BYTES,
  DataKeyError,
  type DataKeyOptions,
  defaultKeyFile,
  type ResolvedDataKey,
  resolveDataKey,
  WRAPPED_KEY_FILE_NAME,
  writeKeyFile,
} from './data-key';
import { resealMarker } from './desk-identity';
import { BlobStore } from './files';
import { applyDatabaseKey, blobKey, databaseKeyLiteral } from './subkeys';

// Same names as store.ts uses; kept here so the store can call in without an import cycle.
const DATABASE_FILE = 'motcua.db';
const BLOB_DIR = 'files';

export type RotationStep = 'next-key-written' | 'database-rekeyed' | 'blobs-resealed' | 'key-file-replaced';

export interface RotationOptions extends Pick<DataKeyOptions, 'keyFile' | 'env'> {
  /** Test hook: called after each durable step (a test kills the process there). */
  afterStep?: (step: RotationStep) => void;
}

const nextFileOf = (keyFile: string) => `${keyFile}.next`;

function readNextKey(file: string): Buffer {
  const match = /^motcua-data-key v1 ([0-9a-f]{64})\s*$/.exec(readFileSync(file, 'utf8'));
  if (!match)
    throw new DataKeyError('key-file-invalid', 'the pending rotation key is not a MotCua data key', file);
  return Buffer.from(match[1] as string, 'hex');
}

function opensWith(path: string, key: Uint8Array): boolean {
  const db = new BetterSqlite3(path);
  try {
    applyDatabaseKey(db, key);
    db.prepare('SELECT count(*) FROM sqlite_master').get();
    return true;
  } catch {
    return false;
  } finally {
    db.close();
  }
}

/**
 * The idempotent body of a rotation, safe to re-run after a crash at any point: (1) the database is rekeyed
 * unless it already opens with the new key (SQLite's rekey is one atomic transaction), (2) every blob is
 * re-sealed unless already under the new key (one atomic rename per file), (3) the pending key file replaces
 * the old one (an atomic rename). Until (3) both keys are on disk, so nothing is ever unreadable.
 */
function completeRotation(
  dataDir: string,
  oldKey: Uint8Array,
  newKey: Uint8Array,
  keyFile: string,
  afterStep?: (step: RotationStep) => void,
): number {
  const dbPath = join(dataDir, DATABASE_FILE);
  if (existsSync(dbPath) && !opensWith(dbPath, newKey)) {
    const db = new BetterSqlite3(dbPath);
    try {
      applyDatabaseKey(db, oldKey);
      // Rekey rewrites every page through the rollback journal: leave WAL first (this checkpoints it).
      db.pragma('journal_mode = DELETE');
      db.pragma(`rekey = "${databaseKeyLiteral(newKey)}"`);
      db.pragma('journal_mode = WAL');
    } finally {
      db.close();
    }
  }
  afterStep?.('database-rekeyed');
  const root = join(dataDir, BLOB_DIR);
  const resealed = new BlobStore(root, blobKey(oldKey)).resealAll(new BlobStore(root, blobKey(newKey)));
  // The desk's identity marker is sealed with the data key too (store/desk-identity.ts).
  resealMarker(dataDir, oldKey, newKey);
  afterStep?.('blobs-resealed');
  renameSync(nextFileOf(keyFile), keyFile);
  afterStep?.('key-file-replaced');
  return resealed;
}

/** Called by `openStore` in key-file mode: finishes a rotation a crash interrupted and returns the key in force. */
export function finishInterruptedRotation(dataDir: string, resolved: ResolvedDataKey): Buffer {
  if (!resolved.file || !existsSync(nextFileOf(resolved.file))) return resolved.key;
  const next = readNextKey(nextFileOf(resolved.file));
  completeRotation(dataDir, resolved.key, next, resolved.file);
  return next;
}

/**
 * `motcua key rotate`: a new data key for a headless/CLI desk (key-file mode), the database rekeyed and every blob
 * re-sealed. Run it with the desk closed. A desk protected by safeStorage rotates from the app (see SECURITY.md).
 */
export function rotateDataKey(dataDir: string, options: RotationOptions = {}): { resealedBlobs: number } {
  if (existsSync(join(dataDir, WRAPPED_KEY_FILE_NAME)))
    throw new DataKeyError(
      'key-unwrap-failed',
      'this desk keeps its key with the OS (safeStorage): rotate from the app',
    );
  const keyFile = options.keyFile ?? defaultKeyFile(dataDir, options.env);
  const current = resolveDataKey(dataDir, { keyFile, env: options.env ?? {} });
  const pending = nextFileOf(keyFile);
  const oldKey = finishInterruptedRotation(dataDir, current);
  writeKeyFile(pending, randomBytes(DATA_KEY_BYTES));
  options.afterStep?.('next-key-written');
  return {
    resealedBlobs: completeRotation(dataDir, oldKey, readNextKey(pending), keyFile, options.afterStep),
  };
}
