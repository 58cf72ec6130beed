import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { BIRTH_APPLICANT_QR, birthReceptionArgs } from '../../support/cli-reception';

/**
 * The field failure this guards against: `motcua.db` deleted (a lost file, a botched copy) and the desk silently
 * starting over, issuing `…-2001` of a day already queued for the province. Through the real CLI, real libsane.
 */
const REPO_ROOT = resolve(__dirname, '../../..');
const root = mkdtempSync(join(tmpdir(), 'motcua-lostdb-'));
const dataDir = join(root, 'data');
afterAll(() => rmSync(root, { recursive: true, force: true }));

function motcua(args: string[], env: Record<string, string> = {}, input?: string) {
  const result = spawnSync(process.execPath, [join(REPO_ROOT, 'bin', 'motcua.mjs'), ...args], {
    cwd: root,
    env: {
      ...process.env,
      MOTCUA_DATA_DIR: dataDir,
      SANE_CONFIG_DIR: join(REPO_ROOT, 'tests', 'fixtures', 'sane'),
      MOTCUA_CLERK_PIN: '2468',
      ...env,
    },
    encoding: 'utf8',
    timeout: 120_000,
    ...(input !== undefined ? { input } : {}),
  });
  return { code: result.status, stdout: result.stdout, stderr: result.stderr };
}

function addAdmin(): string {
  const added = motcua(
    ['clerk', 'add', '--name', 'Nguyễn Văn An', '--role', 'admin', '--json'],
    {},
    '2468\n',
  );
  expect(added.stderr).toBe('');
  return JSON.parse(added.stdout).id as string;
}

function receive(clerkId: string): string {
  const run = motcua(birthReceptionArgs(clerkId, join(root, 'out')));
  expect(run.stderr).toBe('');
  expect(run.code).toBe(0);
  return JSON.parse(run.stdout).code as string;
}

const stackTrace = /\n\s+at |Error:/;

describe('a deleted database never re-issues a code (CLI)', () => {
  it('refuses, tells IT how to restore, and after a deliberate fresh start continues after the last code', () => {
    mkdirSync(dataDir, { recursive: true });
    writeFileSync(
      join(dataDir, 'config.json'),
      JSON.stringify({ agencyCode: '000.17.22.H56', deskSlot: 2, scan: { removeBlankPages: false } }),
    );
    const clerk = addAdmin();
    const first = receive(clerk);
    expect(first).toMatch(/-2001$/);

    for (const suffix of ['', '-wal', '-shm']) rmSync(join(dataDir, `motcua.db${suffix}`), { force: true });

    const doctor = motcua(['doctor']);
    expect(doctor.code).toBe(1);
    expect(doctor.stdout + doctor.stderr).toMatch(/bị mất hoặc rỗng/);
    const refused = motcua([
      'receive',
      '--procedure',
      '1.001193',
      '--scan-device',
      'test:0',
      '--applicant-qr',
      BIRTH_APPLICANT_QR,
    ]);
    expect(refused.code).toBe(1);
    expect(refused.stderr).toMatch(/motcua recover --start-fresh/);
    expect(refused.stdout + refused.stderr).not.toMatch(stackTrace);
    expect(existsSync(join(dataDir, 'motcua.db'))).toBe(false);

    const unconfirmed = motcua(['recover', '--start-fresh']);
    expect(unconfirmed.code).toBe(2);
    expect(existsSync(join(dataDir, 'motcua.db'))).toBe(false);
    const recovered = motcua(['recover', '--start-fresh', '--confirm', '--json']);
    expect(recovered.stderr).toBe('');
    expect(recovered.code).toBe(0);

    const again = receive(addAdmin());
    expect(again).not.toBe(first);
    expect(Number(again.slice(-4))).toBeGreaterThan(Number(first.slice(-4)));
  }, 240_000);
});
