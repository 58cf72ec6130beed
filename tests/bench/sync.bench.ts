/**
 * Sync benchmark (npm run bench:sync; run as `flock /tmp/motcua-bench.lock npm run bench:sync`): a queue of
 * received dossiers (3-page A4 PDFs) drained by the real engine into the reference server through a throttled
 * TCP link (2 Mbit/s by default) that is cut a few times. Prints payload and wire bytes, drain time, the
 * physical limit of the link, link utilisation (target ≥ 80 %), wire bytes per page and bytes re-sent per
 * interruption. Peer measured in the same run: one plain HTTP upload of raw bytes through an identical link,
 * i.e. what the link itself delivers. Asserts nothing.
 *
 * Knobs: BENCH_SYNC_DOSSIERS (200), BENCH_SYNC_PAGES (3), BENCH_SYNC_BPS (link bytes/s, 250000 = 2 Mbit/s),
 * BENCH_SYNC_DROPS (3), BENCH_SYNC_CHUNK (tus chunk bytes, 1 MiB), BENCH_SYNC_PEER_BYTES (4 MB).
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { silentLogger } from '../../electron/services/logging/logger';
import { openStore } from '../../electron/services/store/store';
import { SyncEngine } from '../../electron/services/sync/sync-engine';
import {
  arrivalProblems,
  issueEnrolCode,
  payloadBytes,
  queueInto,
  type RequestLogRow,
  serverRequests,
  startSyncServer,
} from '../support/sync-fixtures';
import { startThrottleProxy } from '../support/throttle-proxy';

const DOSSIERS = Number(process.env.BENCH_SYNC_DOSSIERS ?? 200);
const PAGES = Number(process.env.BENCH_SYNC_PAGES ?? 3);
const RATE = Number(process.env.BENCH_SYNC_BPS ?? 250_000);
const DROPS = Number(process.env.BENCH_SYNC_DROPS ?? 3);
const CHUNK = Number(process.env.BENCH_SYNC_CHUNK ?? 1024 * 1024);
const PEER_BYTES = Number(process.env.BENCH_SYNC_PEER_BYTES ?? 4_000_000);

const kB = (n: number) => `${(n / 1000).toFixed(1)} kB`;
const MB = (n: number) => `${(n / 1e6).toFixed(2)} MB`;
const s = (ms: number) => `${(ms / 1000).toFixed(1)} s`;
const pct = (x: number) => `${(x * 100).toFixed(1)} %`;

/** The peer: raw bytes in one HTTP POST through an identical throttled link to a sink. */
async function measurePeer(bytes: number): Promise<{ ms: number; wireUp: number }> {
  const sink = createServer(async (req, res) => {
    for await (const _ of req) {
      // drop
    }
    res.end('ok');
  });
  await new Promise<void>((resolve) => sink.listen(0, '127.0.0.1', () => resolve()));
  const proxy = await startThrottleProxy({
    targetPort: (sink.address() as AddressInfo).port,
    bytesPerSecond: RATE,
  });
  const started = performance.now();
  const response = await fetch(`${proxy.url}/sink`, { method: 'POST', body: new Uint8Array(bytes) });
  await response.text();
  const ms = performance.now() - started;
  const wireUp = proxy.counters().up;
  await proxy.close();
  sink.close();
  return { ms, wireUp };
}

