import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { SettingView } from '../../../electron/api/desk-api';
import { format, vi } from '../../../electron/api/i18n';
import { ConfigError, loadConfig } from '../../../electron/services/config/config';
import { policyFilePath } from '../../../electron/services/config/policy-file';
import { Desk } from '../../../electron/services/desk/desk';
import { SettingsService } from '../../../electron/services/settings/settings-service';
import { signInDesk, value } from '../../support/desk-call';

const ROOT = join(import.meta.dirname, '..', '..', '..');

function motcua(args: string[], env: Record<string, string>) {
  const result = spawnSync(process.execPath, [join(ROOT, 'bin/motcua.mjs'), ...args], {
    env: { ...process.env, ...env },
    encoding: 'utf8',
    timeout: 60_000,
  });
  return { code: result.status, stdout: result.stdout, stderr: result.stderr };
}

/** A data dir with its own config.json and a policy file beside it; one key per precedence case. */
function machine() {
  const root = mkdtempSync(join(tmpdir(), 'motcua-policy-'));
  const dataDir = join(root, 'data');
  const policyFile = join(root, 'policy.json');
  const env = { MOTCUA_DATA_DIR: dataDir, MOTCUA_POLICY_FILE: policyFile };
  // agencyName: locked in policy AND set by the desk -> policy wins.
  // ocr.workers: policy default AND set by the desk -> desk wins.
  // security.idleLockMinutes: policy default only -> policy default.
  // security.retentionDays: nowhere -> built-in.
  writeFileSync(
    policyFile,
    JSON.stringify({
      agencyName: { value: 'UBND xã Tân Lập', locked: true },
      'ocr.workers': { value: 3, locked: false },
      'security.idleLockMinutes': { value: 12, locked: false },
      'update.feedUrls': { value: ['http://mirror.tinh.vn/motcua/'], locked: true },
    }),
  );
  const service = new SettingsService({ dataDir, env });
  return { root, dataDir, policyFile, env, service };
}

const opened: Desk[] = [];
afterEach(async () => {
  for (const desk of opened.splice(0)) await desk.close();
});

