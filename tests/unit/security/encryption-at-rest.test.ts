import {
  chmodSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  statSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import BetterSqlite3 from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { BlobIntegrityError } from '../../../electron/services/store/blob-cipher';
import {
  DataKeyError,
  defaultKeyFile,
  type KeyProtector,
  resolveDataKey,
  WRAPPED_KEY_FILE_NAME,
} from '../../../electron/services/store/data-key';
import { BlobStore, sha256Hex } from '../../../electron/services/store/files';
import { openStore } from '../../../electron/services/store/store';

const tempDir = () => join(mkdtempSync(join(tmpdir(), 'motcua-sec-')), 'data');
const NAME = 'Nguyễn Thị Ánh Tuyết';
const ID = '001198012345';

/** A protector that really transforms the bytes (XOR with a pad), standing in for safeStorage's OS wrapping. */
const xorProtector = (pad: number): KeyProtector => ({
  kind: 'test-xor',
  protect: (b) => Uint8Array.from(b, (x) => x ^ pad),
  unprotect: (b) => Uint8Array.from(b, (x) => x ^ pad),
});

function containsClear(file: string): boolean {
  const bytes = readFileSync(file);
  return [NAME, NAME.normalize('NFD'), ID].some((s) => bytes.includes(Buffer.from(s, 'utf8')));
}

describe('data key', () => {
  it('creates a 0600 key file next to (not inside) the data dir and reads the same key back', () => {
    const dataDir = tempDir();
    const first = resolveDataKey(dataDir, { env: {} });
    expect(first).toMatchObject({ source: 'key-file', created: true, file: `${dataDir}.key` });
    expect(statSync(`${dataDir}.key`).mode & 0o777).toBe(0o600);
    const again = resolveDataKey(dataDir, { env: {} });
    expect(again.created).toBe(false);
    expect(again.key.equals(first.key)).toBe(true);
    expect(defaultKeyFile(dataDir, { MOTCUA_KEY_FILE: '/srv/motcua/key' })).toBe('/srv/motcua/key');
  });

  it('refuses a key file readable by group or others, and a file that is not a key', () => {
    const dataDir = tempDir();
    resolveDataKey(dataDir, { env: {} });
    chmodSync(`${dataDir}.key`, 0o640);
    expect(() => resolveDataKey(dataDir, { env: {} })).toThrow(
      expect.objectContaining({ name: 'DataKeyError', code: 'key-file-exposed' }),
    );
    writeFileSync(`${dataDir}.key`, 'hello', { mode: 0o600 });
    chmodSync(`${dataDir}.key`, 0o600);
    expect(() => resolveDataKey(dataDir, { env: {} })).toThrow(
      expect.objectContaining({ code: 'key-file-invalid' }),
    );
  });

  it('wraps the key with the protector inside the data dir, adopting an earlier key file', () => {
    const dataDir = tempDir();
    const fromFile = resolveDataKey(dataDir, { env: {} }).key;
    const wrapped = resolveDataKey(dataDir, { env: {}, protector: xorProtector(0x5a) });
    expect(wrapped.key.equals(fromFile)).toBe(true);
    expect(existsSync(`${dataDir}.key`)).toBe(false);
    const onDisk = readFileSync(join(dataDir, WRAPPED_KEY_FILE_NAME));
    expect(onDisk.equals(fromFile)).toBe(false);
    expect(resolveDataKey(dataDir, { protector: xorProtector(0x5a) }).key.equals(fromFile)).toBe(true);
    const broken: KeyProtector = {
      kind: 'x',
      protect: (b) => b,
      unprotect: () => {
        throw new Error('locked');
      },
    };
    expect(() => resolveDataKey(dataDir, { protector: broken })).toThrow(DataKeyError);
  });
});

describe('encrypted store', () => {
  it('keeps names and ID numbers out of the database and WAL files, and a bare connection cannot read it', () => {
    const dataDir = tempDir();
    const store = openStore(dataDir, { env: {} });
    store.db
      .prepare(
        `INSERT INTO dossiers (id, procedure_name, applicant_name, applicant_id_number, status, created_at, updated_at)
         VALUES ('d1', 'Đăng ký khai sinh', ?, ?, 'draft', 'now', 'now')`,
      )
      .run(NAME, ID);
    for (const suffix of ['', '-wal']) {
      const file = join(dataDir, `motcua.db${suffix}`);
      if (existsSync(file)) expect(containsClear(file)).toBe(false);
    }
    store.close();
    const bare = new BetterSqlite3(join(dataDir, 'motcua.db'));
    expect(() => bare.prepare('SELECT * FROM dossiers').all()).toThrow(/not a database/);
    bare.close();
    const reopened = openStore(dataDir, { env: {} });
    expect(reopened.db.prepare('SELECT applicant_name FROM dossiers').get()).toEqual({
      applicant_name: NAME,
    });
    reopened.close();
    // Another key cannot open it, and says so.
    writeFileSync(`${dataDir}.key`, `motcua-data-key v1 ${'7'.repeat(64)}\n`, { mode: 0o600 });
    expect(() => openStore(dataDir, { env: {} })).toThrow(expect.objectContaining({ code: 'key-wrong' }));
  });

  it('encrypts a database written before encryption in place on first open, keeping its rows', () => {
    // An old, clear database: WAL mode, a table with personal data.
    const legacyDir = tempDir();
    mkdirSync(legacyDir, { recursive: true });
    const legacy = new BetterSqlite3(join(legacyDir, 'motcua.db'));
    legacy.pragma('journal_mode = WAL');
    legacy.exec(`CREATE TABLE legacy_note (text TEXT); INSERT INTO legacy_note VALUES ('${NAME} ${ID}')`);
    legacy.close();
    expect(containsClear(join(legacyDir, 'motcua.db'))).toBe(true);
    const store = openStore(legacyDir, { env: {} });
    expect(store.db.prepare('SELECT text FROM legacy_note').get()).toEqual({ text: `${NAME} ${ID}` });
    expect(store.db.pragma('journal_mode', { simple: true })).toBe('wal');
    store.close();
    expect(containsClear(join(legacyDir, 'motcua.db'))).toBe(false);
  });
});

describe('sealed blobs', () => {
  const key = Buffer.alloc(32, 7);
  const page = Buffer.concat([Buffer.from('P5\n2 2\n255\n'), Buffer.from(ID)]);

  it('stores ciphertext under the plaintext hash and reads the plaintext back', async () => {
    const blobs = new BlobStore(tempDir(), key);
    const stored = blobs.put(page, '.pgm');
    expect(stored.sha256).toBe(sha256Hex(page));
    const onDisk = readFileSync(stored.path);
    expect(onDisk.subarray(0, 2).toString()).not.toBe('P5');
    expect(onDisk.includes(Buffer.from(ID))).toBe(false);
    expect(Buffer.from(await blobs.read(stored.sha256, '.pgm')).equals(page)).toBe(true);
    expect(blobs.census()).toEqual({ sealed: 1, clear: 0 });
  });

  it('seals and opens page-sized blobs off the main thread (putAsync/read) with the same format as put/readSync', async () => {
    const blobs = new BlobStore(tempDir(), key);
    const big = Buffer.alloc(3 * 1024 * 1024 + 17);
    for (let i = 0; i < big.length; i += 4096) big.write(ID, i);
    const stored = await blobs.putAsync(big, '.pgm');
    expect(stored.sha256).toBe(sha256Hex(big));
    expect(readFileSync(stored.path).includes(Buffer.from(ID))).toBe(false);
    expect(Buffer.from(await blobs.read(stored.sha256, '.pgm')).equals(big)).toBe(true);
    expect(Buffer.from(blobs.readSync(stored.sha256, '.pgm')).equals(big)).toBe(true);
  });

  it('detects a tampered file, a file under the wrong name and the wrong key', async () => {
    const dir = tempDir();
    const blobs = new BlobStore(dir, key);
    const stored = blobs.put(page, '.pgm');
    await expect(new BlobStore(dir, Buffer.alloc(32, 8)).read(stored.sha256, '.pgm')).rejects.toThrow(
      BlobIntegrityError,
    );
    const bytes = readFileSync(stored.path);
    bytes.writeUInt8(bytes.readUInt8(bytes.length - 20) ^ 1, bytes.length - 20);
    writeFileSync(stored.path, bytes);
    await expect(blobs.read(stored.sha256, '.pgm')).rejects.toThrow(/authentication/);
    expect(() => blobs.pathFor(stored.sha256, '/../../etc')).toThrow(/extension/);
  });

  it('reads clear legacy blobs, seals them in place, adopts temp files and re-seals under a new key', async () => {
    const dir = tempDir();
    const clear = new BlobStore(dir).put(page, '.pgm');
    const blobs = new BlobStore(dir, key);
    expect(Buffer.from(await blobs.read(clear.sha256, '.pgm')).equals(page)).toBe(true);
    expect(blobs.census()).toEqual({ sealed: 0, clear: 1 });
    expect(blobs.sealClearBlobs()).toEqual({ sealed: 1, skipped: 0 });
    expect(readFileSync(clear.path).includes(Buffer.from(ID))).toBe(false);

    const temp = join(dir, 'scan.tmp');
    writeFileSync(temp, Buffer.from('%PDF-1.7 adopted'));
    const adopted = await blobs.adoptFile(temp, '.pdf', sha256Hex(Buffer.from('%PDF-1.7 adopted')));
    expect(existsSync(temp)).toBe(false);
    expect(Buffer.from(blobs.readSync(adopted.sha256, '.pdf')).toString()).toBe('%PDF-1.7 adopted');

    const next = new BlobStore(dir, Buffer.alloc(32, 9));
    expect(blobs.resealAll(next)).toBe(2);
    expect(blobs.resealAll(next)).toBe(0); // resumed rotation: already under the new key
    expect(Buffer.from(await next.read(clear.sha256, '.pgm')).equals(page)).toBe(true);
  });
});
