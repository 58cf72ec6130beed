import { readdirSync, statSync } from 'node:fs';
import { open } from 'node:fs/promises';
import { arch, cpus, freemem, homedir, release, totalmem, userInfo } from 'node:os';
import { join } from 'node:path';
import { strToU8, type Zippable, zip } from 'fflate';
import type { ScannerView } from '../../api/desk-api';
import type { DeskConfig } from '../config/config';
import { scrubPersonalData } from '../logging/logger';
import type { Store } from '../store/store';
import { rolloutDeskId } from '../update/desk-identity';
import { checkForUpdate } from '../update/update-check';
import { channelFileName } from '../update/update-feed';
import { APP_VERSION } from '../version';

/** What the bundle reads of the desk (desk.ts calls this file: an interface, not the class, keeps no cycle). */
export interface DiagnosedDesk {
  readonly settings: { list(): unknown };
  readonly sync: { state(): object };
  readonly store: Store;
  readonly config: DeskConfig;
  readonly scanWorkspace: { listScanners(): Promise<ScannerView[]> };
  status(): unknown;
  updateInstallDecision(options: { onQuit: boolean }): unknown;
}

/** Logs of the last days, and at most this much of each file (its end: the newest lines). */
const LOG_DAYS = 7;
const LOG_TAIL_BYTES = 2 * 1024 * 1024;

export interface DiagnosticsOptions {
  /** The doctor report, when the caller can run it (`motcua diagnose` does). */
  doctor?: unknown;
  /** Ask the update feed what it offers (off in tests without a feed). */
  checkUpdates?: boolean;
  now?: Date;
}

/**
 * Everything IT needs to understand a desk's problem, and nothing personal: versions, OS, effective settings
 * with sources (secrets masked), queue and update state, scanners, the doctor report and the recent logs
 * (which hold no personal data by construction, scrubbed once more here). Never the database, the page files,
 * the data key, nor the home folder or Windows account name (often a person's name). Zipped off the main thread.
 */
export async function buildDiagnosticsBundle(
  desk: DiagnosedDesk,
  dataDir: string,
  options: DiagnosticsOptions = {},
): Promise<Uint8Array> {
  const now = options.now ?? new Date();
  const files: Record<string, unknown> = {
    'versions.json': {
      app: APP_VERSION,
      node: process.versions.node,
      electron: process.versions.electron ?? null,
      os: { platform: process.platform, release: release(), arch: arch() },
      cpus: cpus().length,
      memory: { totalBytes: totalmem(), freeBytes: freemem() },
      createdAt: now.toISOString(),
    },
    'settings.json': desk.settings.list(),
    'status.json': desk.status(),
    'queue.json': queueState(desk),
    'update.json': await updateState(desk, dataDir, options.checkUpdates ?? true),
    'scanners.json': await scanners(desk),
  };
  if (options.doctor !== undefined) files['doctor.json'] = options.doctor;
  const entries: Zippable = {};
  for (const [name, value] of Object.entries(files))
    entries[name] = strToU8(anonymise(`${JSON.stringify(value, null, 2)}\n`));
  for (const [name, text] of await recentLogs(join(dataDir, 'logs'), now))
    entries[`logs/${name}`] = strToU8(anonymise(text));
  return new Promise((resolve, reject) => {
    zip(entries, { level: 6 }, (error, data) => (error ? reject(error) : resolve(data)));
  });
}

/** ID-number-like runs, the home folder and the account name out of any text going into the bundle. */
function anonymise(text: string): string {
  let out = scrubPersonalData(text);
  const home = homedir();
  if (home.length > 1) out = out.split(home).join('~');
  const escapedHome = JSON.stringify(home).slice(1, -1);
  if (escapedHome !== home && escapedHome.length > 1) out = out.split(escapedHome).join('~');
  const user = userInfo().username;
  if (user.length >= 3) out = out.split(user).join('[user]');
  return out;
}

function queueState(desk: DiagnosedDesk) {
  const state = desk.sync.state() as unknown as Record<string, unknown>;
  const row = desk.store.db
    .prepare(
      `SELECT COUNT(*) AS waiting, MIN(created_at) AS oldest FROM outbox WHERE status IN ('pending', 'in-flight', 'failed')`,
    )
    .get() as { waiting: number; oldest: string | null };
  return { ...state, outboxWaiting: row.waiting, oldestWaitingSince: row.oldest };
}

async function updateState(desk: DiagnosedDesk, dataDir: string, check: boolean) {
  const settings = desk.config.update;
  const base = {
    runningVersion: APP_VERSION,
    ...settings,
    installNow: desk.updateInstallDecision({ onQuit: false }),
  };
  if (!check || settings.feedUrls.length === 0) return { ...base, feed: null };
  try {
    const offer = await checkForUpdate({
      feeds: settings.feedUrls,
      channelFile: channelFileName(settings.channel),
      currentVersion: APP_VERSION,
      deskId: rolloutDeskId(dataDir, desk.store),
      allowRollback: settings.allowRollback,
    });
    return { ...base, feed: { state: offer.state, version: offer.feedVersion, from: offer.feed } };
  } catch (error) {
    return { ...base, feed: { state: 'error', reason: (error as { reason?: string }).reason ?? 'unknown' } };
  }
}

async function scanners(desk: DiagnosedDesk) {
  try {
    return (await desk.scanWorkspace.listScanners()).map((s) => ({
      id: s.id,
      label: s.label,
      capabilities: s.capabilities,
      defaults: s.defaults,
      profiles: s.profiles.length,
    }));
  } catch (error) {
    return { error: (error as Error).name };
  }
}

/** The newest log files (by name, `desk-YYYY-MM-DD.log`, and their rotated parts), each cut to its last part. */
async function recentLogs(dir: string, now: Date): Promise<[string, string][]> {
  let names: string[];
  try {
    names = readdirSync(dir).filter((n) => /^desk-\d{4}-\d{2}-\d{2}(\.\d+)?\.log$/.test(n));
  } catch {
    return [];
  }
  const oldest = new Date(now.getTime() - LOG_DAYS * 24 * 60 * 60 * 1000).toISOString().slice(0, 10);
  const out: [string, string][] = [];
  for (const name of names.sort()) {
    if ((name.slice(5, 15) ?? '') < oldest) continue;
    const path = join(dir, name);
    const size = statSync(path).size;
    const start = Math.max(0, size - LOG_TAIL_BYTES);
    const handle = await open(path, 'r');
    try {
      const buffer = Buffer.alloc(size - start);
      await handle.read(buffer, 0, buffer.length, start);
      out.push([name, buffer.toString('utf8')]);
    } finally {
      await handle.close();
    }
  }
  return out;
}
