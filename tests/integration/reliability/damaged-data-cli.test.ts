import {
  cpSync,
  mkdtempSync,
  openSync,
  readdirSync,
  rmSync,
  statSync,
  writeFileSync,
  writeSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { runCli } from '../../../electron/cli/main';
import { DATABASE_FILE_NAME } from '../../../electron/services/store/store';
import { BIRTH_APPLICANT_QR, birthReceptionArgs } from '../../support/cli-reception';
import { prng } from '../../support/prng';

/**
 * Every CLI command against every kind of damage a desk's data meets in the field. Each must answer with a
 * Vietnamese message and exit 1 (or work, where the damage does not concern it), never a stack trace, never
 * exit 0 claiming health over damage; and once the damage is undone the desk opens as before.
 * The commands run in this process through the same dispatcher `bin/motcua.mjs` calls.
 */
const CONFIG = { agencyCode: '000.17.22.H56', deskSlot: 2, scan: { removeBlankPages: false } };
const root = mkdtempSync(join(tmpdir(), 'motcua-damage-'));
const pristine = join(root, 'pristine');

async function motcua(dataDir: string, args: string[]) {
  let stdout = '';
  let stderr = '';
  let code: number;
  const env = {
    ...process.env,
    MOTCUA_DATA_DIR: dataDir,
    MOTCUA_CLERK_PIN: '2468',
    MOTCUA_NEW_CLERK_PIN: '1357',
  } as NodeJS.ProcessEnv;
  delete env.MOTCUA_KEY_FILE;
  try {
    code = await runCli(args, {
      stdout: (text) => {
        stdout += text;
      },
      stderr: (text) => {
        stderr += text;
      },
      env,
    });
  } catch (error) {
    // The dispatcher must never let an error out: that is what prints a stack trace.
    stderr += `THROWN ${(error as Error).stack}`;
    code = 99;
  }
  return { code, stdout, stderr, all: stdout + stderr };
}

/** A copy of the pristine desk (data dir and its key file beside it) to damage. */
function copyDesk(name: string): string {
  const dir = join(root, name, 'data');
  cpSync(join(pristine, 'data'), dir, { recursive: true });
  cpSync(join(pristine, 'data.key'), `${dir}.key`);
  return dir;
}

function overwrite(file: string, offset: number, bytes: Buffer) {
  const fd = openSync(file, 'r+');
  writeSync(fd, bytes, 0, bytes.length, offset);
}

const random = prng(1766);
const randomBytes = (n: number) => Buffer.from(Array.from({ length: n }, () => Math.floor(random() * 256)));

const DAMAGE: Record<string, (dir: string) => void> = {
  'database deleted': (dir) => rmSync(join(dir, DATABASE_FILE_NAME)),
  'database truncated to 0 bytes': (dir) => writeFileSync(join(dir, DATABASE_FILE_NAME), ''),
  'database header overwritten': (dir) => overwrite(join(dir, DATABASE_FILE_NAME), 0, randomBytes(1024)),
  'random bytes inside the database': (dir) => {
    const file = join(dir, DATABASE_FILE_NAME);
    const size = statSync(file).size;
    // Inside the tables' pages, away from page 1 (whose damage the header case covers).
    for (const at of [0.3, 0.5, 0.7, 0.9]) overwrite(file, Math.floor(size * at), randomBytes(512));
  },
  'key file missing': (dir) => rmSync(`${dir}.key`),
  'config.json not JSON': (dir) => writeFileSync(join(dir, 'config.json'), '{"agencyCode": "000.17.22.H56",'),
  'config.json with a wrong type': (dir) => writeFileSync(join(dir, 'config.json'), '{"deskSlot": "hai"}'),
};

/** The admin made in beforeAll signs in to every command that needs an account (`--clerk`, the PIN in env). */
let admin = '';
const COMMANDS: (() => string[])[] = [
  () => ['doctor'],
  () => ['doctor', '--json'],
  () => ['queue', '--clerk', admin],
  () => ['queue', '--json', '--clerk', admin],
  () => ['sync', '--once', '--clerk', admin],
  () => ['purge', '--dry-run', '--clerk', admin],
  () => ['key', 'status', '--clerk', admin],
  () => ['audit', 'verify', '--clerk', admin],
  () => ['report', 'prefill', '--clerk', admin],
  () => ['clerk', 'add', '--name', 'Trần Văn Bình', '--role', 'clerk', '--clerk', admin],
  () => [
    'receive',
    '--procedure',
    '1.001193',
    '--scan-device',
    'test:0',
    '--applicant-qr',
    BIRTH_APPLICANT_QR,
    '--clerk',
    admin,
  ],
];

const TRACE = /\n\s+at |THROWN|SqliteError|ZodError|TypeError|SQLITE_[A-Z_]+:/;
const VIETNAMESE = /[ăâđêôơưạảấầẩẫậắằẳẵặẹẻẽếềểễệỉịọỏốồổỗộớờởỡợụủứừửữựỳỵỷỹ]/i;

beforeAll(async () => {
  const dir = join(pristine, 'data');
  await motcua(dir, ['doctor']); // makes the data dir and its key, as a first start does
  writeFileSync(join(dir, 'config.json'), JSON.stringify(CONFIG));
  const added = await motcua(dir, ['clerk', 'add', '--name', 'Nguyễn Văn An', '--role', 'admin', '--json']);
  expect(added.code, added.all).toBe(0);
  admin = JSON.parse(added.stdout).id as string;
  const clerk = admin;
  const received = await motcua(dir, birthReceptionArgs(clerk, join(root, 'out')));
  expect(received.code, received.all).toBe(0);
  expect(readdirSync(join(dir, 'files')).length).toBeGreaterThan(0);
}, 240_000);

describe('every CLI command against damaged data: a Vietnamese message, never a stack trace', () => {
  for (const [damage, apply] of Object.entries(DAMAGE)) {
    it(damage, async () => {
      const dir = copyDesk(damage.replace(/\W+/g, '-'));
      apply(dir);
      const failures: string[] = [];
      for (const command of COMMANDS) {
        const args = command();
        const run = await motcua(dir, args);
        const name = args.slice(0, 2).join(' ');
        if (TRACE.test(run.all)) failures.push(`${name}: stack trace or raw error: ${run.all.slice(0, 300)}`);
        if (run.code !== 0 && run.code !== 1) failures.push(`${name}: exit ${run.code}`);
        if (run.code === 1 && !VIETNAMESE.test(run.all)) failures.push(`${name}: no Vietnamese message`);
        if (args[0] === 'doctor' && run.code === 0) failures.push(`${name}: says healthy over "${damage}"`);
      }
      expect(failures).toEqual([]);

      // The damage undone (the backup put back): the desk opens and its dossier is there.
      rmSync(join(root, damage.replace(/\W+/g, '-')), { recursive: true, force: true });
      const healed = copyDesk(`${damage.replace(/\W+/g, '-')}-healed`);
      const doctor = await motcua(healed, ['doctor', '--json']);
      expect(doctor.code, doctor.all).toBe(0);
      const report = await motcua(healed, ['report', 'prefill', '--json', '--clerk', admin]);
      expect(JSON.parse(report.stdout)).toEqual([expect.objectContaining({ dossiers: 1 })]);
    }, 180_000);
  }
});
