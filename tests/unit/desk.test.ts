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

// Dossiers start the way the reception screen starts them: a procedure from the catalogue and the applicant.
const BIRTH = '1.001193';
const RESIDENCE = '1.004194';
let applicants = 0;
function startDossier(desk: Desk, procedureCode: string, fullName: string) {
  applicants++;
  const idNumber = `0381920045${String(applicants % 100).padStart(2, '0')}`;
  return desk.call('startReception', { procedureCode, applicant: { fullName, idNumber } });
}

describe('desk calls', () => {
  it('starts a dossier as a draft: listed, not queued for sync until it is received', async () => {
    const desk = await openDesk();
    const result = await startDossier(desk, BIRTH, ' Lê  Thị Hồng ');
    expect(result.ok).toBe(true);
    if (!result.ok) return;
    const list = await desk.call('listDossiers', {});
    expect(list.ok && list.value).toMatchObject([
      {
        id: result.value.dossierId,
        procedureName: 'Đăng ký khai sinh',
        applicantName: 'Lê Thị Hồng',
        status: 'draft',
      },
    ]);
    expect(desk.store.db.prepare('SELECT COUNT(*) AS n FROM outbox').get()).toEqual({ n: 0 });
    expect(desk.status().queue).toEqual({ pending: 0, failed: 0 });
  });

  it('keeps dossiers across a restart, newest first', async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'motcua-desk-'));
    const first = await openDesk(dataDir);
    await startDossier(first, BIRTH, 'Phạm Văn Đức');
    await startDossier(first, RESIDENCE, 'Vũ Thị Mai');
    await first.close();
    opened.splice(opened.indexOf(first), 1);
    const again = await openDesk(dataDir);
    const list = await again.call('listDossiers', {});
    expect(list.ok && list.value.map((d) => d.applicantName)).toEqual(['Vũ Thị Mai', 'Phạm Văn Đức']);
  });

  it('searches without regard to diacritics, case or đ', async () => {
    const desk = await openDesk();
    await startDossier(desk, RESIDENCE, 'Đặng Quốc Đạt');
    await startDossier(desk, BIRTH, 'Nguyễn Văn An');
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
    const applicant = { fullName: 'An', idNumber: '038192004517' };
    const bad = [
      { procedureCode: '', applicant },
      { procedureCode: BIRTH, applicant: { ...applicant, fullName: 'x'.repeat(301) } },
      { procedureCode: BIRTH, applicant: { ...applicant, fullName: 'Tên\u0000lạ' } },
      { procedureCode: BIRTH, applicant, extra: true },
      'not an object',
      null,
    ];
    for (const input of bad) {
      const result = await desk.call('startReception', input);
      expect(result.ok).toBe(false);
      if (!result.ok) {
        expect(result.error.code).toBe('invalid-input');
        // The call's schema answers with the generic text; the applicant check names the field it refuses.
        expect(result.error.message).toMatch(/^Thông tin nhập chưa hợp lệ|^Họ và tên có ký tự điều khiển/);
      }
    }
    const unknown = await desk.call('dropDatabase' as 'getStatus', undefined);
    expect(!unknown.ok && unknown.error.code).toBe('unknown-call');
    expect(desk.store.db.prepare('SELECT COUNT(*) AS n FROM dossiers').get()).toEqual({ n: 0 });
  });

  it('pushes a dossier event to subscribers', async () => {
    const desk = await openDesk();
    const seen: string[] = [];
    desk.events.subscribe((event) => seen.push(event));
    await startDossier(desk, BIRTH, 'Hà Anh');
    expect(seen).toContain('dossierChanged');
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
    await startDossier(desk, BIRTH, 'Hoàng Thị Loan');
    await desk.call('startReception', {
      procedureCode: '',
      applicant: { fullName: '038192004517', idNumber: '1' },
    });
    await desk.close();
    const logs = readdirSync(join(dataDir, 'logs')).map((f) =>
      readFileSync(join(dataDir, 'logs', f), 'utf8'),
    );
    expect(logs.join('')).toContain('reception.started');
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
