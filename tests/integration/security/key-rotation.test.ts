import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { rotateDataKey } from '../../../electron/services/store/key-rotation';
import { openStore } from '../../../electron/services/store/store';

const tempDir = () => join(mkdtempSync(join(tmpdir(), 'motcua-rotate-')), 'data');
const page = new TextEncoder().encode('P5\n2 2\n255\nabcd');

function seed(dataDir: string) {
  const store = openStore(dataDir, { env: {} });
  store.db.prepare("INSERT INTO settings (key, value) VALUES ('probe', 'Bùi Thị Xuân')").run();
  const blob = store.blobs.put(page, '.pgm');
  store.close();
  return blob;
}

async function expectIntact(dataDir: string, sha256: string) {
  const store = openStore(dataDir, { env: {} });
  expect(store.db.prepare("SELECT value FROM settings WHERE key = 'probe'").get()).toEqual({
    value: 'Bùi Thị Xuân',
  });
  expect(Buffer.from(await store.blobs.read(sha256, '.pgm')).equals(Buffer.from(page))).toBe(true);
  store.close();
}

describe('data key rotation', () => {
  it('replaces the key, rekeys the database and re-seals every blob', async () => {
    const dataDir = tempDir();
    const blob = seed(dataDir);
    const before = readFileSync(`${dataDir}.key`, 'utf8');
    const sealedBefore = readFileSync(blob.path);
    expect(rotateDataKey(dataDir, { env: {} })).toEqual({ resealedBlobs: 1 });
    expect(readFileSync(`${dataDir}.key`, 'utf8')).not.toBe(before);
    expect(existsSync(`${dataDir}.key.next`)).toBe(false);
    expect(readFileSync(blob.path).equals(sealedBefore)).toBe(false);
    await expectIntact(dataDir, blob.sha256);
  });

  for (const step of ['next-key-written', 'database-rekeyed', 'blobs-resealed'] as const) {
    it(`survives a kill -9 after "${step}": the next open finishes the rotation`, async () => {
      const dataDir = tempDir();
      const blob = seed(dataDir);
      const child = spawnSync(
        process.execPath,
        ['--import', 'tsx', join(import.meta.dirname, 'fixtures', 'rotate-until-killed.ts'), dataDir, step],
        { encoding: 'utf8', timeout: 60_000 },
      );
      expect(child.signal).toBe('SIGKILL');
      expect(existsSync(`${dataDir}.key.next`)).toBe(true);
      const pending = readFileSync(`${dataDir}.key.next`, 'utf8');
      await expectIntact(dataDir, blob.sha256);
      expect(existsSync(`${dataDir}.key.next`)).toBe(false);
      expect(readFileSync(`${dataDir}.key`, 'utf8')).toBe(pending);
    }, 60_000);
  }
});
