/**
 * Sync over a bad link (issue #6): the server's fault injection (5xx bursts, requests and answers cut,
 * answers slower than the client waits, work applied twice, feed entries delivered twice) and a real TCP
 * proxy that cuts connections. Every dossier must arrive exactly once, bytes intact; a cut at 90 % of a large
 * file must resend no more than one chunk.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { silentLogger } from '../../../electron/services/logging/logger';
import { openStore, type Store } from '../../../electron/services/store/store';
import { SyncEngine } from '../../../electron/services/sync/sync-engine';
import {
  adminCall,
  arrivalProblems,
  issueEnrolCode,
  queueInto,
  type SyncTestServer,
  serverRequests,
  setFaults,
  startSyncServer,
} from '../../support/sync-fixtures';
import {
  startThrottleProxy,
  type ThrottleProxy,
  type ThrottleProxyOptions,
} from '../../support/throttle-proxy';

const MiB = 1024 * 1024;
/** How long the engine waits for one answer here (its default is 60 s; shortened so the test is quick). */
const REQUEST_TIMEOUT_MS = 8000;
/** Longer than that: the engine must give up on the answer and try again. */
const SLOW_ANSWER_MS = REQUEST_TIMEOUT_MS + 7000;

interface Rig {
  server: SyncTestServer;
  proxy: ThrottleProxy | null;
  store: Store;
  engine: SyncEngine;
  dataDir: string;
}

const rigs: Rig[] = [];

async function rig(
  options: { proxy?: Omit<ThrottleProxyOptions, 'targetPort'>; chunkBytes?: number } = {},
): Promise<Rig> {
  const server = await startSyncServer();
  const proxy = options.proxy
    ? await startThrottleProxy({ ...options.proxy, targetPort: server.port })
    : null;
  const dataDir = mkdtempSync(join(tmpdir(), 'motcua-faults-'));
  const store = openStore(dataDir);
  const engine = new SyncEngine({
    store,
    logger: silentLogger,
    chunkBytes: options.chunkBytes ?? MiB,
    deskName: 'Quầy thử lỗi',
    requestTimeoutMs: REQUEST_TIMEOUT_MS,
    // Short backoff: this is about what arrives, not about how long the engine waits between attempts.
    retry: { baseMs: 250, maxMs: 4000 },
  });
  const made: Rig = { server, proxy, store, engine, dataDir };
  rigs.push(made);
  await engine.enrol(proxy?.url ?? server.url, await issueEnrolCode(server));
  return made;
}

afterEach(async () => {
  for (const { server, proxy, store, engine, dataDir } of rigs.splice(0)) {
    await engine.stop().catch(() => {});
    await proxy?.close();
    await server.stop();
    store.close();
    rmSync(dataDir, { recursive: true, force: true });
  }
});

function outboxStatuses(store: Store): string[] {
  return (store.db.prepare('SELECT status FROM outbox ORDER BY id').all() as { status: string }[]).map(
    (r) => r.status,
  );
}

