import { mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { ConfigError } from '../../electron/services/config/config';
import { resolveDataDir } from '../../electron/services/config/data-dir';
import { Desk } from '../../electron/services/desk/desk';
import { foldVietnamese } from '../../electron/services/text/fold';
import { signInDesk } from '../support/desk-call';

const opened: Desk[] = [];
async function openDesk(dataDir = mkdtempSync(join(tmpdir(), 'motcua-desk-'))) {
  const desk = new Desk({ dataDir, networkPollMs: 0 });
  opened.push(desk);
  return signInDesk(desk);
}
afterEach(async () => {
  for (const desk of opened.splice(0)) await desk.close();
});

describe('desk calls', () => {
  it('records a dossier and queues it for sync in one transaction', async () => {
    const desk = await openDesk();
    const result = await desk.call('createDossier', {
      procedureName: ' Đăng ký  khai sinh ',
      applicantName: 'Lê Thị Hồng',
    });
    expect(result.ok).toBe(true);
    if (!result.ok) return;
    expect(result.value).toMatchObject({
      procedureName: 'Đăng ký khai sinh',
      applicantName: 'Lê Thị Hồng',
      status: 'received',
    });
    const outbox = desk.store.db.prepare('SELECT dossier_id, status FROM outbox').all();
    expect(outbox).toEqual([{ dossier_id: result.value.id, status: 'pending' }]);
    expect(desk.status().queue).toEqual({ pending: 1, failed: 0 });
  });

  it('keeps dossiers across a restart, newest first', async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'motcua-desk-'));
    const first = await openDesk(dataDir);
    await first.call('createDossier', { procedureName: 'Chứng thực bản sao', applicantName: 'Phạm Văn Đức' });
    await first.call('createDossier', { procedureName: 'Đăng ký kết hôn', applicantName: 'Vũ Thị Mai' });
    await first.close();
    opened.splice(opened.indexOf(first), 1);
    const again = await openDesk(dataDir);
    const list = await again.call('listDossiers', {});
    expect(list.ok && list.value.map((d) => d.applicantName)).toEqual(['Vũ Thị Mai', 'Phạm Văn Đức']);
  });

  it('searches without regard to diacritics, case or đ', async () => {
    const desk = await openDesk();
    await desk.call('createDossier', { procedureName: 'Xác nhận cư trú', applicantName: 'Đặng Quốc Đạt' });
    await desk.call('createDossier', { procedureName: 'Đăng ký khai sinh', applicantName: 'Nguyễn Văn An' });
    const names = async (query: string) => {
      const r = await desk.call('listDossiers', { query });
      return r.ok ? r.value.map((d) => d.applicantName) : r.error.message;
    };
    await expect(names('dang quoc dat')).resolves.toEqual(['Đặng Quốc Đạt']);
    await expect(names('NGUYEN')).resolves.toEqual(['Nguyễn Văn An']);
    await expect(names('cu tru')).resolves.toEqual(['Đặng Quốc Đạt']);
    await expect(names('100%')).resolves.toEqual([]);
    expect(foldVietnamese('Ủy ban   nhân dân Xã Đông Hải')).toBe('uy ban nhan dan xa dong hai');
  });

  it('rejects bad input with a Vietnamese message and records nothing', async () => {
    const desk = await openDesk();
    const bad = [
      { procedureName: '', applicantName: 'A' },
      { procedureName: 'Khai sinh', applicantName: 'x'.repeat(301) },
      { procedureName: 'Khai sinh', applicantName: 'Tên\u0000lạ' },
      { procedureName: 'Khai sinh', applicantName: 'An', extra: true },
      'not an object',
      null,
    ];
    for (const input of bad) {
      const result = await desk.call('createDossier', input);
      expect(result.ok).toBe(false);
      if (!result.ok) {
        expect(result.error.code).toBe('invalid-input');
        expect(result.error.message).toMatch(/^Thông tin nhập chưa hợp lệ/);
      }
    }
    const unknown = await desk.call('dropDatabase' as 'getStatus', undefined);
    expect(!unknown.ok && unknown.error.code).toBe('unknown-call');
    expect(desk.store.db.prepare('SELECT COUNT(*) AS n FROM dossiers').get()).toEqual({ n: 0 });
  });

  it('pushes status and dossier events to subscribers', async () => {
    const desk = await openDesk();
    const seen: string[] = [];
    desk.events.subscribe((event) => seen.push(event));
    await desk.call('createDossier', { procedureName: 'Khai sinh', applicantName: 'Hà Anh' });
    expect(seen).toEqual(['dossierChanged', 'status']);
  });

  it('reports the provincial server offline when it cannot be reached', async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'motcua-desk-'));
    writeFileSync(
      join(dataDir, 'config.json'),
      JSON.stringify({ provincialServerUrl: 'http://127.0.0.1:9/' }),
    );
    const desk = await openDesk(dataDir);
    expect(desk.status().network.state).toBe('checking');
    const status = await desk.refreshStatus();
    expect(status.network.state).toBe('offline');
  });

  it('writes no personal data into its log files', async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'motcua-desk-'));
    const desk = await signInDesk(new Desk({ dataDir, networkPollMs: 0 }));
    await desk.call('createDossier', { procedureName: 'Khai sinh', applicantName: 'Hoàng Thị Loan' });
    await desk.call('createDossier', { procedureName: '', applicantName: '038192004517' });
    await desk.close();
    const logs = readdirSync(join(dataDir, 'logs')).map((f) =>
      readFileSync(join(dataDir, 'logs', f), 'utf8'),
    );
    expect(logs.join('')).toContain('dossier.created');
    expect(logs.join('')).not.toMatch(/Hoàng|Loan|038192004517/);
  });
});

describe('configuration', () => {
  it('explains an invalid config.json instead of starting with wrong settings', () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'motcua-desk-'));
    writeFileSync(join(dataDir, 'config.json'), '{ "agencyCode": 5 }');
    expect(() => new Desk({ dataDir, networkPollMs: 0 })).toThrow(ConfigError);
    writeFileSync(join(dataDir, 'config.json'), '{ not json');
    expect(() => new Desk({ dataDir, networkPollMs: 0 })).toThrow(/not valid JSON/);
  });

  it('puts data where Electron would, unless MOTCUA_DATA_DIR says otherwise', () => {
    expect(resolveDataDir({ MOTCUA_DATA_DIR: '/srv/desk' }, 'linux', '/home/a')).toBe('/srv/desk');
    expect(resolveDataDir({}, 'linux', '/home/a')).toBe('/home/a/.config/MotCua Desk');
    expect(resolveDataDir({ XDG_CONFIG_HOME: '/x' }, 'linux', '/home/a')).toBe('/x/MotCua Desk');
    expect(resolveDataDir({ APPDATA: 'C:\\Users\\a\\AppData\\Roaming' }, 'win32', 'C:\\Users\\a')).toContain(
      'MotCua Desk',
    );
    expect(resolveDataDir({}, 'darwin', '/Users/a')).toBe('/Users/a/Library/Application Support/MotCua Desk');
  });
});