describe('settings with machine policy', () => {
  it('takes a locked policy value, then the desk, then a policy default, then the built-in default', () => {
    const { dataDir, env, service } = machine();
    // The desk's own config.json sets two keys, one of them locked by policy.
    const own = { agencyName: 'Tên do bàn tự đặt', ocr: { workers: 1 } };
    service.set('deskSlot', 4, 'test'); // creates config.json through the service
    const written = JSON.parse(readFileSync(join(dataDir, 'config.json'), 'utf8'));
    // Only what the desk set is written: no defaults that would hide a policy default.
    expect(written).toEqual({ deskSlot: 4 });
    writeFileSync(join(dataDir, 'config.json'), JSON.stringify({ ...own, deskSlot: 4 }));

    const byKey = new Map(service.list().map((s) => [s.key, s]));
    expect(byKey.get('agencyName')).toMatchObject({
      value: 'UBND xã Tân Lập',
      source: 'policy-locked',
      locked: true,
    });
    expect(byKey.get('ocr.workers')).toMatchObject({ value: 1, source: 'desk', locked: false });
    expect(byKey.get('security.idleLockMinutes')).toMatchObject({ value: 12, source: 'policy-default' });
    expect(byKey.get('security.retentionDays')).toMatchObject({ value: 30, source: 'built-in' });
    expect(byKey.get('deskSlot')).toMatchObject({ value: 4, source: 'desk' });
    // The desk itself runs on the same effective values.
    const config = loadConfig(dataDir, env);
    expect(config.agencyName).toBe('UBND xã Tân Lập');
    expect(config.ocr.workers).toBe(1);
    expect(config.security.idleLockMinutes).toBe(12);
    expect(config.update.feedUrls).toEqual(['http://mirror.tinh.vn/motcua/']);
  });

  it('refuses a policy with an unknown key or a value its schema rejects, naming the policy file', () => {
    const { dataDir, env, policyFile } = machine();
    writeFileSync(policyFile, JSON.stringify({ 'ocr.workers': { value: 99, locked: true } }));
    expect(() => loadConfig(dataDir, env)).toThrow(ConfigError);
    writeFileSync(policyFile, JSON.stringify({ 'ocr.nope': { value: 1 } }));
    expect(() => loadConfig(dataDir, env)).toThrow(/unknown setting ocr\.nope/);
  });

  it('finds the policy in the machine-wide folder of each OS', () => {
    expect(policyFilePath({}, 'linux')).toBe('/etc/motcua-desk/policy.json');
    expect(policyFilePath({ ProgramData: 'C:\\ProgramData' }, 'win32')).toBe(
      join('C:\\ProgramData', 'MotCua Desk', 'policy.json'),
    );
    expect(policyFilePath({ MOTCUA_POLICY_FILE: '/tmp/p.json' }, 'win32')).toBe('/tmp/p.json');
  });

  it('through the desk API: clerks read, the admin changes, a locked key is refused in Vietnamese, and it is audited', async () => {
    const { dataDir, env } = machine();
    const desk = new Desk({ dataDir, env: { ...process.env, ...env }, networkPollMs: 0 });
    opened.push(desk);
    await signInDesk(desk);
    const locked = await desk.call('setSetting', { key: 'agencyName', value: 'Tên khác' });
    expect(locked).toMatchObject({
      ok: false,
      error: { code: 'forbidden', message: format(vi.settings.locked, { key: 'agencyName' }) },
    });
    expect(locked.ok === false && locked.error.message).toContain('công nghệ thông tin quản lý');
    const invalid = await desk.call('setSetting', { key: 'ocr.workers', value: 99 });
    expect(invalid).toMatchObject({ ok: false, error: { code: 'invalid-input' } });
    const saved = await value(desk.call('setSetting', { key: 'scan.blankThreshold', value: 0.002 }));
    expect(saved).toMatchObject({ key: 'scan.blankThreshold', value: 0.002, source: 'desk' });
    const audit = desk.reception.audit.recent(5).map((e) => [e.action, e.objects.key]);
    expect(audit).toContainEqual(['settings.set', 'scan.blankThreshold']);
    expect(audit).not.toContainEqual(['settings.set', 'agencyName']);

    // A clerk (not admin) reads the settings but cannot change them.
    const clerk = await value(
      desk.call('createClerk', { name: 'Trần Thị Bình', pin: '2468', role: 'clerk' }),
    );
    await value(desk.call('signOut', null));
    await value(desk.call('signIn', { clerkId: clerk.id, pin: '2468' }));
    const read: SettingView[] = await value(desk.call('getSettings', null));
    expect(read.find((s) => s.key === 'agencyName')).toMatchObject({ source: 'policy-locked', locked: true });
    const byClerk = await desk.call('setSetting', { key: 'ocr.workers', value: 2 });
    expect(byClerk).toMatchObject({ ok: false, error: { code: 'forbidden' } });
  });

  it('through the CLI: get --json names each source; set exits 1 when locked or invalid', () => {
    const { dataDir, env: machineEnv } = machine();
    // A change is the signed-in admin's (the desk's call gate): the first account is the admin.
    const env = { ...machineEnv, MOTCUA_CLERK_PIN: '2468' };
    const added = motcua(['clerk', 'add', '--name', 'Nguyễn Văn An', '--role', 'admin', '--json'], env);
    expect(added.code, added.stderr).toBe(0);
    const admin = ['--clerk', JSON.parse(added.stdout).id as string];
    const set = motcua(['settings', 'set', 'ocr.workers', '2', ...admin], env);
    expect(set.code, set.stderr).toBe(0);
    const all = motcua(['settings', 'get', '--json'], env);
    expect(all.code, all.stderr).toBe(0);
    const sources = Object.fromEntries(
      (JSON.parse(all.stdout) as SettingView[]).map((s) => [s.key, s.source]),
    );
    expect(sources).toMatchObject({
      agencyName: 'policy-locked',
      'ocr.workers': 'desk',
      'security.idleLockMinutes': 'policy-default',
      'security.retentionDays': 'built-in',
    });
    const one = motcua(['settings', 'get', 'update.feedUrls', '--json'], env);
    expect(JSON.parse(one.stdout)).toMatchObject({
      value: ['http://mirror.tinh.vn/motcua/'],
      source: 'policy-locked',
    });
    const lockedSet = motcua(['settings', 'set', 'agencyName', 'UBND xã Khác', ...admin], env);
    expect(lockedSet.code).toBe(1);
    expect(lockedSet.stderr).toBe(`${format(vi.settings.locked, { key: 'agencyName' })}\n`);
    const invalidSet = motcua(['settings', 'set', 'update.installAt', '25:99', ...admin], env);
    expect(invalidSet.code).toBe(1);
    expect(invalidSet.stderr).toContain('Giá trị không hợp lệ cho “update.installAt”');
    expect(JSON.parse(readFileSync(join(dataDir, 'config.json'), 'utf8'))).toEqual({ ocr: { workers: 2 } });
  });
});
