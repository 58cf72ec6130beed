import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { format, vi } from '../../electron/api/i18n';
import { openStore } from '../../electron/services/store/store';

/**
 * The CLI's call gate (issue #16), in child processes on a real data dir: a command that changes data is refused
 * without an account, an IT account may do desk operations (and is the audited actor) but never dossier work, and
 * wrong PINs at the CLI lock the account out exactly as the app's sign-in does.
 */
const ROOT = join(import.meta.dirname, '..', '..');
const root = mkdtempSync(join(tmpdir(), 'motcua-gate-'));
const dataDir = join(root, 'data');
afterAll(() => rmSync(root, { recursive: true, force: true }));

function motcua(args: string[], env: Record<string, string> = {}, input?: string) {
  const result = spawnSync(process.execPath, [join(ROOT, 'bin/motcua.mjs'), ...args], {
    env: {
      ...process.env,
      MOTCUA_DATA_DIR: dataDir,
      MOTCUA_CLERK_PIN: '',
      MOTCUA_NEW_CLERK_PIN: '',
      SANE_CONFIG_DIR: join(ROOT, 'tests', 'fixtures', 'sane'),
      ...env,
    },
    encoding: 'utf8',
    timeout: 90_000,
    ...(input !== undefined ? { input } : {}),
  });
  return { code: result.status, stdout: result.stdout, stderr: result.stderr };
}

function auditRows(): { clerk_id: string; action: string }[] {
  const store = openStore(dataDir);
  try {
    return store.db.prepare('SELECT clerk_id, action FROM audit_log ORDER BY seq').all() as {
      clerk_id: string;
      action: string;
    }[];
  } finally {
    store.close();
  }
}

const QR = '038192004517||Lê Thị Hồng Nhung|15031992|Nữ|Thôn Đông Hải, Quảng Phú, Thanh Hóa|12082021';

/** Blocks this test for `ms` (the CLI runs synchronously here): sign-in's backoff is real time. */
const pause = (ms: number) => Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, ms);

