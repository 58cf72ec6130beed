import { spawnSync } from 'node:child_process';
import { chmodSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import BetterSqlite3 from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { format, vi } from '../../electron/api/i18n';
import { resolveDataKey } from '../../electron/services/store/data-key';
import { migrations } from '../../electron/services/store/migrations';
import { DATABASE_FILE_NAME, openStore } from '../../electron/services/store/store';
import { applyDatabaseKey } from '../../electron/services/store/subkeys';
import packageJson from '../../package.json';

const ROOT = join(import.meta.dirname, '..', '..');
function motcua(args: string[], env: Record<string, string> = {}) {
  const result = spawnSync(process.execPath, [join(ROOT, 'bin/motcua.mjs'), ...args], {
    env: { ...process.env, ...env },
    encoding: 'utf8',
  });
  return { code: result.status, stdout: result.stdout, stderr: result.stderr };
}

describe('motcua CLI', () => {
  it('prints its version', () => {
    expect(motcua(['--version'])).toMatchObject({ code: 0, stdout: `${packageJson.version}\n` });
  });

  it('exits 2 with a Vietnamese message on an unknown command or flag', () => {
    const unknown = motcua(['nope']);
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toContain('Không có lệnh “nope”');
    const badFlag = motcua(['doctor', '--frobnicate']);
    expect(badFlag.code).toBe(2);
    expect(badFlag.stderr).toContain('không có tùy chọn “--frobnicate”');
    expect(motcua(['doctor', 'extra']).code).toBe(2);
  });

  it('any command meeting an exposed data key file says so in Vietnamese and exits 1', () => {
    const dataDir = join(mkdtempSync(join(tmpdir(), 'motcua-key-')), 'data');
    // doctor opens the desk (no sign-in), which makes the data dir and its key file.
    expect(motcua(['doctor', '--json'], { MOTCUA_DATA_DIR: dataDir }).stdout).toContain('"database"');
    chmodSync(`${dataDir}.key`, 0o644);
    for (const args of [
      ['audit', 'verify'],
      ['purge', '--dry-run'],
      ['key', 'status'],
    ]) {
      const run = motcua(args, { MOTCUA_DATA_DIR: dataDir });
      expect(run.code, args.join(' ')).toBe(1);
      expect(run.stderr).toBe(
        `${format(vi.security.keyErrors['key-file-exposed'], { file: `${dataDir}.key` })}\n`,
      );
    }
  });

  it('any command meeting a database from a newer app says so in Vietnamese and exits 1, changing nothing', () => {
    const dataDir = join(mkdtempSync(join(tmpdir(), 'motcua-schema-')), 'data');
    const store = openStore(dataDir);
    const newer = migrations.length + 1;
    store.db.pragma(`user_version = ${newer}`);
    store.close();
    const expected = format(vi.store.openErrors['schema-too-new'], {
      found: newer,
      known: migrations.length,
    });
    for (const args of [
      ['audit', 'verify'],
      ['purge', '--dry-run'],
    ]) {
      const run = motcua(args, { MOTCUA_DATA_DIR: dataDir });
      expect(run.code, args.join(' ')).toBe(1);
      expect(run.stderr).toBe(`${expected}\n`);
    }
    // doctor reports it with the same words.
    const doctor = JSON.parse(motcua(['doctor', '--json'], { MOTCUA_DATA_DIR: dataDir }).stdout);
    expect(doctor.checks.find((c: { id: string }) => c.id === 'database')).toMatchObject({
      level: 'fail',
      message: expected,
    });
    // The web host (the browser build's back end) refuses to start with the same words.
    const host = spawnSync(
      process.execPath,
      ['--import', 'tsx', join(ROOT, 'electron/host/main.ts'), '--port', '0'],
      {
        cwd: ROOT,
        env: { ...process.env, MOTCUA_DATA_DIR: dataDir },
        encoding: 'utf8',
        timeout: 60_000,
      },
    );
    expect(host.status).toBe(1);
    expect(host.stderr).toBe(`${expected}\n`);
    // Nothing was changed: the database still says it is the newer version.
    const db = new BetterSqlite3(join(dataDir, DATABASE_FILE_NAME), { readonly: true });
    applyDatabaseKey(db, resolveDataKey(dataDir).key);
    expect(db.pragma('user_version', { simple: true })).toBe(newer);
    db.close();
  });

  it('doctor --json gives one entry per check on a fresh data dir', () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'motcua-doctor-'));
    const { code, stdout } = motcua(['doctor', '--json'], { MOTCUA_DATA_DIR: dataDir });
    const report = JSON.parse(stdout);
    expect(report.dataDir).toBe(dataDir);
    expect(report.checks.map((c: { id: string }) => c.id)).toEqual([
      'dataDir',
      'database',
      'files',
      'disk',
      'scanner',
      'ocrData',
      'provincial',
    ]);
    for (const check of report.checks) expect(['ok', 'warn', 'fail']).toContain(check.level);
    expect(report.checks.find((c: { id: string }) => c.id === 'database').level).toBe('ok');
    // The OCR check names the model each language runs on: the Vietnamese one the app ships.
    const ocr = report.checks.find((c: { id: string }) => c.id === 'ocrData');
    expect(ocr).toMatchObject({ level: 'ok', message: expect.stringContaining('vie (tessdata_fast 4.1.0)') });
    expect(ocr.detail).toContain(join('assets', 'tessdata', 'vie.traineddata.gz'));
    expect(code).toBe(report.healthy ? 0 : 1);
  });

  it('doctor fails, with the reason, when the data dir cannot be written or the config is broken', () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'motcua-doctor-'));
    writeFileSync(join(dataDir, 'config.json'), '{"provincialServerUrl": "not a url"}');
    const broken = motcua(['doctor', '--json'], { MOTCUA_DATA_DIR: dataDir });
    expect(broken.code).toBe(1);
    expect(JSON.parse(broken.stdout).checks.find((c: { id: string }) => c.id === 'provincial')).toMatchObject(
      { level: 'fail' },
    );

    const notADir = join(dataDir, 'config.json');
    const unwritable = motcua(['doctor', '--json'], { MOTCUA_DATA_DIR: notADir });
    expect(unwritable.code).toBe(1);
    expect(JSON.parse(unwritable.stdout).checks[0]).toMatchObject({ id: 'dataDir', level: 'fail' });
  });

  it('doctor sees an unreachable provincial server as a warning, not a failure', () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'motcua-doctor-'));
    writeFileSync(join(dataDir, 'config.json'), '{"provincialServerUrl": "http://127.0.0.1:9/"}');
    const { stdout } = motcua(['doctor', '--json'], { MOTCUA_DATA_DIR: dataDir });
    expect(JSON.parse(stdout).checks.find((c: { id: string }) => c.id === 'provincial').level).toBe('warn');
  });
});