describe('sync over a faulty link', () => {
  it('delivers every dossier once through 5xx bursts, cut requests and answers, slow and doubled answers', {
    timeout: 240_000,
  }, async () => {
    const { server, store, engine } = await rig();
    const queued = await queueInto(store, 6, { pages: 2, components: 2, seed: 11 });
    const spec = [
      'error:status=503,count=4,path=/v1/dossiers/*',
      'error:status=502,method=PATCH,count=2',
      'drop-request:bytes=30000,method=PATCH,count=3',
      'drop-response:method=PUT,count=2,after=1',
      'drop-response:method=POST,path=/v1/dossiers/*/commit,count=2',
      'duplicate:mode=apply,method=PUT,count=3',
      'duplicate:mode=apply,method=POST,path=/v1/dossiers/*/commit,count=2',
      `slow:delay=${SLOW_ANSWER_MS},method=PUT,count=1,after=3`,
      'duplicate:mode=answer,path=/v1/changes,count=2',
    ].join(';');
    await setFaults(server, spec);

    const started = performance.now();
    const report = await engine.drain(AbortSignal.timeout(200_000));
    const ms = Math.round(performance.now() - started);

    const faults = await adminCall<{ rules: { kind: string; applied: number; remaining: number | null }[] }>(
      server,
      'GET',
      '/v1/admin/faults',
    );
    console.info(
      `[faults] drained in ${ms} ms: ${JSON.stringify(report)}; rules ${JSON.stringify(faults.rules)}`,
    );
    expect(await arrivalProblems(server, queued)).toEqual([]);
    expect(engine.state()).toMatchObject({ pending: 0, parked: 0 });
    expect(outboxStatuses(store).every((s) => s === 'done')).toBe(true);
    // Every injected fault really hit the engine (a rule that never fired proves nothing).
    for (const rule of faults.rules) {
      expect(rule.applied, JSON.stringify(rule)).toBeGreaterThan(0);
    }
    const confirmed = store.db
      .prepare('SELECT COUNT(*) AS n FROM dossiers WHERE province_confirmed_at IS NOT NULL')
      .get() as { n: number };
    expect(confirmed.n).toBe(queued.length);
  });

  it('resends at most one chunk when the link drops at 90 % of an 8 MiB file', {
    timeout: 180_000,
  }, async () => {
    const chunkBytes = MiB;
    const { server, proxy, store, engine } = await rig({ proxy: {}, chunkBytes });
    // ~240 A4 pages in one PDF: a thick dossier component of about 8 MiB.
    const queued = await queueInto(store, 1, { pages: 240, components: 1, seed: 21 });
    const file = queued[0]?.files[0];
    if (!file || !proxy) throw new Error('fixture missing');
    expect(file.bytes).toBeGreaterThan(7 * MiB);
    const before = proxy.counters();
    const lastRequest = (await serverRequests(server)).at(-1)?.id ?? 0;
    // The PUT and the upload creation go first (a few KB): this cut lands at ~90 % of the file's bytes.
    proxy.dropAt(before.up + Math.round(file.bytes * 0.9));

    const report = await engine.drain(AbortSignal.timeout(150_000));
    const after = proxy.counters();
    const patches = (await serverRequests(server, lastRequest)).filter((r) => r.method === 'PATCH');
    const patchBytes = patches.reduce((sum, r) => sum + r.requestBytes, 0);
    // Three views of what was sent twice: what reached the server, what the desk put on the link, and what
    // the engine itself counts.
    const resentAtServer = patchBytes - file.bytes;
    const deskOnLink = after.upReceived - before.upReceived;
    console.info(
      `[resume] file ${file.bytes} B, chunk ${chunkBytes} B, drops ${after.drops - before.drops}; PATCH requests ` +
        `${patches.length} carrying ${patchBytes} B (resent at the server ${resentAtServer} B); desk put ` +
        `${deskOnLink} B on the link (${deskOnLink - file.bytes} B above the file); engine report ` +
        `${JSON.stringify(report)}; PATCH offsets ${patches.map((p) => p.uploadOffset).join(',')}`,
    );
    expect(after.drops - before.drops).toBe(1);
    expect(await arrivalProblems(server, queued)).toEqual([]);
    expect(resentAtServer).toBeLessThanOrEqual(chunkBytes);
    // On the link too: the file, one chunk at most again, and a little for headers and JSON.
    expect(deskOnLink).toBeLessThanOrEqual(file.bytes + chunkBytes + 64 * 1024);
    expect(report.bytesResent).toBeLessThanOrEqual(chunkBytes);
    // It resumed where the server was (HEAD), not from the start of the file.
    expect(patches.some((p) => (p.uploadOffset ?? 0) > 0.85 * file.bytes)).toBe(true);
  });

  it('delivers every dossier once when the proxy cuts connections at random', {
    timeout: 180_000,
  }, async () => {
    // A 2 MiB/s link that cuts the connection with probability 0.15 per 64 KiB sent (seeded), 6 cuts at most.
    const { server, proxy, store, engine } = await rig({
      proxy: { bytesPerSecond: 2 * MiB, dropRate: 0.15, maxRandomDrops: 6, seed: 31 },
      chunkBytes: 256 * 1024,
    });
    if (!proxy) throw new Error('no proxy');
    const queued = await queueInto(store, 8, { pages: 3, components: 2, seed: 31 });
    const report = await engine.drain(AbortSignal.timeout(150_000));
    const counters = proxy.counters();
    console.info(
      `[cuts] ${counters.drops} cuts, ${counters.connections} connections; ${JSON.stringify(report)}`,
    );
    expect(counters.drops).toBeGreaterThanOrEqual(2);
    expect(await arrivalProblems(server, queued)).toEqual([]);
    expect(engine.state()).toMatchObject({ pending: 0, parked: 0 });
  });
});