async function main() {
  console.log(
    `bench:sync — ${DOSSIERS} dossiers × ${PAGES} pages, link ${RATE} B/s (${((RATE * 8) / 1e6).toFixed(2)} Mbit/s) ` +
      `each way, ${DROPS} cuts, tus chunk ${CHUNK} B`,
  );
  const server = await startSyncServer();
  const proxy = await startThrottleProxy({ targetPort: server.port, bytesPerSecond: RATE });
  const deskDir = mkdtempSync(join(tmpdir(), 'motcua-bench-sync-'));
  const store = openStore(deskDir);
  const engine = new SyncEngine({ store, logger: silentLogger, chunkBytes: CHUNK, deskName: 'Quầy bench' });
  try {
    await engine.enrol(proxy.url, await issueEnrolCode(server));
    const queueStarted = performance.now();
    const queued = await queueInto(store, DOSSIERS, { pages: PAGES, components: 1, seed: 61 });
    const payload = payloadBytes(queued);
    const pages = queued.reduce((n, d) => n + d.files.reduce((m, f) => m + f.pageCount, 0), 0);
    console.log(
      `queue built in ${s(performance.now() - queueStarted)}: ${pages} pages, ${MB(payload)} of PDF`,
    );

    const before = proxy.counters();
    proxy.dropAt(
      ...Array.from({ length: DROPS }, (_, k) => before.up + Math.round((payload * (k + 1)) / (DROPS + 1))),
    );
    // The server keeps its last 1000 requests: read them as the drain goes, so none is missed.
    const patches: RequestLogRow[] = [];
    let lastId = (await serverRequests(server)).at(-1)?.id ?? 0;
    const collect = async () => {
      const rows = await serverRequests(server, lastId);
      lastId = rows.at(-1)?.id ?? lastId;
      patches.push(...rows.filter((r) => r.method === 'PATCH'));
    };
    const poller = setInterval(() => void collect(), 2000);
    const started = performance.now();
    const report = await engine.drain(AbortSignal.timeout(Math.max(600_000, (payload / RATE) * 5000)));
    const ms = performance.now() - started;
    clearInterval(poller);
    await collect();
    const after = proxy.counters();
    const problems = await arrivalProblems(server, queued);

    const wireUp = after.up - before.up;
    const wireDown = after.down - before.down;
    const drops = after.drops - before.drops;
    const patchBytes = patches.reduce((n, r) => n + r.requestBytes, 0);
    const resent = Math.max(0, patchBytes - payload);
    const peer = await measurePeer(Math.min(PEER_BYTES, payload));
    const peerRate = (Math.min(PEER_BYTES, payload) / peer.ms) * 1000;

    const rows: [string, string][] = [
      [
        'dossiers on the server, intact',
        `${DOSSIERS - new Set(problems.map((p) => p.split(':')[0])).size} / ${DOSSIERS}`,
      ],
      ['engine report', JSON.stringify(report)],
      ['payload (PDF bytes)', MB(payload)],
      ['bytes on the wire, desk → server', `${MB(wireUp)} (${pct(wireUp / payload - 1)} above payload)`],
      ['bytes on the wire, server → desk', MB(wireDown)],
      ['time to drain', s(ms)],
      ['physical limit: wire up ÷ rate', s((wireUp / RATE) * 1000)],
      ['physical limit: payload ÷ rate', s((payload / RATE) * 1000)],
      ['link utilisation (wire up ÷ rate·time, target ≥ 80 %)', pct(wireUp / RATE / (ms / 1000))],
      ['goodput (payload ÷ rate·time)', pct(payload / RATE / (ms / 1000))],
      ['bytes on the wire per page', kB(wireUp / pages)],
      ['payload per page', kB(payload / pages)],
      ['interruptions (link cuts)', String(drops)],
      [
        're-sent upload bytes (PATCH bytes − payload)',
        `${kB(resent)}; per interruption ${kB(drops ? resent / drops : 0)}`,
      ],
      [
        're-sent, as the engine counts it (bytes written twice)',
        `${kB(report.bytesResent)}; per interruption ${kB(drops ? report.bytesResent / drops : 0)}`,
      ],
      [
        'desk → link bytes lost in cuts (proxy took, never forwarded)',
        kB(after.upReceived - before.upReceived - wireUp),
      ],
      ['PATCH requests', String(patches.length)],
      [
        'peer: raw HTTP upload through the same link',
        `${MB(Math.min(PEER_BYTES, payload))} in ${s(peer.ms)} = ${(peerRate / 1000).toFixed(1)} kB/s (${pct(peerRate / RATE)} of nominal)`,
      ],
      ['engine goodput ÷ peer rate', pct(payload / (ms / 1000) / peerRate)],
    ];
    const width = Math.max(...rows.map(([k]) => k.length));
    for (const [k, v] of rows) console.log(`${k.padEnd(width)}  ${v}`);
    if (problems.length > 0)
      console.log(`PROBLEMS (${problems.length}):\n  ${problems.slice(0, 20).join('\n  ')}`);
  } finally {
    await engine.stop().catch(() => {});
    store.close();
    await proxy.close();
    await server.stop();
    rmSync(deskDir, { recursive: true, force: true });
  }
}

await main();
