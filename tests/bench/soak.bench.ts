/**
 * Soak benchmark (npm run bench:soak; issue 17): kill -9 cycles across scan, receive and sync on one desk data
 * dir (real SQLite, the libsane `test` ADF, real blob files) against the reference provincial server behind a
 * dropping link (tests/support/throttle-proxy.ts, connections cut at a seeded random rate). Each cycle starts a
 * child (tests/bench/soak/*-child.ts), lets it work and kills it with SIGKILL at a seeded random moment; the
 * lines it printed after each durable step are the promises the desk made. At the end — a healthy link, the desk
 * opened once more (its start-up sweep), one clean sync to completion — it counts lost, duplicated and orphaned
 * (tests/bench/soak/audit.ts), prints a table, the cycles per kind and the wall time, and exits 1 unless all
 * three are 0.
 *
 * Knobs: SOAK_CYCLES (300), SOAK_SEED (17), SOAK_DROP_RATE (cut chance per 64 KiB up, 0.2),
 * SOAK_LINK_BPS (link bytes/s, 400000), SOAK_KEEP=1 keeps the temp dirs. Bounded: a child lives ≤ 60 s; the
 * bench paces itself to SOAK_BUDGET_MS (25 min) by aiming kills sooner after their marker when it falls behind,
 * and past twice that starts no more cycles, reports and exits 2 (exit 1: lost, duplicated or orphaned ≠ 0).
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Desk } from '../../electron/services/desk/desk';
import { silentLogger } from '../../electron/services/logging/logger';
import { value } from '../support/desk-call';
import { prng } from '../support/prng';
import { issueEnrolCode, startSyncServer } from '../support/sync-fixtures';
import { startThrottleProxy, type ThrottleProxy } from '../support/throttle-proxy';
import { audit, type Finding, type Promises } from './soak/audit';

const CYCLES = Number(process.env.SOAK_CYCLES ?? process.argv[2] ?? 300);
const SEED = Number(process.env.SOAK_SEED ?? 17);
const DROP_RATE = Number(process.env.SOAK_DROP_RATE ?? 0.2);
const LINK_BPS = Number(process.env.SOAK_LINK_BPS ?? 400_000);
const BUDGET_MS = Number(process.env.SOAK_BUDGET_MS ?? 25 * 60_000);
/** Past this the bench starts no more cycles, reports what it has and exits 2. */
const HARD_LIMIT_MS = 2 * BUDGET_MS;
const CHILD_LIFETIME_MS = 60_000;
const PIN = '2468';
const KINDS = ['scan', 'receive', 'sync'] as const;
type Kind = (typeof KINDS)[number];
/**
 * The markers each child prints before its work ends: `ready`, then `step …` lines at phase boundaries. A kill is
 * aimed at one marker and lands at a random moment before the next one, so every phase gets its share of kills
 * however long it takes (receive: sign in, draft, scan, attach, scan, attach, complete).
 */
const MARKERS: Record<Kind, number> = { scan: 2, receive: 7, sync: 1 };
/** First guesses (ms) until a run measures them: start-up, and the time after a marker. */
const FIRST_GUESS: Record<Kind, { startup: number; gap: number }> = {
  scan: { startup: 4000, gap: 2000 },
  receive: { startup: 6000, gap: 3000 },
  sync: { startup: 3000, gap: 3000 },
};
/** Share of cycles killed during start-up (store open, migrations, sweeps), and let run to their end. */
const STARTUP_KILL_SHARE = 0.1;
const UNKILLED_SHARE = 0.08;

const SANE_CONFIG_DIR = join(import.meta.dirname, 'soak', 'sane');
const ROOT = join(import.meta.dirname, '..', '..');
const random = prng(SEED);
const live = new Set<ChildProcess>();

/**
 * Measured durations (ms): spawn → ready, and marker i → the next marker (or the end), per kind, as moving
 * averages, so kills follow the machine's real speed.
 */
