import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { OcrJobQueue } from '../../../electron/services/ocr/job-queue';
import type { OcrPageResult } from '../../../electron/services/ocr/types';
import { openStore, type Store } from '../../../electron/services/store/store';

const sha = (n: number) => n.toString(16).padStart(64, '0');
const result: OcrPageResult = {
  text: 'Độc lập',
  confidence: 91,
  words: [{ text: 'Độc', confidence: 91, bbox: { x0: 1, y0: 2, x1: 30, y1: 20 } }],
  width: 100,
  height: 50,
  dpi: 300,
  ms: 12,
};

describe('OcrJobQueue (real SQLite)', () => {
  let dir: string;
  let store: Store;
  let now: number;
  let queue: OcrJobQueue;

  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'ocr-queue-'));
    store = openStore(dir);
    now = 1_000_000;
    queue = new OcrJobQueue(store.db, { leaseMs: 1000, maxAttempts: 2, now: () => now });
  });
  afterEach(() => {
    store.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('queues a batch idempotently and hands pages out in order', () => {
    queue.enqueueBatch('b1', [
      { path: '/p0', sha256: sha(1) },
      { path: '/p1', sha256: sha(2) },
    ]);
    const again = queue.enqueueBatch('b1', [
      { path: '/p0', sha256: sha(1) },
      { path: '/p1', sha256: sha(2) },
    ]);
    expect(again.map((j) => j.pageIndex)).toEqual([0, 1]);
    expect(queue.claim()?.pageIndex).toBe(0);
    expect(queue.claim()?.pageIndex).toBe(1);
    expect(queue.claim()).toBeNull();
    expect(queue.batchProgress('b1')).toMatchObject({ total: 2, running: 2 });
    expect(() => queue.enqueueBatch('b2', [{ path: '/x', sha256: 'nope' }])).toThrow(/sha256/);
  });

  it('keeps a finished page finished and stores its words', () => {
    queue.enqueueBatch('b1', [{ path: '/p0', sha256: sha(1) }]);
    const job = queue.claim();
    if (!job) throw new Error('no job');
    expect(queue.complete(job, result)).toBe(true);
    now += 10_000;
    expect(queue.claim()).toBeNull();
    const [stored] = queue.batchJobs('b1');
    expect(stored?.status).toBe('done');
    expect(stored?.result?.words[0]).toEqual(result.words[0]);
    expect(stored?.attempts).toBe(1);
  });

  it('makes a dead owner’s page claimable after its lease and ignores the late answer', () => {
    queue.enqueueBatch('b1', [{ path: '/p0', sha256: sha(1) }]);
    const first = queue.claim();
    if (!first) throw new Error('no job');
    now += 500;
    expect(queue.claim()).toBeNull(); // lease still held
    expect(queue.renew(first)).toBe(true);
    now += 1500;
    const second = queue.claim();
    expect(second?.attempts).toBe(2);
    // The first owner comes back late: its result and renewals no longer count.
    expect(queue.complete(first, result)).toBe(false);
    expect(queue.renew(first)).toBe(false);
    if (!second) throw new Error('no job');
    expect(queue.complete(second, result)).toBe(true);
  });

  it('gives up after the attempts run out, with a visible reason', () => {
    queue.enqueueBatch('b1', [
      { path: '/p0', sha256: sha(1) },
      { path: '/p1', sha256: sha(2) },
    ]);
    // Page 0: crashes twice (lease lapses each time), then is failed instead of claimed a third time.
    queue.claim();
    now += 2000;
    const retry = queue.claim();
    expect(retry?.pageIndex).toBe(0);
    now += 2000;
    const next = queue.claim();
    expect(next?.pageIndex).toBe(1);
    const [page0] = queue.batchJobs('b1');
    expect(page0?.status).toBe('failed');
    expect(page0?.lastError).toMatch(/gave up after 2 attempts/);
    // Page 1: a retryable failure goes back to pending once, then fails for good.
    if (!next) throw new Error('no job');
    expect(queue.fail(next, { code: 'timeout', detail: 'slow', retryable: true })).toBe('pending');
    const last = queue.claim();
    if (!last) throw new Error('no job');
    expect(queue.fail(last, { code: 'timeout', detail: 'slow', retryable: true })).toBe('failed');
    expect(queue.batchProgress('b1')).toMatchObject({ failed: 2, done: 0 });
    expect(queue.retryFailed('b1')).toBe(2);
    expect(queue.claim()?.attempts).toBe(1);
  });

  it('fails a non-retryable page at once', () => {
    queue.enqueueBatch('b1', [{ path: '/p0', sha256: sha(1) }]);
    const job = queue.claim();
    if (!job) throw new Error('no job');
    expect(queue.fail(job, { code: 'page-missing', detail: 'ENOENT', retryable: false })).toBe('failed');
    expect(queue.batchJobs('b1')[0]?.errorCode).toBe('page-missing');
  });
});
