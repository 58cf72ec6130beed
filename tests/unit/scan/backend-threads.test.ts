import { Worker } from 'node:worker_threads';
import { describe, expect, it } from 'vitest';
import {
  threadIds,
  threadsAtRest,
  threadsEnded,
  threadsStartedSince,
} from '../../../native/sane/backend-threads';

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** A thread of this process doing `code`, and its thread ids (the worker's own, as /proc lists them). */
async function startThread(code: string): Promise<{ worker: Worker; ids: number[] }> {
  const before = threadIds();
  const worker = new Worker(code, { eval: true });
  await new Promise((resolve) => worker.once('online', resolve));
  await sleep(50);
  return { worker, ids: threadsStartedSince(before) };
}

describe.runIf(process.platform === 'linux')('backend threads (the libsane cancel race guard)', () => {
  it('sees a running thread as not at rest, a sleeping one as at rest, and an ended one as ended', async () => {
    const busy = await startThread('for (;;) {}');
    expect(busy.ids.length).toBeGreaterThan(0);
    expect(await threadsAtRest(busy.ids, 100)).toBe(false);
    await busy.worker.terminate();
    expect(await threadsEnded(busy.ids, 2000)).toBe(true);
    expect(await threadsAtRest(busy.ids, 0)).toBe(true);

    const idle = await startThread('setInterval(() => {}, 1000)');
    expect(await threadsAtRest(idle.ids, 1000)).toBe(true);
    expect(await threadsEnded(idle.ids, 50)).toBe(false);
    await idle.worker.terminate();
  });
});