class Timings {
  private readonly gaps = new Map<string, number>();
  /** Kinds with one run seen to its end: until then a kill would be aimed blind, so the run is not killed. */
  readonly calibrated = new Set<Kind>();
  get(kind: Kind, gap: number | 'startup'): number {
    return this.gaps.get(`${kind}/${gap}`) ?? FIRST_GUESS[kind][gap === 'startup' ? 'startup' : 'gap'];
  }
  observe(kind: Kind, gap: number | 'startup', ms: number) {
    const key = `${kind}/${gap}`;
    const old = this.gaps.get(key);
    this.gaps.set(key, old === undefined ? ms : old * 0.7 + ms * 0.3);
  }
}
const timings = new Timings();

interface CycleResult {
  kind: Kind;
  killed: boolean;
  /** The marker the kill was aimed after ('startup' before ready, null when not aimed). */
  aim: number | 'startup' | null;
  /** Exit without our kill and not 0: a child that failed on its own (stderr kept). */
  failure: string | null;
  ms: number;
}

function runCycle(kind: Kind, args: string[], promises: Promises, pace: number): Promise<CycleResult> {
  const started = performance.now();
  const child = spawn(
    process.execPath,
    ['--import', 'tsx', join(import.meta.dirname, 'soak', `${kind}-child.ts`), ...args],
    { cwd: ROOT, env: { ...process.env, SANE_CONFIG_DIR }, stdio: ['ignore', 'pipe', 'pipe'] },
  );
  live.add(child);
  let killed = false;
  let stderr = '';
  const kill = () => {
    if (child.exitCode === null && child.signalCode === null) {
      killed = true;
      child.kill('SIGKILL');
    }
  };
  const timers: NodeJS.Timeout[] = [setTimeout(kill, CHILD_LIFETIME_MS)];
  const draw = random();
  const aim: CycleResult['aim'] =
    draw < UNKILLED_SHARE || !timings.calibrated.has(kind)
      ? null
      : draw < UNKILLED_SHARE + STARTUP_KILL_SHARE
        ? 'startup'
        : Math.floor(random() * MARKERS[kind]);
  // Behind schedule, kills come sooner after their marker (pace < 1) rather than cycles being dropped.
  const delay = Math.floor(random() * timings.get(kind, aim ?? 0) * 1.1 * pace);
  if (aim === 'startup') timers.push(setTimeout(kill, delay));
  let markers = 0;
  let lastMarkerAt = started;
  const marker = () => {
    const now = performance.now();
    timings.observe(kind, markers === 0 ? 'startup' : markers - 1, now - lastMarkerAt);
    lastMarkerAt = now;
    if (aim === markers) timers.push(setTimeout(kill, delay));
    markers++;
  };
  let pending = '';
  child.stdout.setEncoding('utf8').on('data', (text: string) => {
    pending += text;
    const lines = pending.split('\n');
    pending = lines.pop() ?? '';
    for (const line of lines) {
      const [word, a = '', b = '', c = ''] = line.split(' ');
      if (word === 'ready' || word === 'step') marker();
      else if (word === 'page') promises.pages.set(`${a}/${b}`, c);
      else if (word === 'received') promises.received.add(a);
      else if (word === 'synced') promises.synced.add(a);
      else if (word === 'finished' && markers > 0) {
        timings.observe(kind, markers - 1, performance.now() - lastMarkerAt);
        timings.calibrated.add(kind);
      }
    }
  });
  child.stderr.setEncoding('utf8').on('data', (text: string) => {
    stderr = (stderr + text).slice(-2000);
  });
  return new Promise((resolve) => {
    child.once('close', (code) => {
      for (const timer of timers) clearTimeout(timer);
      live.delete(child);
      const failure =
        !killed && code !== 0 ? `exit ${code}: ${stderr.trim().split('\n').slice(-3).join(' | ')}` : null;
      resolve({ kind, killed, aim, failure, ms: performance.now() - started });
    });
  });
}

