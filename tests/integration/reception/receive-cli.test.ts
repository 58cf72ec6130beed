import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { openStore } from '../../../electron/services/store/store';
import { pdfText } from '../../support/poppler';

/** `motcua clerk add` and `motcua receive` in a child process: real libsane test ADF, real SQLite, real PDFs. */
const REPO_ROOT = resolve(__dirname, '../../..');
const QR = '038192004517||Lê Thị Hồng Nhung|15031992|Nữ|Thôn Đông Hải, Quảng Phú, Thanh Hóa|12082021';
const dataDir = mkdtempSync(join(tmpdir(), 'motcua-receive-'));
const outDir = mkdtempSync(join(tmpdir(), 'motcua-receive-out-'));
afterAll(() => {
  rmSync(dataDir, { recursive: true, force: true });
  rmSync(outDir, { recursive: true, force: true });
});
writeFileSync(
  join(dataDir, 'config.json'),
  // The virtual scanner's pages are solid black, which blank-page removal would drop.
  JSON.stringify({
    agencyCode: '000.17.22.H56',
    agencyName: 'UBND xã Quảng Phú',
    deskSlot: 2,
    scan: { removeBlankPages: false },
  }),
);

function motcua(args: string[], env: Record<string, string> = {}, input?: string) {
  const result = spawnSync(process.execPath, [join(REPO_ROOT, 'bin', 'motcua.mjs'), ...args], {
    cwd: REPO_ROOT,
    env: {
      ...process.env,
      MOTCUA_DATA_DIR: dataDir,
      SANE_CONFIG_DIR: join(REPO_ROOT, 'tests', 'fixtures', 'sane'),
      MOTCUA_CLERK_PIN: '',
      ...env,
    },
    encoding: 'utf8',
    timeout: 120_000,
    ...(input !== undefined ? { input } : {}),
  });
  return { code: result.status, stdout: result.stdout, stderr: result.stderr };
}

const receiveArgs = ['receive', '--procedure', '1.001193', '--scan-device', 'test:0', '--resolution', '75'];

