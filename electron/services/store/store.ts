import { existsSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import BetterSqlite3, { type Database } from 'better-sqlite3';
import { foldVietnamese } from '../text/fold';
import { DataKeyError, type DataKeyOptions, dataKeyPresent, resolveDataKey } from './data-key';
import { DeskIdentity, inspectDataDir, markerOpensWith, reconcileIdentity } from './desk-identity';
import { BlobStore } from './files';
import { finishInterruptedRotation } from './key-rotation';
import { BLOB_DIR_NAME, DATABASE_FILE_NAME } from './layout';
import { migrate } from './migrate';
import { migrations } from './migrations';
import { StoreOpenError, toStoreOpenError } from './open-error';
import { applyDatabaseKey, blobKey, databaseKeyLiteral } from './subkeys';

export { DATABASE_FILE_NAME };

/** The desk's local storage: one SQLite database plus a content-addressed file store under the data dir. */
export interface Store {
  readonly dataDir: string;
  readonly db: Database;
  readonly blobs: BlobStore;
  /** Who this desk is; the code issuer records each number it gives out here too (store/desk-identity.ts). */
  readonly identity: DeskIdentity;
  close(): void;
}

/**
 * How the store finds its data key. Every caller may omit it: the key is resolved inside (the process-wide
 * protector the Electron main process set, else the key file next to the data dir — see store/data-key.ts).
 */
export interface OpenStoreOptions extends DataKeyOptions {
  /**
   * IT decided to start this desk over with an empty database although its data dir shows a desk ran here
   * (`motcua recover --start-fresh`, docs/SECURITY.md). Numbers already issued are still never issued again.
   */
  startFresh?: boolean;
}

function isNotADatabase(error: unknown): boolean {
  return (error as { code?: string }).code === 'SQLITE_NOTADB';
}

/**
 * Opens the database encrypted with the data key. A database written before encryption existed is encrypted
 * in place on first open (PRAGMA rekey, which needs the rollback journal; SQLite makes it atomic).
 */
function openEncryptedDatabase(path: string, dataKey: Uint8Array, dataDir: string): Database {
  const existed = existsSync(path);
  const db = new BetterSqlite3(path);
  applyDatabaseKey(db, dataKey);
  try {
    db.prepare('SELECT count(*) FROM sqlite_master').get();
    return db;
  } catch (error) {
    db.close();
    if (!existed || !isNotADatabase(error)) throw error;
  }
  const plain = new BetterSqlite3(path);
  try {
    plain.prepare('SELECT count(*) FROM sqlite_master').get();
  } catch (error) {
    plain.close();
    // The marker is sealed with the same key: when it opens, the key is right and the database is damaged.
    if (isNotADatabase(error) && markerOpensWith(dataDir, dataKey))
      throw new StoreOpenError('database-damaged', 'database header damaged (the data key is right)', {
        file: path,
      });
    if (isNotADatabase(error))
      throw new DataKeyError('key-wrong', 'the database is encrypted with another key', path);
    throw error;
  }
  try {
    plain.pragma('journal_mode = DELETE');
    plain.pragma("cipher = 'sqlcipher'");
    plain.pragma('legacy = 4');
    plain.pragma(`rekey = "${databaseKeyLiteral(dataKey)}"`);
  } finally {
    plain.close();
  }
  const db2 = new BetterSqlite3(path);
  applyDatabaseKey(db2, dataKey);
  db2.prepare('SELECT count(*) FROM sqlite_master').get();
  return db2;
}

/**
 * Opens (creating and migrating as needed) the store in `dataDir`. Throws `DataKeyError` for a key that cannot
 * be used and `StoreOpenError` (with the IT officer's Vietnamese message) for a data dir or database that
 * cannot be opened: too new, a failed migration, damaged, disk full, not writable.
 */
export function openStore(dataDir: string, options: OpenStoreOptions = {}): Store {
  try {
    return openStoreOrThrow(dataDir, options);
  } catch (error) {
    if (error instanceof DataKeyError) throw error;
    throw toStoreOpenError(error, { dataDir, databaseFile: join(dataDir, DATABASE_FILE_NAME) }) ?? error;
  }
}

function openStoreOrThrow(dataDir: string, options: OpenStoreOptions): Store {
  mkdirSync(dataDir, { recursive: true });
  const evidence = inspectDataDir(dataDir);
  const databaseFile = evidence.databaseFile;
  const keyExisted = dataKeyPresent(dataDir, options);
  // A desk ran here but its database is gone or empty: starting over would issue that day's numbers again.
  if (!evidence.database && (evidence.marker || evidence.blobs || keyExisted) && !options.startFresh)
    throw new StoreOpenError(
      'database-missing',
      `database missing or empty (marker ${evidence.marker}, blobs ${evidence.blobs}, key ${keyExisted})`,
      { file: databaseFile },
    );
  const resolved = resolveDataKey(dataDir, options);
  // A key rotation killed half-way is finished before anything reads with either key.
  const key =
    resolved.file && resolved.source === 'key-file'
      ? finishInterruptedRotation(dataDir, resolved)
      : resolved.key;
  const db = openEncryptedDatabase(databaseFile, key, dataDir);
  let identity: DeskIdentity;
  try {
    db.pragma('journal_mode = WAL');
    // FULL: a committed transaction survives a power cut, which the desk promises for every dossier.
    db.pragma('synchronous = FULL');
    db.pragma('foreign_keys = ON');
    db.pragma('busy_timeout = 5000');
    // Deleted rows (purged personal data) are overwritten, not left in free pages.
    db.pragma('secure_delete = ON');
    // Search indexes fold text in SQL triggers (migration 007): the same folding as the queries use.
    db.function('motcua_fold', { deterministic: true }, (text: unknown) =>
      foldVietnamese(String(text ?? '')),
    );
    migrate(db, migrations);
    const reconciled = reconcileIdentity(db, dataDir, key);
    if ('kind' in reconciled)
      throw new StoreOpenError('database-replaced', 'the database belongs to another desk', {
        file: databaseFile,
      });
    identity = new DeskIdentity(dataDir, key, reconciled.deskId);
  } catch (error) {
    db.close();
    throw error;
  }
  const blobs = new BlobStore(join(dataDir, BLOB_DIR_NAME), blobKey(key));
  return {
    dataDir,
    db,
    blobs,
    identity,
    close: () => {
      db.close();
      // The page writer's thread is idle by now (a scan waits for its pages) and never holds the process.
      void blobs.close();
    },
  };
}

/**
 * IT's last resort when a desk's database is lost and no backup exists: an empty database, the key and the identity
 * marker kept, so the numbers issued before are never issued again (docs/SECURITY.md). Refuses a data dir whose
 * database is still there: restoring is never done by starting over.
 */
export function startFresh(dataDir: string, options: DataKeyOptions = {}): { deskId: string } {
  if (inspectDataDir(dataDir).database)
    throw new StoreOpenError('database-present', 'start-fresh refused: the database is there');
  const store = openStore(dataDir, { ...options, startFresh: true });
  const deskId = store.identity.deskId;
  store.close();
  return { deskId };
}