/** The desk as IT leaves it after setup: config, first admin, enrolled with the province through the link. */
async function setUpDesk(dataDir: string, serverUrl: string, code: () => Promise<string>): Promise<string> {
  writeFileSync(
    join(dataDir, 'config.json'),
    JSON.stringify({
      agencyCode: '000.17.22.H56',
      agencyName: 'UBND xã Quảng Phú',
      deskSlot: 0,
      scan: { removeBlankPages: false },
    }),
  );
  const desk = new Desk({ dataDir, networkPollMs: 0, logger: silentLogger });
  try {
    const session = await value(desk.call('setupFirstAdmin', { name: 'Nguyễn Văn An', pin: PIN }));
    // The link drops connections: enrolment is retried as IT would retry it.
    for (let attempt = 1; ; attempt++) {
      const enrolled = await desk.call('enrolDesk', { serverUrl, code: await code() });
      if (enrolled.ok) break;
      if (attempt === 10) throw new Error(`enrolment failed: ${enrolled.error.message}`);
    }
    if (!session.clerk) throw new Error('no clerk after setup');
    return session.clerk.id;
  } finally {
    await desk.close();
  }
}

/** The desk opened once more (start-up sweep done) and one sync drained to the end over a healthy link. */
async function finalCleanSync(dataDir: string): Promise<string> {
  const desk = new Desk({ dataDir, networkPollMs: 0, logger: silentLogger });
  try {
    await desk.scans.swept;
    const report = await desk.sync.drain(AbortSignal.timeout(300_000));
    return JSON.stringify(report);
  } finally {
    await desk.close();
  }
}

function printCycles(results: CycleResult[]) {
  console.log(
    '\ncycles      total  killed  in-startup  ran-to-end  failed-on-own  mean s  kills aimed after marker',
  );
  for (const kind of [...KINDS, 'all'] as const) {
    const of = results.filter((r) => kind === 'all' || r.kind === kind);
    const n = (p: (r: CycleResult) => boolean, width = 6) => String(of.filter(p).length).padStart(width);
    const mean = of.length ? of.reduce((t, r) => t + r.ms, 0) / of.length / 1000 : 0;
    const aims = new Map<number, number>();
    for (const r of of)
      if (r.killed && typeof r.aim === 'number') aims.set(r.aim, (aims.get(r.aim) ?? 0) + 1);
    const spread = [...aims]
      .sort(([a], [b]) => a - b)
      .map(([m, k]) => `${m}:${k}`)
      .join(' ');
    console.log(
      `${kind.padEnd(10)}${n(() => true)}  ${n((r) => r.killed)}  ${n((r) => r.killed && r.aim === 'startup', 10)}  ` +
        `${n((r) => !r.killed && !r.failure, 10)}  ${n((r) => r.failure !== null, 13)}  ${mean.toFixed(1).padStart(6)}  ${spread}`,
    );
  }
}

function printFindings(findings: Finding[]) {
  const width = Math.max(...findings.map((f) => f.what.length));
  console.log(`\n${'class'.padEnd(10)}  ${'what'.padEnd(width)}  count  examples`);
  for (const f of findings) {
    const examples = f.kind === 'info' || f.count === 0 ? '' : f.examples.join(', ');
    console.log(`${f.kind.padEnd(10)}  ${f.what.padEnd(width)}  ${String(f.count).padStart(5)}  ${examples}`);
  }
}

