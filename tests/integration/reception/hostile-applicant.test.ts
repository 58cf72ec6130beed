import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { Desk } from '../../../electron/services/desk/desk';
import { silentLogger } from '../../../electron/services/logging/logger';
import { openStore } from '../../../electron/services/store/store';
import { signInDesk, value } from '../../support/desk-call';

/**
 * Hostile ID-card QR payloads and typed applicants at the two doors where they enter (the desk API and
 * `motcua receive`): refused with the Vietnamese reason naming the field, no stack, no dossier stored; real
 * names with diacritics, apostrophes and hyphens pass, and what is stored is the checked text.
 */
const REPO_ROOT = resolve(__dirname, '../../..');
const dirs: string[] = [];
const desks: Desk[] = [];
afterAll(async () => {
  for (const desk of desks) await desk.close();
  for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
});

function dataDir(): string {
  const dir = mkdtempSync(join(tmpdir(), 'motcua-hostile-'));
  dirs.push(dir);
  writeFileSync(
    join(dir, 'config.json'),
    JSON.stringify({ agencyCode: '000.17.22.H56', agencyName: 'UBND xã Quảng Phú', deskSlot: 0 }),
  );
  return dir;
}

const ADDRESS = 'Thôn Đông Hải, Quảng Phú, Thanh Hóa';
const card = (name: string, address: string) => `038192004517||${name}|15031992|Nữ|${address}|12082021`;
const HOSTILE_CARDS: [string, string, string][] = [
  ['U+202E in the name', card('Lê Thị\u202E gnuhN', ADDRESS), 'Họ và tên trong mã QR'],
  ['U+2067 in the name', card('Lê \u2067Thị\u2069 Nhung', ADDRESS), 'Họ và tên trong mã QR'],
  ['<script> in the name', card('<script>alert(1)</script>', ADDRESS), 'Họ và tên trong mã QR'],
  ['<b> in the name', card('<b>Lê</b> Thị Nhung', ADDRESS), 'Họ và tên trong mã QR'],
  ['a name of punctuation', card("'- -'", ADDRESS), 'Họ và tên trong mã QR'],
  ['U+202E in the address', card('Lê Thị Nhung', 'Thôn\u202E iảH gnôĐ'), 'Nơi cư trú trong mã QR'],
  ['U+2067 in the address', card('Lê Thị Nhung', 'Thôn \u2067Đông\u2069 Hải'), 'Nơi cư trú trong mã QR'],
  ['<script> in the address', card('Lê Thị Nhung', '<script>x()</script>'), 'Nơi cư trú trong mã QR'],
  ['<b> in the address', card('Lê Thị Nhung', '<b>Thôn Đông Hải</b>'), 'Nơi cư trú trong mã QR'],
  ['an empty address', card('Lê Thị Nhung', ''), 'Mã QR không có nơi cư trú.'],
];
const STACK = /\n\s+at |Error:|ZodError|\.ts:\d+/;

function dossierCount(desk: Desk): number {
  return desk.store.db.prepare('SELECT COUNT(*) FROM dossiers').pluck().get() as number;
}

