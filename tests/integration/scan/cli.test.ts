import { spawnSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { vi as messages } from '../../../electron/api/i18n';
import { createItAccount } from '../../support/cli-accounts';
import { REPO_ROOT, tempDir } from './helpers';

/** Runs the real `motcua` front door in a child process (its own libsane), with its own data dir. */
function motcua(args: string[], env: Record<string, string>) {
  const result = spawnSync(process.execPath, [join(REPO_ROOT, 'bin', 'motcua.mjs'), ...args], {
    cwd: REPO_ROOT,
    env: { ...process.env, ...env },
    encoding: 'utf8',
    timeout: 60_000,
  });
  return { code: result.status, stdout: result.stdout, stderr: result.stderr };
}

function saneConfig(devices: number | null): string {
  const dir = tempDir('motcua-sane-');
  writeFileSync(join(dir, 'dll.conf'), devices === null ? '' : 'test\n');
  if (devices !== null)
    writeFileSync(join(dir, 'test.conf'), `number_of_devices ${devices}\ngeometry_max 300.0\n`);
  return dir;
}

describe('motcua scanners / scan', () => {
  const dataDir = tempDir();
  const env: Record<string, string> = {
    MOTCUA_DATA_DIR: dataDir,
    SANE_CONFIG_DIR: join(REPO_ROOT, 'tests', 'fixtures', 'sane'),
  };
  // `scan` stores a batch in the data dir: the IT account signs in (issue #16); `scanners` needs nobody.
  let signIn: string[] = [];
  beforeAll(async () => {
    const account = await createItAccount(dataDir, { ...process.env, ...env });
    signIn = account.args;
    Object.assign(env, account.env);
  });

  it('lists scanners with their capabilities', () => {
    const { code, stdout } = motcua(['scanners', '--json'], env);
    expect(code).toBe(0);
    const { devices } = JSON.parse(stdout);
    expect(devices).toHaveLength(1);
    expect(devices[0]).toMatchObject({
      id: 'test:0',
      vendor: 'Noname',
      model: 'frontend-tester',
      capabilities: { sources: ['flatbed', 'adf'], modes: ['color', 'gray', 'bw'] },
    });
  });

  it('scans until the feeder is empty, and the saved profile follows the model to a new device id', () => {
    const first = motcua(
      [
        ...['scan', ...signIn],
        '--device',
        'test:0',
        '--source',
        'adf',
        '--resolution',
        '50',
        '--mode',
        'gray',
        '--page-size',
        'A5',
        '--save-profile',
        'Hồ sơ xám',
        '--json',
      ],
      env,
    );
    expect(first.code, first.stderr).toBe(0);
    const batch = JSON.parse(first.stdout);
    expect(batch.pages).toHaveLength(10);
    expect(batch.pages[0]).toMatchObject({ seq: 1, width: 291, height: 413, dpi: 50, channels: 1 });
    expect(batch.timings.elapsedMs).toBeGreaterThan(0);

    // Two test devices: the same model now also answers as test:1, a device id the profile never saw.
    const replugged = motcua(['scan', ...signIn, '--device', 'test:1', '--source', 'flatbed', '--json'], {
      ...env,
      SANE_CONFIG_DIR: saneConfig(2),
    });
    expect(replugged.code, replugged.stderr).toBe(0);
    const second = JSON.parse(replugged.stdout);
    expect(second.device.id).toBe('test:1');
    expect(second.profile).toBe('Hồ sơ xám');
    expect(second.settings).toMatchObject({
      source: 'flatbed',
      resolution: 50,
      mode: 'gray',
      pageSize: 'A5',
    });
    expect(second.pages).toHaveLength(1);
  });

  it('writes a PDF of the batch with --out', () => {
    const out = join(tempDir(), 'batch.pdf');
    const { code, stdout, stderr } = motcua(
      [
        ...['scan', ...signIn],
        '--device',
        'test:0',
        '--source',
        'flatbed',
        '--resolution',
        '75',
        '--mode',
        'bw',
        '--page-size',
        'A5',
        '--out',
        out,
        '--json',
      ],
      env,
    );
    expect(code, stderr).toBe(0);
    expect(JSON.parse(stdout).pdf.bytes).toBeGreaterThan(0);
    expect(readFileSync(out).subarray(0, 5).toString()).toBe('%PDF-');
  });

  it('fails with the clerk message on device errors and with exit 2 on a wrong command line', () => {
    const gone = motcua(['scan', ...signIn, '--device', 'test:7', '--source', 'flatbed'], env);
    expect(gone.code).toBe(1);
    expect(gone.stderr.trim()).toBe(messages.scan.errors.disconnected);
    const none = motcua(['scanners'], { ...env, SANE_CONFIG_DIR: saneConfig(null) });
    expect(none.code).toBe(1);
    expect(none.stderr.trim()).toBe(messages.scan.errors['no-scanner']);
    const usage = motcua(['scan', ...signIn, '--device', 'test:0', '--source', 'tray'], env);
    expect(usage.code).toBe(2);
    expect(usage.stderr).toContain('tray');
  });
});