async function main(): Promise<number> {
  const started = performance.now();
  console.log(
    `bench:soak — ${CYCLES} kill -9 cycles (scan, receive, sync), seed ${SEED}, link ${LINK_BPS} B/s, ` +
      `cut chance ${DROP_RATE} per 64 KiB`,
  );
  const server = await startSyncServer();
  // The desk keeps its data key beside the data dir (`<dataDir>.key`): one temp parent holds both.
  const tempRoot = mkdtempSync(join(tmpdir(), 'motcua-soak-'));
  const dataDir = join(tempRoot, 'desk');
  mkdirSync(dataDir);
  let proxy: ThrottleProxy = await startThrottleProxy({
    targetPort: server.port,
    bytesPerSecond: LINK_BPS,
    dropRate: DROP_RATE,
    seed: SEED,
  });
  const promises: Promises = { pages: new Map(), received: new Set(), synced: new Set() };
  const results: CycleResult[] = [];
  try {
    const clerkId = await setUpDesk(dataDir, proxy.url, () => issueEnrolCode(server));
    let stoppedEarly = false;
    for (let cycle = 0; cycle < CYCLES; cycle++) {
      const elapsed = performance.now() - started;
      if (elapsed > HARD_LIMIT_MS) {
        stoppedEarly = true;
        break;
      }
      const meanMs = results.length ? results.reduce((t, r) => t + r.ms, 0) / results.length : 0;
      const allowedMs = (BUDGET_MS - elapsed) / (CYCLES - cycle);
      const pace = meanMs > 0 ? Math.min(1, Math.max(0.2, allowedMs / meanMs)) : 1;
      const kind = KINDS[Math.floor(random() * KINDS.length)] as Kind;
      const args =
        kind === 'scan'
          ? [dataDir, String(60 + Math.floor(random() * 90))] // a new resolution: new page bytes, new blobs
          : kind === 'receive'
            ? [dataDir, clerkId, PIN, String(cycle)]
            : [dataDir, String(CHILD_LIFETIME_MS)];
      // Dossier payloads are small (a few kB of G4 pages): besides the random cuts per 64 KiB, each sync cycle
      // gets one or two cuts at seeded offsets inside its next 6 kB of upload.
      if (kind === 'sync') {
        const up = proxy.counters().up;
        proxy.dropAt(
          ...Array.from({ length: 1 + Math.floor(random() * 2) }, () => up + Math.floor(random() * 6000)),
        );
      }
      const result = await runCycle(kind, args, promises, pace);
      results.push(result);
      if (result.failure) console.log(`cycle ${cycle} ${kind}: child failed on its own — ${result.failure}`);
      if ((cycle + 1) % 25 === 0)
        console.log(
          `… ${cycle + 1} cycles, ${((performance.now() - started) / 1000).toFixed(0)} s, kill pace ${pace.toFixed(2)}`,
        );
    }
    if (stoppedEarly)
      console.log(
        `INCOMPLETE: hard limit of ${HARD_LIMIT_MS / 60_000} min reached after ${results.length} cycles`,
      );

    // A healthy link on the same address the desk enrolled with: no cuts, no throttle.
    const port = proxy.port;
    const { drops: dropped, up: sentUp } = proxy.counters();
    await proxy.close();
    proxy = await startThrottleProxy({ targetPort: server.port, port });
    const syncReport = await finalCleanSync(dataDir);
    const findings = await audit(dataDir, server, promises);

    printCycles(results);
    console.log(
      `promises made: ${promises.pages.size} pages, ${promises.received.size} received, ` +
        `${promises.synced.size} synced; link during the cycles: ${dropped} cuts, ${(sentUp / 1000).toFixed(1)} kB up`,
    );
    console.log(`final clean sync: ${syncReport}`);
    printFindings(findings);
    const total = (kind: Finding['kind']) =>
      findings.filter((f) => f.kind === kind).reduce((n, f) => n + f.count, 0);
    const [lost, duplicated, orphaned] = [total('lost'), total('duplicated'), total('orphaned')];
    const failed = results.filter((r) => r.failure).length;
    console.log(
      `\nLOST ${lost}   DUPLICATED ${duplicated}   ORPHANED ${orphaned}   ` +
        `(children failed on their own: ${failed}; wall time ${((performance.now() - started) / 1000).toFixed(1)} s)`,
    );
    return lost + duplicated + orphaned > 0 ? 1 : stoppedEarly ? 2 : 0;
  } finally {
    for (const child of live) child.kill('SIGKILL');
    await proxy.close();
    await server.stop();
    if (process.env.SOAK_KEEP === '1') console.log(`kept desk data dir ${dataDir}`);
    else rmSync(tempRoot, { recursive: true, force: true });
  }
}

process.exitCode = await main();
