import { spawnSync } from 'node:child_process';
import {
  closeSync,
  mkdirSync,
  mkdtempSync,
  openSync,
  rmSync,
  statfsSync,
  writeFileSync,
  writeSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Desk } from '../../../electron/services/desk/desk';
import { silentLogger } from '../../../electron/services/logging/logger';
import { birthReceptionArgs } from '../../support/cli-reception';

const REPO_ROOT = join(import.meta.dirname, '..', '..', '..');

/**
 * The desk's data dir on a small tmpfs that fills up during reception (CI runs as root, so it can mount one).
 * Below the reserve the desk stops taking scans with the clerk's message; at 64 KB and at 0 B free every command
 * answers in Vietnamese, never with SQLite's English; nothing received is lost, and freeing space heals it.
 */
const MiB = 1024 * 1024;
const mount = mkdtempSync(join(tmpdir(), 'motcua-tmpfs-'));
const dataDir = join(mount, 'data');
const keyFile = join(mkdtempSync(join(tmpdir(), 'motcua-tmpfs-key-')), 'data.key');
const filler = join(mount, 'filler');
let mounted = false;
let skipReason = '';
let clerkId = '';
let code = '';

const env = () =>
  ({
    ...process.env,
    MOTCUA_DATA_DIR: dataDir,
    MOTCUA_KEY_FILE: keyFile,
    MOTCUA_CLERK_PIN: '2468',
  }) as NodeJS.ProcessEnv;

/** The real command in its own process, as IT runs it (a full disk must not take the test runner down). */
async function motcua(args: string[]) {
  const run = spawnSync(process.execPath, [join(REPO_ROOT, 'bin', 'motcua.mjs'), ...args], {
    cwd: REPO_ROOT,
    env: env(),
    encoding: 'utf8',
    timeout: 90_000,
  });
  const exit = run.status ?? 99;
  return { code: exit, out: `${run.stdout}${run.stderr}${run.error ? `THROWN ${run.error.message}` : ''}` };
}

const free = () => {
  const s = statfsSync(mount);
  return Number(s.bavail) * Number(s.bsize);
};

/** Appends to the filler file until at most `target` bytes are free (0: until the disk refuses). */
function fillTo(target: number) {
  const fd = openSync(filler, 'a');
  const block = Buffer.alloc(64 * 1024, 1);
  try {
    for (let i = 0; i < 100_000 && free() > target; i++) {
      const room = free() - target;
      try {
        writeSync(fd, block, 0, Math.max(1, Math.min(block.length, room)));
      } catch (error) {
        if ((error as NodeJS.ErrnoException).code === 'ENOSPC') break;
        throw error;
      }
    }
  } finally {
    closeSync(fd);
  }
}

beforeAll(async () => {
  if (process.getuid?.() !== 0) {
    skipReason = 'not root: cannot mount a tmpfs';
    return;
  }
  const mounted_ = spawnSync('mount', ['-t', 'tmpfs', '-o', 'size=48m', 'tmpfs', mount]);
  if (mounted_.status !== 0) {
    skipReason = `mount failed: ${mounted_.stderr}`;
    return;
  }
  mounted = true;
  mkdirSync(dataDir);
  writeFileSync(
    join(dataDir, 'config.json'),
    JSON.stringify({
      agencyCode: '000.17.22.H56',
      deskSlot: 2,
      scan: { removeBlankPages: false },
      storage: { reserveMb: 16 },
    }),
  );
  const added = await motcua(['clerk', 'add', '--name', 'Nguyễn Văn An', '--role', 'admin', '--json']);
  expect(added.code, added.out).toBe(0);
  clerkId = JSON.parse(added.out).id;
  const received = await motcua(birthReceptionArgs(clerkId, join(tmpdir(), 'motcua-tmpfs-out')));
  expect(received.code, received.out).toBe(0);
  code = JSON.parse(received.out).code;
}, 240_000);

afterAll(() => {
  if (mounted) spawnSync('umount', ['-l', mount]);
});

const TRACE = /\n\s+at |THROWN|SqliteError|SQLITE_[A-Z_]+:|database or disk is full/;

describe('a full disk during reception', () => {
  it('below the reserve: no new scan, the clerk is told why, the dossiers stay readable', async (context) => {
    if (!mounted) {
      console.log(`full-disk test skipped: ${skipReason}`);
      context.skip();
    }
    fillTo(10 * MiB);
    const desk = new Desk({ dataDir, networkPollMs: 0, logger: silentLogger, env: env() });
    try {
      expect((await desk.call('signIn', { clerkId, pin: '2468' })).ok).toBe(true);
      const scan = await desk.call('startScan', {
        deviceId: 'test:0',
        settings: { source: 'adf', resolution: 75, mode: 'gray', pageSize: 'A4' },
      });
      expect(scan.ok).toBe(false);
      if (!scan.ok) expect(scan.error.message).toMatch(/dưới mức dự phòng 16 MB/);
      const status = await desk.call('getStatus', null);
      expect(status.ok && status.value.disk.belowReserve).toBe(true);
      const list = await desk.call('listDossiers', {});
      expect(list.ok && list.value.map((d) => d.code)).toEqual([code]);
    } finally {
      await desk.close();
    }
  }, 120_000);

  it('at 64 KB and at 0 B free: every command answers in Vietnamese; freeing space heals the desk', async (context) => {
    if (!mounted) context.skip();
    const problems: string[] = [];
    for (const target of [64 * 1024, 0]) {
      fillTo(target);
      for (const args of [
        ['doctor'],
        ['queue', '--clerk', clerkId],
        ['clerk', 'add', '--name', 'Trần Văn Bình', '--role', 'clerk', '--clerk', clerkId],
        ['audit', 'verify', '--clerk', clerkId],
        ['purge', '--dry-run', '--clerk', clerkId],
        ['report', 'prefill', '--clerk', clerkId],
      ]) {
        const run = await motcua(args);
        if (TRACE.test(run.out)) problems.push(`${target} B free, ${args[0]}: ${run.out.slice(0, 200)}`);
        if (run.code === 99) problems.push(`${target} B free, ${args[0]}: threw`);
      }
    }
    expect(problems).toEqual([]);
    rmSync(filler);
    expect((await motcua(['doctor'])).code).toBe(0);
    const report = await motcua(['report', 'prefill', '--json', '--clerk', clerkId]);
    expect(JSON.parse(report.out)).toEqual([expect.objectContaining({ dossiers: 1 })]);
    expect((await motcua(['audit', 'verify', '--clerk', clerkId])).code).toBe(0);
  }, 180_000);
});
