import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import BetterSqlite3, { type Database } from 'better-sqlite3';
import { foldVietnamese } from '../text/fold';
import { BlobStore } from './files';
import { migrate } from './migrate';
import { migrations } from './migrations';

export const DATABASE_FILE_NAME = 'motcua.db';

/** The desk's local storage: one SQLite database plus a content-addressed file store under the data dir. */
export interface Store {
  readonly dataDir: string;
  readonly db: Database;
  readonly blobs: BlobStore;
  close(): void;
}

export function openStore(dataDir: string): Store {
  mkdirSync(dataDir, { recursive: true });
  const db = new BetterSqlite3(join(dataDir, DATABASE_FILE_NAME));
  try {
    db.pragma('journal_mode = WAL');
    // FULL: a committed transaction survives a power cut, which the desk promises for every dossier.
    db.pragma('synchronous = FULL');
    db.pragma('foreign_keys = ON');
    db.pragma('busy_timeout = 5000');
    // Search indexes fold text in SQL triggers (migration 007): the same folding as the queries use.
    db.function('motcua_fold', { deterministic: true }, (text: unknown) =>
      foldVietnamese(String(text ?? '')),
    );
    migrate(db, migrations);
  } catch (error) {
    db.close();
    throw error;
  }
  return {
    dataDir,
    db,
    blobs: new BlobStore(join(dataDir, 'files')),
    close: () => db.close(),
  };
}
