import { execFile, spawn } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, describe, expect, it } from 'vitest';
import { OcrJobQueue } from '../../../electron/services/ocr/job-queue';
import { blobPageReader } from '../../../electron/services/ocr/job-runner';
import { batchSearchablePdf } from '../../../electron/services/ocr/searchable-pdf';
import type { OcrProgressEvent } from '../../../electron/services/ocr/types';
import { openStore } from '../../../electron/services/store/store';
import { corpusFile } from './corpus';

const CHILD = join(import.meta.dirname, 'fixtures/ocr-batch-child.ts');
const dataDir = mkdtempSync(join(tmpdir(), 'ocr-crash-'));
afterAll(() => rmSync(dataDir, { recursive: true, force: true }));

const BATCH = 'thanh-phan-1';
const LEASE_MS = '2000';
const FILES = [
  'd1-to-khai-khai-sinh',
  'd2-don-xac-nhan-cu-tru',
  'd3-quyet-dinh-tro-cap',
  'd4-giay-uy-quyen',
].map((doc) => corpusFile(`${doc}.hard.jpg`));

/** Starts the batch in a child process; `killAfterDone` = SIGKILL it once that many pages are done and the next began. */
function runChild(
  killAfterDone?: number,
): Promise<{ events: OcrProgressEvent[]; signal: string | null; code: number | null }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--import', 'tsx', CHILD, dataDir, BATCH, LEASE_MS, ...FILES], {
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    const events: OcrProgressEvent[] = [];
    let buffered = '';
    child.stdout.setEncoding('utf8').on('data', (chunk: string) => {
      buffered += chunk;
      const lines = buffered.split('\n');
      buffered = lines.pop() ?? '';
      for (const line of lines) {
        const parsed = JSON.parse(line) as OcrProgressEvent | { summary: unknown };
        if ('summary' in parsed) continue;
        events.push(parsed);
        const done = events.filter((e) => e.status === 'done').length;
        // Killed once the next page has started: it is then leased to this process, the case under test
        // (killing on the 'done' line alone raced the next page's lease).
        if (killAfterDone !== undefined && done >= killAfterDone && parsed.status === 'running')
          child.kill('SIGKILL');
      }
    });
    child.on('error', reject);
    child.on('exit', (code, signal) => resolve({ events, code, signal }));
  });
}

describe('durable OCR jobs', () => {
  it('survives kill -9 mid-batch: finished pages are kept, the rest is done on restart', async () => {
    const first = await runChild(1);
    expect(first.signal).toBe('SIGKILL');

    const store = openStore(dataDir);
    const queue = new OcrJobQueue(store.db);
    const afterCrash = queue.batchJobs(BATCH);
    expect(afterCrash).toHaveLength(4);
    const finished = afterCrash.filter((job) => job.status === 'done');
    expect(finished.length).toBeGreaterThanOrEqual(1);
    expect(finished.length).toBeLessThan(4);
    // The page being read at the kill is still leased to the dead process.
    expect(afterCrash.some((job) => job.status === 'running')).toBe(true);
    store.close();

    const second = await runChild();
    expect(second.code).toBe(0);
    const redone = second.events.filter((e) => e.status === 'running').map((e) => e.jobId);
    for (const job of finished) expect(redone).not.toContain(job.id);
    expect(second.events.at(-1)).toMatchObject({ finished: 4, total: 4 });

    const reopened = openStore(dataDir);
    try {
      const resumed = new OcrJobQueue(reopened.db);
      const jobs = resumed.batchJobs(BATCH);
      expect(jobs.every((job) => job.status === 'done')).toBe(true);
      for (const job of finished) {
        const now = jobs.find((j) => j.id === job.id);
        expect(now?.finishedAt).toBe(job.finishedAt);
        expect(now?.attempts).toBe(1);
        expect(now?.result?.text).toBe(job.result?.text);
      }
      const interrupted = afterCrash.find((job) => job.status === 'running');
      expect(jobs.find((job) => job.id === interrupted?.id)?.attempts).toBe(2);

      // The component's searchable PDF carries every page's words.
      const pdf = join(dataDir, 'component.pdf');
      // The pages are sealed in the store (AES-GCM): they are read through it, not by path.
      writeFileSync(pdf, await batchSearchablePdf(resumed, BATCH, blobPageReader(reopened.blobs)));
      const { stdout } = await promisify(execFile)('pdftotext', ['-raw', '-enc', 'UTF-8', pdf, '-']);
      const pages = stdout.normalize('NFC').split('\f');
      expect(pages[0]).toContain('KHAI SINH');
      expect(pages[1]).toContain('cư trú');
      expect(pages[2]).toContain('NGA SƠN');
      expect(pages[3]).toContain('ỦY QUYỀN');
    } finally {
      reopened.close();
    }
  }, 180_000);
});
