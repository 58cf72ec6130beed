import { copyFileSync, existsSync, mkdtempSync, openSync, rmSync, truncateSync, writeSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { DossierCodeIssuer } from '../../../electron/services/dossier/dossier-code-issuer';
import { dataKeyErrorMessage } from '../../../electron/services/security/key-error-message';
import { DataKeyError, defaultKeyFile } from '../../../electron/services/store/data-key';
import { MARKER_FILE_NAME } from '../../../electron/services/store/desk-identity';
import { StoreOpenError } from '../../../electron/services/store/open-error';
import { DATABASE_FILE_NAME, openStore, type Store } from '../../../electron/services/store/store';

const AGENCY = '000.17.22.H56';
// One fixed working day: the codes of one day are what a lost database would issue again.
const clock = () => new Date('2026-11-26T03:00:00Z');

function newDesk() {
  const root = mkdtempSync(join(tmpdir(), 'motcua-identity-'));
  const dataDir = join(root, 'data');
  return { dataDir, env: { MOTCUA_KEY_FILE: join(root, 'data.key') } as NodeJS.ProcessEnv };
}

function issuerFor(store: Store) {
  const issuer = new DossierCodeIssuer(store.db, {
    agencyCode: AGENCY,
    clock,
    onIssued: (c) => store.identity.recordIssued(c.agencyCode, c.day, c.sequence),
  });
  if (!issuer.ranges().some((r) => r.source === 'slot')) issuer.enrolDeskSlot(2, 10);
  return issuer;
}

function issue(store: Store, count: number): string[] {
  const issuer = issuerFor(store);
  return Array.from({ length: count }, () => issuer.issue({ clerkId: 'clerk-1' }).code);
}

function removeDatabase(dataDir: string) {
  for (const suffix of ['', '-wal', '-shm'])
    rmSync(join(dataDir, DATABASE_FILE_NAME + suffix), { force: true });
}

function openError(dataDir: string, env: NodeJS.ProcessEnv, startFresh = false): unknown {
  try {
    openStore(dataDir, { env, startFresh }).close();
  } catch (error) {
    return error;
  }
  return null;
}

const stack = /\n\s+at /;

describe('desk identity: a lost or swapped database never re-issues a code', () => {
  it('refuses to start on a deleted database, in Vietnamese, and a fresh start continues after the last code', () => {
    const { dataDir, env } = newDesk();
    const store = openStore(dataDir, { env });
    const before = issue(store, 3);
    store.close();
    expect(existsSync(join(dataDir, MARKER_FILE_NAME))).toBe(true);
    removeDatabase(dataDir);

    const refused = openError(dataDir, env);
    expect(refused).toBeInstanceOf(StoreOpenError);
    expect(refused).toMatchObject({ code: 'database-missing' });
    const message = (refused as StoreOpenError).clerkMessage;
    expect(message).toMatch(/bị mất hoặc rỗng/);
    expect(message).not.toMatch(stack);
    // Refusing created nothing: the database is still absent, so restoring a backup is a plain copy.
    expect(existsSync(join(dataDir, DATABASE_FILE_NAME))).toBe(false);

    const fresh = openStore(dataDir, { env, startFresh: true });
    const after = issue(fresh, 2);
    fresh.close();
    const sequence = (code: string) => Number(code.slice(-4));
    expect(before.map(sequence)).toEqual([2001, 2002, 2003]);
    for (const code of after) expect(before).not.toContain(code);
    expect(Math.min(...after.map(sequence))).toBeGreaterThan(2003);
  });

  it('treats a database truncated to 0 bytes as missing', () => {
    const { dataDir, env } = newDesk();
    const store = openStore(dataDir, { env });
    issue(store, 1);
    store.close();
    for (const suffix of ['-wal', '-shm'])
      rmSync(join(dataDir, DATABASE_FILE_NAME + suffix), { force: true });
    truncateSync(join(dataDir, DATABASE_FILE_NAME), 0);
    expect(openError(dataDir, env)).toMatchObject({ code: 'database-missing' });
  });

  it('continues after the newest code when an older backup is restored', () => {
    const { dataDir, env } = newDesk();
    const store = openStore(dataDir, { env });
    issue(store, 2);
    store.db.pragma('wal_checkpoint(TRUNCATE)');
    const backup = join(dataDir, '..', 'backup.db');
    copyFileSync(join(dataDir, DATABASE_FILE_NAME), backup);
    const lost = issue(store, 3);
    store.close();
    removeDatabase(dataDir);
    copyFileSync(backup, join(dataDir, DATABASE_FILE_NAME));

    const restored = openStore(dataDir, { env });
    const next = issue(restored, 1);
    restored.close();
    expect(lost).not.toContain(next[0]);
    expect(Number(next[0]?.slice(-4))).toBeGreaterThan(Number(lost.at(-1)?.slice(-4)));
  });

  it('refuses the database of another desk copied over this one', () => {
    const mine = newDesk();
    const other = newDesk();
    const key = new Uint8Array(32).fill(7);
    openStore(mine.dataDir, { key }).close();
    const theirs = openStore(other.dataDir, { key });
    theirs.db.pragma('wal_checkpoint(TRUNCATE)');
    theirs.close();
    removeDatabase(mine.dataDir);
    copyFileSync(join(other.dataDir, DATABASE_FILE_NAME), join(mine.dataDir, DATABASE_FILE_NAME));
    let error: unknown;
    try {
      openStore(mine.dataDir, { key }).close();
    } catch (e) {
      error = e;
    }
    expect(error).toMatchObject({ code: 'database-replaced' });
  });

  it('never makes a new key beside existing data, and says the key is missing', () => {
    const { dataDir, env } = newDesk();
    const store = openStore(dataDir, { env });
    issue(store, 1);
    store.close();
    const keyFile = defaultKeyFile(dataDir, env);
    rmSync(keyFile);
    const refused = openError(dataDir, env);
    expect(refused).toBeInstanceOf(DataKeyError);
    expect(refused).toMatchObject({ code: 'key-missing' });
    expect(dataKeyErrorMessage(refused as DataKeyError)).toMatch(/Không tìm thấy khóa/);
    expect(existsSync(keyFile)).toBe(false);
  });

  it('names an overwritten database header as damage, not as a wrong key', () => {
    const { dataDir, env } = newDesk();
    const store = openStore(dataDir, { env });
    issue(store, 1);
    store.db.pragma('wal_checkpoint(TRUNCATE)');
    store.close();
    const fd = openSync(join(dataDir, DATABASE_FILE_NAME), 'r+');
    writeSync(fd, Buffer.alloc(4096, 0x41), 0, 4096, 0);
    expect(openError(dataDir, env)).toMatchObject({ code: 'database-damaged' });
  });

  it('opens again once the damage is undone (the database put back)', () => {
    const { dataDir, env } = newDesk();
    const store = openStore(dataDir, { env });
    const codes = issue(store, 2);
    store.db.pragma('wal_checkpoint(TRUNCATE)');
    store.close();
    const saved = join(dataDir, '..', 'saved.db');
    copyFileSync(join(dataDir, DATABASE_FILE_NAME), saved);
    removeDatabase(dataDir);
    expect(openError(dataDir, env)).toMatchObject({ code: 'database-missing' });
    copyFileSync(saved, join(dataDir, DATABASE_FILE_NAME));
    const back = openStore(dataDir, { env });
    expect(
      issuerFor(back)
        .issued()
        .map((c) => c.code),
    ).toEqual(codes);
    // Same database as the marker knows: nothing skipped.
    expect(issue(back, 1)[0]?.slice(-4)).toBe('2003');
    back.close();
  });
});
