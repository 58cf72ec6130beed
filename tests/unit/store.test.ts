import { mkdtempSync, readdirSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import BetterSqlite3 from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { format, vi } from '../../electron/api/i18n';
import { resolveDataKey } from '../../electron/services/store/data-key';
import { BlobStore, sha256Hex, writeFileAtomic } from '../../electron/services/store/files';
import { migrate, SchemaTooNewError, schemaVersion } from '../../electron/services/store/migrate';
import { migrations } from '../../electron/services/store/migrations';
import { StoreOpenError } from '../../electron/services/store/open-error';
import { DATABASE_FILE_NAME, openStore } from '../../electron/services/store/store';
import { applyDatabaseKey } from '../../electron/services/store/subkeys';

const tempDir = () => mkdtempSync(join(tmpdir(), 'motcua-store-'));

function catchError(run: () => unknown): unknown {
  try {
    run();
  } catch (error) {
    return error;
  }
  throw new Error('expected an error');
}

/** Sets the schema version with the store's own key (no migration runs), then opens the store. */
function openStoreAtVersion(dir: string, version: number) {
  const db = new BetterSqlite3(join(dir, DATABASE_FILE_NAME));
  applyDatabaseKey(db, resolveDataKey(dir).key);
  db.pragma(`user_version = ${version}`);
  db.close();
  return openStore(dir);
}

describe('store', () => {
  it('opens in WAL mode and migrates to the newest schema', () => {
    const store = openStore(tempDir());
    expect(store.db.pragma('journal_mode', { simple: true })).toBe('wal');
    expect(schemaVersion(store.db)).toBe(migrations.length);
    store.close();
  });

  it('applies migrations once: reopening changes nothing', () => {
    const dir = tempDir();
    openStore(dir).close();
    const store = openStore(dir);
    expect(migrate(store.db, migrations)).toEqual({ from: migrations.length, to: migrations.length });
    store.close();
  });

  it('refuses a database written by a newer app instead of corrupting it', () => {
    const dir = tempDir();
    // Through the store: the database file is encrypted, a bare connection cannot read it.
    const db = openStore(dir).db;
    db.pragma(`user_version = ${migrations.length + 1}`);
    db.close();
    const refused = catchError(() => openStore(dir));
    expect(refused).toBeInstanceOf(StoreOpenError);
    expect(refused).toMatchObject({ code: 'schema-too-new' });
    expect((refused as StoreOpenError).cause).toBeInstanceOf(SchemaTooNewError);
    expect((refused as StoreOpenError).clerkMessage).toBe(
      format(vi.store.openErrors['schema-too-new'], {
        found: migrations.length + 1,
        known: migrations.length,
      }),
    );
  });

  it('names a migration that fails on a real store, and leaves the data as it was', () => {
    const dir = tempDir();
    const store = openStore(dir);
    store.db.prepare("INSERT INTO settings (key, value) VALUES ('probe', 'giữ nguyên')").run();
    // As if the security migration had never run although its table is there: re-running it fails half-way.
    // (Not simply the last one: a table rebuild such as 012 re-runs cleanly.)
    const last = migrations.length;
    const failing = migrations.findIndex((m) => m.name === 'security') + 1;
    store.db.pragma(`user_version = ${failing - 1}`);
    store.close();

    const failed = catchError(() => openStore(dir));
    expect(failed).toBeInstanceOf(StoreOpenError);
    expect(failed).toMatchObject({ code: 'migration-failed', params: { version: failing } });
    expect((failed as StoreOpenError).clerkMessage).toContain(`bước ${failing} “security”`);
    expect((failed as Error).message).toMatch(/already exists/);

    // Rolled back: the version and the rows are as before; with the version put right it opens again.
    const again = openStoreAtVersion(dir, last);
    expect(again.db.prepare("SELECT value FROM settings WHERE key = 'probe'").pluck().get()).toBe(
      'giữ nguyên',
    );
    again.close();
  });

  it('rolls back a failing migration together with its version bump', () => {
    const db = new BetterSqlite3(':memory:');
    const broken = [
      { version: 1, name: 'ok', up: 'CREATE TABLE a (x)' },
      { version: 2, name: 'broken', up: 'CREATE TABLE b (y); INSERT INTO missing VALUES (1);' },
    ];
    expect(() => migrate(db, broken)).toThrow(/missing/);
    expect(schemaVersion(db)).toBe(1);
    expect(db.prepare("SELECT name FROM sqlite_master WHERE name = 'b'").get()).toBeUndefined();
  });

  it('writes files atomically, leaving no temp file behind', () => {
    const dir = tempDir();
    const path = join(dir, 'sub', 'file.txt');
    writeFileAtomic(path, 'một');
    writeFileAtomic(path, 'hai');
    expect(readFileSync(path, 'utf8')).toBe('hai');
    expect(readdirSync(join(dir, 'sub'))).toEqual(['file.txt']);
  });

  it('stores blobs by content hash', () => {
    const blobs = new BlobStore(tempDir());
    const bytes = new TextEncoder().encode('trang 1');
    const first = blobs.put(bytes, '.bin');
    expect(first.sha256).toBe(sha256Hex(bytes));
    expect(readFileSync(first.path)).toEqual(Buffer.from(bytes));
    expect(blobs.put(bytes, '.bin').path).toBe(first.path);
    expect(() => blobs.pathFor('../../etc/passwd')).toThrow();
  });
});