describe('motcua through the call gate', () => {
  let adminId = '';
  let itId = '';

  it('makes the first admin with the setup call, then only a signed-in admin adds accounts', () => {
    const setupRefused = motcua(['clerk', 'add', '--name', 'Trần Thị Mai', '--role', 'it'], {}, '2468\n');
    expect(setupRefused.code).toBe(1);
    expect(setupRefused.stderr).toContain(vi.gate.firstAccountAdmin);
    // Lockout after 3 wrong PINs keeps the lockout test short (the app's rule, from config).
    writeFileSync(join(dataDir, 'config.json'), JSON.stringify({ security: { pinMaxAttempts: 3 } }));
    const admin = motcua(
      ['clerk', 'add', '--name', 'Trần Thị Mai', '--role', 'admin', '--json'],
      {},
      '2468\n',
    );
    expect(admin.code, admin.stderr).toBe(0);
    adminId = JSON.parse(admin.stdout).id;

    const anonymous = motcua(['clerk', 'add', '--name', 'Lê Văn Tùng', '--role', 'it'], {
      MOTCUA_NEW_CLERK_PIN: '1357',
    });
    expect(anonymous.code).toBe(1);
    expect(anonymous.stderr).toContain(format(vi.gate.signInRequired, { command: 'clerk add' }));

    const it = motcua(
      ['clerk', 'add', '--name', 'Lê Văn Tùng', '--role', 'it', '--json', '--clerk', 'trần thị mai'],
      {
        MOTCUA_CLERK_PIN: '2468',
        MOTCUA_NEW_CLERK_PIN: '1357',
      },
    );
    expect(it.code, it.stderr).toBe(0);
    expect(JSON.parse(it.stdout)).toMatchObject({ name: 'Lê Văn Tùng', role: 'it' });
    itId = JSON.parse(it.stdout).id;
    // The signed-in admin, not the OS account, is who created the IT account.
    expect(auditRows().filter((r) => r.action === 'clerk.create')).toEqual([
      { clerk_id: adminId, action: 'clerk.create' },
    ]);
  }, 120_000);

  it('refuses a data-changing command without an account: exit 1, Vietnamese message, nothing done', () => {
    const before = auditRows().length;
    for (const args of [
      ['purge'],
      ['report', 'prefill'],
      ['receive', '--procedure', '1.001193', '--applicant-qr', QR, '--scan-device', 'test:0'],
    ]) {
      const run = motcua(args);
      expect(run.code, args.join(' ')).toBe(1);
      expect(run.stderr).toContain(vi.reception.clerks.notSignedIn);
      expect(run.stderr).toContain(
        format(vi.gate.signInRequired, {
          command: args[0] === 'report' ? 'report prefill' : (args[0] as string),
        }),
      );
    }
    expect(auditRows()).toHaveLength(before);
    const noPin = motcua(['purge', '--clerk', itId]);
    expect(noPin.code).toBe(1);
    expect(noPin.stderr).toContain(format(vi.gate.pinMissing, { clerk: itId }));
  }, 120_000);

  it('lets the IT account run desk operations, audited as that account, but never dossier work', () => {
    const purge = motcua(['purge', '--json', '--clerk', 'Lê Văn Tùng'], { MOTCUA_CLERK_PIN: '1357' });
    expect(purge.code, purge.stderr).toBe(0);
    expect(JSON.parse(purge.stdout)).toMatchObject({
      dryRun: false,
      dossiers: 0,
      retentionDays: expect.any(Number),
    });
    const rows = auditRows();
    expect(rows.slice(-2)).toEqual([
      { clerk_id: itId, action: 'session.sign-in' },
      { clerk_id: itId, action: 'retention.purge-run' },
    ]);

    const verify = motcua(['audit', 'verify', '--json', '--clerk', itId], { MOTCUA_CLERK_PIN: '1357' });
    expect(verify.code, verify.stderr).toBe(0);
    expect(JSON.parse(verify.stdout)).toMatchObject({ ok: true, entries: rows.length + 1 });

    const receive = motcua(
      [
        'receive',
        '--procedure',
        '1.001193',
        '--applicant-qr',
        QR,
        '--scan-device',
        'test:0',
        '--clerk',
        itId,
      ],
      { MOTCUA_CLERK_PIN: '1357' },
    );
    expect(receive.code).toBe(1);
    expect(receive.stderr).toContain(vi.gate.clerkWorkOnly);

    // Key rotation: the gate checks the account and records it; the rotation runs with the desk closed.
    const rotated = motcua(['key', 'rotate', '--json', '--clerk', itId], { MOTCUA_CLERK_PIN: '1357' });
    expect(rotated.code, rotated.stderr).toBe(0);
    expect(JSON.parse(rotated.stdout)).toMatchObject({ rotated: true });
    expect(auditRows().slice(-2)).toEqual([
      { clerk_id: itId, action: 'session.sign-in' },
      { clerk_id: itId, action: 'key.rotate' },
    ]);
  }, 120_000);

  it('counts wrong PINs at the CLI toward the lockout, like the app', () => {
    const wrong = motcua(['queue', '--clerk', itId], { MOTCUA_CLERK_PIN: '0000' });
    expect(wrong.code).toBe(1);
    expect(wrong.stderr).toContain(format(vi.reception.clerks.wrongPin, { left: 2 }));
    // After a wrong PIN the next one waits out the backoff (1 s, then 2 s), at the CLI as in the app.
    pause(1_100);
    expect(motcua(['queue', '--clerk', itId], { MOTCUA_CLERK_PIN: '0001' }).stderr).toContain(
      format(vi.reception.clerks.wrongPin, { left: 1 }),
    );
    pause(2_100);
    const third = motcua(['queue', '--clerk', itId], { MOTCUA_CLERK_PIN: '0002' });
    expect(third.code).toBe(1);
    expect(third.stderr).toMatch(/khóa/i);
    // Locked out: even the right PIN is refused until the lockout ends.
    const right = motcua(['queue', '--clerk', itId], { MOTCUA_CLERK_PIN: '1357' });
    expect(right.code).toBe(1);
    expect(right.stderr).toBe(third.stderr);
    expect(
      auditRows()
        .filter((r) => r.clerk_id === itId)
        .map((r) => r.action),
    ).toContain('session.locked-out');
  }, 120_000);
});
