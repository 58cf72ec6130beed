/**
 * Offline for long (issue #6): 1,000 dossiers are received while the provincial server is down (its port
 * closed). When it comes back, the engine's own scheduler — nobody presses anything — drains them all, in
 * the order they were received.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { silentLogger } from '../../../electron/services/logging/logger';
import { openStore, type Store } from '../../../electron/services/store/store';
import { probeProvincialServer } from '../../../electron/services/sync/connectivity';
import { SyncEngine, type SyncState } from '../../../electron/services/sync/sync-engine';
import {
  arrivalProblems,
  issueEnrolCode,
  queueInto,
  type SyncTestServer,
  serverDossiers,
  startSyncServer,
} from '../../support/sync-fixtures';

const DOSSIERS = Number(process.env.SYNC_OFFLINE_DOSSIERS ?? 1000);
const OFFLINE_MS = Number(process.env.SYNC_OFFLINE_MS ?? 8000);
const DRAIN_LIMIT_MS = Number(process.env.SYNC_OFFLINE_DRAIN_LIMIT_MS ?? 200_000);

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe('sync after a long time offline', () => {
  const cleanup: (() => Promise<void> | void)[] = [];
  afterAll(async () => {
    for (const step of cleanup.reverse()) await step();
  });

  it(`drains ${DOSSIERS} dossiers queued while the server was down, in order`, {
    timeout: 300_000,
  }, async () => {
    const first = await startSyncServer();
    const { port, dataDir: serverDir } = first;
    const deskDir = mkdtempSync(join(tmpdir(), 'motcua-offline-'));
    const store: Store = openStore(deskDir);
    const states: SyncState[] = [];
    const engine = new SyncEngine({ store, logger: silentLogger, onState: (s) => states.push(s) });
    let second: SyncTestServer | null = null;
    cleanup.push(() => rmSync(deskDir, { recursive: true, force: true }));
    cleanup.push(() => store.close());
    cleanup.push(async () => (second ? second.stop() : first.stop()));
    cleanup.push(() => engine.stop());

    await engine.enrol(first.url, await issueEnrolCode(first));
    await first.close(); // port closed; its data stays for the restart
    expect((await probeProvincialServer(first.url, 1000)).reachable).toBe(false);

    const queueStarted = performance.now();
    const queued = await queueInto(store, DOSSIERS, { pages: 1, components: 1, pageSize: 'small', seed: 41 });
    const queueMs = Math.round(performance.now() - queueStarted);
    engine.start();
    await sleep(OFFLINE_MS);
    const offline = engine.state();
    expect(offline.pending).toBe(DOSSIERS);
    expect(offline.lastSuccessAt).toBeNull();

    second = await startSyncServer({ dataDir: serverDir, port });
    const back = performance.now();
    let state = engine.state();
    let firstArrivalMs: number | null = null;
    while (state.pending > 0 && performance.now() - back < DRAIN_LIMIT_MS) {
      await sleep(250);
      state = engine.state();
      if (firstArrivalMs === null && state.pending < DOSSIERS)
        firstArrivalMs = Math.round(performance.now() - back);
    }
    const drainMs = Math.round(performance.now() - back);
    // The last dossier is confirmed before the run ends (it still pulls the feed): let that run finish.
    for (let i = 0; i < 120 && engine.state().running; i++) await sleep(250);
    state = engine.state();
    console.info(
      `[offline] queued ${DOSSIERS} in ${queueMs} ms; offline ${OFFLINE_MS} ms (state then: ${JSON.stringify(offline)}); ` +
        `first dossier confirmed ${firstArrivalMs} ms after the server came back, all in ${drainMs} ms ` +
        `(${((DOSSIERS / drainMs) * 1000).toFixed(1)} dossiers/s); ${states.length} state events`,
    );
    expect(state.pending).toBe(0);
    expect(state.parked).toBe(0);
    expect(state.lastSuccessAt).not.toBeNull();
    await engine.stop();

    expect(await arrivalProblems(second, queued)).toEqual([]);
    // Order: the server saw them in outbox order (createdAt never goes back along the outbox).
    const createdAt = new Map((await serverDossiers(second)).map((d) => [d.DeskUuid, d.createdAt]));
    const outOfOrder: string[] = [];
    const inOutboxOrder = [...queued].sort((a, b) => a.outboxId - b.outboxId);
    for (let i = 1; i < inOutboxOrder.length; i++) {
      const previous = createdAt.get(inOutboxOrder[i - 1]?.id ?? '') ?? '';
      const current = createdAt.get(inOutboxOrder[i]?.id ?? '') ?? '';
      if (current < previous)
        outOfOrder.push(`${inOutboxOrder[i]?.code} before ${inOutboxOrder[i - 1]?.code}`);
    }
    expect(outOfOrder.slice(0, 5)).toEqual([]);
  });
});