describe('motcua clerk add / receive', () => {
  let clerkId = '';
  /** As the admin made below, signed in through the desk's gate (issue #16). */
  const signed = (args: string[]) => motcua([...args, '--clerk', clerkId], { MOTCUA_CLERK_PIN: '2468' });

  it('adds a clerk with the PIN from stdin, refusing a PIN that is not 4–8 digits', () => {
    const bad = motcua(['clerk', 'add', '--name', 'Nguyễn Văn An', '--role', 'admin'], {}, '12\n');
    expect(bad.code).toBe(1);
    expect(bad.stderr).toContain('Mã PIN phải gồm từ 4 đến 8 chữ số.');
    const added = motcua(
      ['clerk', 'add', '--name', 'Nguyễn Văn An', '--role', 'admin', '--json'],
      {},
      '2468\n',
    );
    expect(added.code).toBe(0);
    const clerk = JSON.parse(added.stdout);
    expect(clerk).toMatchObject({ name: 'Nguyễn Văn An', role: 'admin' });
    clerkId = clerk.id;
  });

  it('receives a 3-component birth registration from one ADF batch split by page counts', () => {
    const wrongPin = motcua(
      [...receiveArgs, '--applicant-qr', QR, '--clerk', clerkId, '--pages-per-component', '4,3,3'],
      { MOTCUA_CLERK_PIN: '1357' },
    );
    expect(wrongPin.code).toBe(1);
    expect(wrongPin.stderr).toContain('Mã PIN không đúng. Còn 4 lần thử.');

    const run = motcua(
      [
        ...receiveArgs,
        '--applicant-qr',
        QR,
        '--clerk',
        clerkId,
        '--pages-per-component',
        '4,3,3',
        '--out',
        outDir,
        '--json',
      ],
      { MOTCUA_CLERK_PIN: '2468' },
    );
    expect(run.stderr).toBe('');
    expect(run.code).toBe(0);
    const result = JSON.parse(run.stdout);
    expect(result.code).toMatch(/^000\.17\.22\.H56-\d{6}-2001$/);
    expect(
      result.components.map((c: { code: string; status: string; pageCount: number }) => [
        c.code,
        c.status,
        c.pageCount,
      ]),
    ).toEqual([
      ['KS-01', 'scanned', 4],
      ['KS-02', 'scanned', 3],
      ['KS-03', 'scanned', 3],
      ['KS-04', 'missing', 0],
    ]);
    expect(existsSync(result.receiptPdf)).toBe(true);
    const text = pdfText(new Uint8Array(readFileSync(result.receiptPdf))).replace(/\s+/g, ' ');
    expect(text).toContain(result.code);
    expect(text).toContain('Lê Thị Hồng Nhung');
    expect(text).toContain('Nguyễn Văn An');
    // Every dossier step is the signed-in clerk's in the audit log, never the OS account's.
    const store = openStore(dataDir);
    const actors = store.db
      .prepare(`SELECT DISTINCT clerk_id FROM audit_log WHERE action LIKE 'dossier.%'`)
      .all() as { clerk_id: string }[];
    store.close();
    expect(actors).toEqual([{ clerk_id: clerkId }]);
  }, 180_000);

  it('once-only: the same applicant again reuses the digitized components; a new one needs them scanned', () => {
    const again = signed([...receiveArgs, '--applicant-qr', QR, '--out', outDir, '--json']);
    expect(again.code).toBe(0);
    const result = JSON.parse(again.stdout);
    expect(result.code).toMatch(/-2002$/);
    expect(result.components.slice(0, 3).map((c: { status: string }) => c.status)).toEqual([
      'reused',
      'reused',
      'reused',
    ]);

    const stranger = '038090001234||Trần Văn Bình|01011990|Nam|Xóm 3, Quảng Phú, Thanh Hóa|01022022';
    const refused = signed([...receiveArgs, '--applicant-qr', stranger, '--out', outDir, '--json']);
    expect(refused.code).toBe(1);
    expect(refused.stderr).toContain('Thành phần bắt buộc “Giấy chứng sinh');
    const mismatch = signed([
      ...receiveArgs,
      '--applicant-qr',
      stranger,
      '--pages-per-component',
      '1,1',
      '--out',
      outDir,
    ]);
    expect(mismatch.code).toBe(1);
    expect(mismatch.stderr).toContain('Lô quét có 10 trang nhưng --pages-per-component cần 2 trang');
    const audit = signed(['audit', 'verify', '--json']);
    expect(audit.code).toBe(0);
  }, 240_000);

  it('reports, per procedure, fields pre-filled from the ID card QR vs typed', () => {
    const report = signed(['report', 'prefill', '--json']);
    expect(report.code).toBe(0);
    const rows = JSON.parse(report.stdout) as {
      procedureCode: string;
      dossiers: number;
      prefilled: number;
      typed: number;
    }[];
    // The two received dossiers; the refused attempts stayed drafts and do not count.
    expect(rows).toEqual([expect.objectContaining({ procedureCode: '1.001193', dossiers: 2, typed: 0 })]);
    expect(rows[0]?.prefilled).toBeGreaterThanOrEqual(10);
    const text = signed(['report', 'prefill', '--from', '2000-01-01']);
    expect(text.stdout).toContain('1.001193');
    expect(text.stdout).toContain('(100% điền sẵn)');
    const future = signed(['report', 'prefill', '--from', '2099-01-01']);
    expect(future.stdout).toContain('Chưa có hồ sơ nào');
    for (const to of ['31/12/2026', '2026-02-30', '2999-01-01']) {
      const bad = signed(['report', 'prefill', '--to', to]);
      expect(bad.code).toBe(2);
      expect(bad.stderr).toContain('--to phải là ngày dạng năm-tháng-ngày');
    }
  }, 60_000);
});
