import { mkdtempSync, readdirSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import BetterSqlite3 from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { BlobStore, sha256Hex, writeFileAtomic } from '../../electron/services/store/files';
import { migrate, SchemaTooNewError, schemaVersion } from '../../electron/services/store/migrate';
import { migrations } from '../../electron/services/store/migrations';
import { openStore } from '../../electron/services/store/store';

const tempDir = () => mkdtempSync(join(tmpdir(), 'motcua-store-'));

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
    expect(() => openStore(dir)).toThrow(SchemaTooNewError);
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
