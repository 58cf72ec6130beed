import { spawn } from 'node:child_process';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { scanPagePath } from '../../../electron/services/scan/page-image';
import { SaneDriver } from '../../../electron/services/scan/sane-driver';
import { ScanService } from '../../../electron/services/scan/scan-service';
import { parseScanTempName } from '../../../electron/services/scan/temp-files';
import { isSealed } from '../../../electron/services/store/blob-cipher';
import { openStore } from '../../../electron/services/store/store';
import { SaneClient } from '../../../native/sane/client';
import { SCAN_TEMP_SUFFIX } from '../../../native/sane/protocol';
import { REPO_ROOT, storedPageSha256, tempDir } from './helpers';

const client = new SaneClient();
const scanTemps = (dir: string) => readdirSync(dir).filter((name) => name.endsWith(SCAN_TEMP_SUFFIX));
afterAll(() => client.close());

/**
 * Runs the child scanner and SIGKILLs it once it reported `killAfter` recorded pages and a later page started
 * arriving: the kill lands mid-page (a page takes ~200 ms on the slowed device).
 */
function scanAndKill(
  dataDir: string,
  killAfter: number,
): Promise<{ reported: number; batchId: string; pid: number }> {
  const child = spawn(
    process.execPath,
    ['--import', 'tsx', join(import.meta.dirname, 'fixtures', 'scan-until-killed.ts'), dataDir],
    {
      cwd: REPO_ROOT,
      env: process.env,
      stdio: ['ignore', 'pipe', 'pipe'],
    },
  );
  let stderr = '';
  child.stderr.on('data', (chunk) => {
    stderr += chunk;
  });
  return new Promise((resolve, reject) => {
    let buffered = '';
    let reported = 0;
    let reading = 0;
    let batchId = '';
    child.stdout.on('data', (chunk: Buffer) => {
      buffered += chunk.toString();
      for (let nl = buffered.indexOf('\n'); nl >= 0; nl = buffered.indexOf('\n')) {
        const line = buffered.slice(0, nl);
        buffered = buffered.slice(nl + 1);
        const stored = /^stored (\d+) (\S+)$/.exec(line);
        if (stored) {
          reported = Number(stored[1]);
          batchId = stored[2] as string;
        }
        const started = /^reading (\d+)$/.exec(line);
        if (started) reading = Number(started[1]);
        if (reported >= killAfter && reading > reported && !child.killed) child.kill('SIGKILL');
      }
    });
    child.on('exit', (code, signal) => {
      if (signal === 'SIGKILL') resolve({ reported, batchId, pid: child.pid as number });
      else reject(new Error(`child ended without being killed (code ${code}): ${stderr}`));
    });
  });
}

describe('durability of a scan batch', () => {
  it('loses nothing on kill -9 mid-page, leaves no clear page on disk, and resumes into the same batch', async () => {
    const dataDir = tempDir();
    const { reported, batchId, pid } = await scanAndKill(dataDir, 3);
    expect(reported).toBe(3);

    const store = openStore(dataDir);
    try {
      // The page in flight died in memory; a page caught while being written left a temp file in the blob
      // root, named after the killed process and batch, holding ciphertext only: no clear page on disk.
      const stranded = scanTemps(store.blobs.root);
      for (const name of stranded) {
        expect(parseScanTempName(name)).toEqual({ pid, batchId });
        expect(isSealed(readFileSync(join(store.blobs.root, name)))).toBe(true);
      }

      const service = new ScanService(store, new SaneDriver(client));
      expect(await service.swept).toEqual({ removed: stranded.length, kept: 0 });
      expect(scanTemps(store.blobs.root)).toEqual([]);
      const [pending] = service.pendingBatches();
      // The batch never reached its end: still 'scanning' in the database, offered for resuming.
      expect(pending).toMatchObject({ id: batchId, status: 'scanning' });
      const before = service.pages(batchId);
      // Every reported page is there (one more may have been recorded before the kill landed).
      expect(before.length).toBeGreaterThanOrEqual(3);
      expect(before.length).toBeLessThanOrEqual(4);
      for (const page of before) {
        const path = scanPagePath(store.blobs, page);
        expect(existsSync(path)).toBe(true);
        expect(await storedPageSha256(store.blobs, page)).toBe(page.sha256);
      }

      const resumed = await service.resumeBatch(batchId);
      expect(resumed.endedBy).toBe('completed');
      // The test feeder is refilled when the device is reopened: 10 more sheets.
      expect(resumed.pagesThisRun).toBe(10);
      const after = service.pages(batchId);
      expect(after.map((p) => p.seq)).toEqual(Array.from({ length: before.length + 10 }, (_, i) => i + 1));
      expect(after.slice(0, before.length)).toEqual(before);
      for (const page of after) expect(await storedPageSha256(store.blobs, page)).toBe(page.sha256);
      expect(service.batch(batchId)?.status).toBe('done');
      expect(service.pendingBatches()).toEqual([]);
      // Nothing of the resumed run is left behind either.
      expect(scanTemps(store.blobs.root)).toEqual([]);
    } finally {
      store.close();
    }
  });
});