describe('hostile applicant text through the desk API', () => {
  it('refuses hostile QR payloads and typed applicants, storing nothing; real names pass as checked', async () => {
    const desk = new Desk({ dataDir: dataDir(), networkPollMs: 0, logger: silentLogger });
    desks.push(desk);
    await signInDesk(desk);

    for (const [what, payload, field] of HOSTILE_CARDS) {
      const read = await desk.call('readCccdQr', { payload });
      expect(read.ok, what).toBe(false);
      if (read.ok) continue;
      expect(read.error.code).toBe('invalid-input');
      expect(read.error.message, what).toContain(field);
      expect(read.error.message).not.toMatch(STACK);
    }

    const good = { fullName: 'Lê Thị Hồng Nhung', idNumber: '038192004517', address: ADDRESS };
    const typed: [Record<string, string>, string][] = [
      [{ fullName: 'Lê Thị\u202E gnuhN' }, 'Họ và tên có ký tự ẩn làm đảo chiều chữ'],
      [{ fullName: 'Lê \u2067Thị\u2069' }, 'Họ và tên có ký tự ẩn làm đảo chiều chữ'],
      [{ fullName: '<b>Lê</b>' }, 'Họ và tên có dấu “<” hoặc “>”'],
      [{ fullName: '?!.' }, 'Họ và tên chỉ được gồm chữ cái'],
      [{ fullName: '   ' }, 'Họ và tên không được để trống.'],
      [{ idNumber: '' }, 'Số định danh cá nhân không được để trống.'],
      [{ address: 'Thôn <script>x()</script>' }, 'Địa chỉ có dấu “<” hoặc “>”'],
      [{ address: 'Thôn\u202E iảH' }, 'Địa chỉ có ký tự ẩn làm đảo chiều chữ'],
    ];
    for (const [change, message] of typed) {
      const result = await desk.call('startReception', {
        procedureCode: '1.001193',
        applicant: { ...good, ...change },
      });
      expect(result.ok, message).toBe(false);
      if (result.ok) continue;
      expect(result.error.code).toBe('invalid-input');
      expect(result.error.message.startsWith(message), result.error.message).toBe(true);
      expect(result.error.message).not.toMatch(STACK);
    }
    expect(dossierCount(desk)).toBe(0);

    // Real names pass, from the card and typed; what is stored (and shown, printed, synced) is the checked text.
    const names = ["H'Hen Niê", 'Nguyễn-Trần Thị Ánh', 'Y Moan Ênuôl'];
    for (const name of names) {
      const read = await value(desk.call('readCccdQr', { payload: card(name.normalize('NFD'), ADDRESS) }));
      expect(read.fullName).toBe(name);
      const view = await value(
        desk.call('startReception', {
          procedureCode: '1.001193',
          applicant: { ...good, fullName: ` ${name.normalize('NFD')}  `, address: ` ${ADDRESS} ` },
        }),
      );
      expect(view.applicant.fullName).toBe(name);
      expect(view.applicant.address).toBe(ADDRESS);
    }
    const stored = desk.store.db.prepare('SELECT applicant_name FROM dossiers ORDER BY created_at').pluck();
    expect(stored.all()).toEqual(names);
  }, 60_000);
});

describe('hostile QR payloads through motcua receive', () => {
  it('exits 1 with the Vietnamese reason, no stack trace, and stores no dossier', () => {
    const dir = dataDir();
    const env = {
      ...process.env,
      MOTCUA_DATA_DIR: dir,
      MOTCUA_CLERK_PIN: '2468',
      SANE_CONFIG_DIR: join(REPO_ROOT, 'tests/fixtures/sane'),
    };
    // The desk's first account (the admin, through the setup call) signs in to every receive.
    const added = spawnSync(
      process.execPath,
      [
        join(REPO_ROOT, 'bin', 'motcua.mjs'),
        'clerk',
        'add',
        '--name',
        'Nguyễn Văn An',
        '--role',
        'admin',
        '--json',
      ],
      { cwd: REPO_ROOT, env, encoding: 'utf8', timeout: 60_000 },
    );
    expect(added.status, added.stderr).toBe(0);
    const clerk = JSON.parse(added.stdout).id as string;
    for (const [what, payload, field] of HOSTILE_CARDS.slice(0, 3).concat(HOSTILE_CARDS.slice(-2))) {
      const result = spawnSync(
        process.execPath,
        [
          join(REPO_ROOT, 'bin', 'motcua.mjs'),
          'receive',
          '--procedure',
          '1.001193',
          '--scan-device',
          'test:0',
          '--applicant-qr',
          payload,
          '--clerk',
          clerk,
        ],
        { cwd: REPO_ROOT, env, encoding: 'utf8', timeout: 60_000 },
      );
      expect(result.status, `${what}: ${result.stderr}`).toBe(1);
      expect(result.stderr).toContain(field);
      expect(result.stderr).not.toMatch(STACK);
      expect(result.stdout).toBe('');
    }
    const store = openStore(dir);
    try {
      expect(store.db.prepare('SELECT COUNT(*) FROM dossiers').pluck().get()).toBe(0);
    } finally {
      store.close();
    }
  }, 180_000);
});
