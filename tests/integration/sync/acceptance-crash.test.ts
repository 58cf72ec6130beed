/**
 * Crash safety of sync (issue #6): the real `motcua sync` process is killed with SIGKILL at seeded random
 * moments while it drains a queue of dossiers with multi-page PDFs over a slow link, and started again, many
 * times; then a final drain. Every dossier must be on the reference server exactly once with every file's
 * bytes intact, and the desk must say nothing is pending.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openStore } from '../../../electron/services/store/store';
import { createItAccount } from '../../support/cli-accounts';
import {
  arrivalProblems,
  issueEnrolCode,
  lastJson,
  outboxRows,
  payloadBytes,
  type QueuedDossier,
  queueDossiers,
  runMotcua,
  type SyncTestServer,
  seededRandom,
  serverDossiers,
  serverRequests,
  spawnMotcua,
  startSyncServer,
} from '../../support/sync-fixtures';
import { startThrottleProxy, type ThrottleProxy } from '../../support/throttle-proxy';

const ITERATIONS = Number(process.env.SYNC_CRASH_ITERATIONS ?? 30);
const SEED = Number(process.env.SYNC_CRASH_SEED ?? 6);
const DOSSIERS = Number(process.env.SYNC_CRASH_DOSSIERS ?? 20);
/** Slow enough that the queue outlasts most of the kills (≈ 4 MB at 96 KB/s ≈ 45 s of sending). */
const LINK_BYTES_PER_SECOND = Number(process.env.SYNC_CRASH_RATE ?? 96 * 1024);
/** Share of runs killed during start-up (opening the store, migrations); the rest are killed mid-work. */
const STARTUP_KILL_SHARE = 0.2;
/** Mid-work kills land this long at most after the run's first request to the server. */
const WORK_KILL_WINDOW_MS = 1500;

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe('sync survives kill -9 at any moment', () => {
  let server: SyncTestServer;
  let proxy: ThrottleProxy;
  let dataDir: string;
  let queued: QueuedDossier[];
  let startupMs = 2000;
  let account: Awaited<ReturnType<typeof createItAccount>>;
  const asIt = (args: string[], options: { timeoutMs?: number } = {}) =>
    runMotcua([...args, ...account.args], dataDir, { ...options, env: account.env });

  beforeAll(async () => {
    server = await startSyncServer();
    proxy = await startThrottleProxy({ targetPort: server.port, bytesPerSecond: LINK_BYTES_PER_SECOND });
    dataDir = mkdtempSync(join(tmpdir(), 'motcua-crash-'));
    // The IT account signs every command in (issue #16); its PIN is in the env of each run.
    account = await createItAccount(dataDir);
    const enrolled = await asIt([
      'enroll',
      '--server',
      proxy.url,
      '--code',
      await issueEnrolCode(server),
      '--json',
    ]);
    expect(enrolled.code, enrolled.stderr).toBe(0);
    queued = await queueDossiers(dataDir, DOSSIERS, { pages: 3, components: 2, seed: SEED });
    startupMs = (await asIt(['queue', '--json'])).ms;
  });

  afterAll(async () => {
    await proxy?.close();
    await server?.stop();
    if (dataDir) rmSync(dataDir, { recursive: true, force: true });
  });

  it(`delivers every dossier exactly once after ${ITERATIONS} kills`, { timeout: 900_000 }, async () => {
    const random = seededRandom(SEED);
    const outcomes: {
      delayMs: number;
      duringStartup: boolean;
      killed: boolean;
      code: number | null;
      committed: number;
    }[] = [];
    let lastRequest = 0;
    let resumedPatches = 0;
    let patches = 0;
    for (let i = 0; i < ITERATIONS; i++) {
      // When to kill: during start-up, or at a random moment after the run's first request reached the server
      // (start-up takes 2 s on an idle machine and far longer on a busy one: a fixed delay would miss the work).
      const duringStartup = random() < STARTUP_KILL_SHARE;
      const run = spawnMotcua(['sync', ...account.args], dataDir, account.env);
      let exited = false;
      void run.done.then(() => {
        exited = true;
      });
      let delayMs: number;
      if (duringStartup) {
        delayMs = Math.round(random() * 0.8 * startupMs);
        await Promise.race([run.done, sleep(delayMs)]);
      } else {
        delayMs = Math.round(random() * WORK_KILL_WINDOW_MS);
        while (!exited) {
          const seen = await serverRequests(server, lastRequest);
          if (seen.some((r) => !r.path.startsWith('/v1/admin/'))) break;
          await sleep(100);
        }
        await Promise.race([run.done, sleep(delayMs)]);
      }
      const killed = !exited && run.child.kill('SIGKILL');
      const result = await run.done;
      // A run that ended by itself must have ended well (drained) — never with a crash.
      if (!killed) expect(result.code, result.stderr).toBe(0);
      const committed = (await serverDossiers(server)).filter((d) => d.committed).length;
      const requests = await serverRequests(server, lastRequest);
      lastRequest = requests.at(-1)?.id ?? lastRequest;
      for (const r of requests.filter((r) => r.method === 'PATCH')) {
        patches += 1;
        if ((r.uploadOffset ?? 0) > 0) resumedPatches += 1;
      }
      outcomes.push({
        delayMs,
        duringStartup,
        killed: killed && result.signal === 'SIGKILL',
        code: result.code,
        committed,
      });
    }

    // Final drain over a normal link: must end by itself, with exit 0.
    proxy.setRate(null);
    const drained = await asIt(['sync', '--json'], { timeoutMs: 180_000 });
    expect(drained.code, drained.stderr).toBe(0);

    const queue = lastJson<{ pending: number; parked: number }>((await asIt(['queue', '--json'])).stdout);
    expect(queue.pending).toBe(0);
    expect(queue.parked).toBe(0);
    expect(await arrivalProblems(server, queued)).toEqual([]);
    expect(
      outboxRows(dataDir).filter((row) => row.status === 'pending' || row.status === 'in-flight'),
    ).toEqual([]);
    const store = openStore(dataDir);
    try {
      expect(store.db.pragma('integrity_check', { simple: true })).toBe('ok');
    } finally {
      store.close();
    }

    const kills = outcomes.filter((o) => o.killed).length;
    const progressSteps = outcomes.filter((o, i) => i > 0 && o.committed > (outcomes[i - 1]?.committed ?? 0));
    console.info(
      `[crash] CLI start-up ${startupMs} ms; ${ITERATIONS} runs, ${kills} killed, ${progressSteps.length} made progress between kills; ` +
        `${queued.length} dossiers (${payloadBytes(queued)} B); PATCH requests ${patches}, resumed at offset > 0: ` +
        `${resumedPatches}; committed after each run: ${outcomes.map((o) => o.committed).join(',')}`,
    );
    // The test is only worth something if the kills really interrupted work in progress.
    expect(kills).toBeGreaterThanOrEqual(Math.ceil(ITERATIONS / 2));
    expect(outcomes.some((o) => o.killed && o.committed > 0 && o.committed < queued.length)).toBe(true);
  });
});
