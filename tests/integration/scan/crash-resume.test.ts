import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { scanPagePath } from '../../../electron/services/scan/page-image';
import { SaneDriver } from '../../../electron/services/scan/sane-driver';
import { ScanService } from '../../../electron/services/scan/scan-service';
import { openStore } from '../../../electron/services/store/store';
import { SaneClient } from '../../../native/sane/client';
import { fileSha256, REPO_ROOT, tempDir } from './helpers';

const client = new SaneClient();
afterAll(() => client.close());

/** Runs the child scanner and SIGKILLs it right after it reports `killAfter` recorded pages. */
function scanAndKill(dataDir: string, killAfter: number): Promise<{ reported: number; batchId: string }> {
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
    let batchId = '';
    child.stdout.on('data', (chunk: Buffer) => {
      buffered += chunk.toString();
      for (let nl = buffered.indexOf('\n'); nl >= 0; nl = buffered.indexOf('\n')) {
        const line = buffered.slice(0, nl);
        buffered = buffered.slice(nl + 1);
        const match = /^stored (\d+) (\S+)$/.exec(line);
        if (match) {
          reported = Number(match[1]);
          batchId = match[2] as string;
          if (reported === killAfter) child.kill('SIGKILL');
        }
      }
    });
    child.on('exit', (code, signal) => {
      if (signal === 'SIGKILL') resolve({ reported, batchId });
      else reject(new Error(`child ended without being killed (code ${code}): ${stderr}`));
    });
  });
}

describe('durability of a scan batch', () => {
  it('loses nothing on kill -9 mid-batch, and resumes into the same batch', async () => {
    const dataDir = tempDir();
    const { reported, batchId } = await scanAndKill(dataDir, 3);
    expect(reported).toBe(3);

    const store = openStore(dataDir);
    try {
      const service = new ScanService(store, new SaneDriver(client));
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
        expect(fileSha256(path)).toBe(page.sha256);
      }

      const resumed = await service.resumeBatch(batchId);
      expect(resumed.endedBy).toBe('completed');
      // The test feeder is refilled when the device is reopened: 10 more sheets.
      expect(resumed.pagesThisRun).toBe(10);
      const after = service.pages(batchId);
      expect(after.map((p) => p.seq)).toEqual(Array.from({ length: before.length + 10 }, (_, i) => i + 1));
      expect(after.slice(0, before.length)).toEqual(before);
      for (const page of after) expect(fileSha256(scanPagePath(store.blobs, page))).toBe(page.sha256);
      expect(service.batch(batchId)?.status).toBe('done');
      expect(service.pendingBatches()).toEqual([]);
    } finally {
      store.close();
    }
  });
});
