import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { unzipSync } from 'fflate';
import { afterEach, describe, expect, it } from 'vitest';
import type { DeskEvents, ScanSettingsView } from '../../../electron/api/desk-api';
import { Desk } from '../../../electron/services/desk/desk';
import { foldVietnamese } from '../../../electron/services/text/fold';
import { signInDesk, TEST_ADMIN, value } from '../../support/desk-call';

const ROOT = join(import.meta.dirname, '..', '..', '..');
const small: ScanSettingsView = { source: 'adf', resolution: 75, mode: 'gray', pageSize: 'A5' };
const applicants = [
  {
    fullName: 'Lê Thị Hồng Nhung',
    idNumber: '038192004517',
    dateOfBirth: '1992-03-15',
    sex: 'Nữ',
    address: 'Thôn Đông Hải, Quảng Phú, Thanh Hóa',
  },
  {
    fullName: 'Nguyễn Đức Thắng',
    idNumber: '001088012345',
    dateOfBirth: '1988-07-09',
    sex: 'Nam',
    address: 'Số 12 ngõ Hòe Nhai, Ba Đình, Hà Nội',
  },
];
const opened: Desk[] = [];
afterEach(async () => {
  for (const desk of opened.splice(0)) await desk.close();
});

async function scanBatch(desk: Desk): Promise<string> {
  const { batchId } = await value(desk.call('startScan', { deviceId: 'test:0', settings: small }));
  await new Promise<void>((resolve) => {
    const off = desk.events.subscribe((event, payload) => {
      if (event === 'scanEnded' && (payload as DeskEvents['scanEnded']).batchId === batchId) {
        off();
        resolve();
      }
    });
  });
  return batchId;
}

/** Every spelling a leak could take: as typed (NFC), decomposed (NFD), without diacritics, any case. */
function spellings(text: string): string[] {
  const nfc = text.normalize('NFC');
  return [nfc, nfc.normalize('NFD'), foldVietnamese(nfc)].flatMap((s) => [
    s,
    s.toLowerCase(),
    s.toUpperCase(),
  ]);
}

function assertNoPersonalData(entries: Record<string, Uint8Array>) {
  const names = Object.keys(entries);
  expect(names).toEqual(
    expect.arrayContaining(['versions.json', 'settings.json', 'queue.json', 'update.json', 'scanners.json']),
  );
  expect(names.some((n) => n.startsWith('logs/'))).toBe(true);
  for (const name of names) {
    expect(name).not.toMatch(/\.(db|sqlite|key|png|jpe?g|tiff?|pdf|pnm|pgm|blob)$/i);
    const bytes = entries[name] as Uint8Array;
    const head = Buffer.from(bytes.subarray(0, 8));
    // PNG, JPEG, PDF, TIFF and SQLite signatures: no page image or database, whatever its name.
    for (const magic of ['89504e47', 'ffd8ff', '25504446', '49492a00', '4d4d002a', '53514c69'])
      expect(head.toString('hex').startsWith(magic), `${name} starts like a binary file`).toBe(false);
    const text = Buffer.from(bytes).toString('utf8');
    const folded = foldVietnamese(text).toLowerCase();
    for (const a of applicants) {
      for (const value of [a.fullName, a.address, TEST_ADMIN.name, 'Trần Thị Bình'])
        for (const spelled of spellings(value)) {
          expect(text.includes(spelled), `${name} holds “${spelled}”`).toBe(false);
          expect(
            folded.includes(foldVietnamese(spelled).toLowerCase()),
            `${name} holds “${spelled}” folded`,
          ).toBe(false);
        }
      expect(text.includes(a.idNumber), `${name} holds an ID number`).toBe(false);
    }
  }
}

describe('diagnostics bundle', () => {
  it('after real receptions holds no names, ID numbers, addresses, page images or database', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'motcua-diagnose-'));
    writeFileSync(
      join(dir, 'config.json'),
      JSON.stringify({
        agencyCode: '000.17.22.H56',
        agencyName: 'UBND xã Quảng Phú',
        deskSlot: 0,
        scan: { removeBlankPages: false },
      }),
    );
    const env = { ...process.env, MOTCUA_DATA_DIR: dir, MOTCUA_POLICY_FILE: join(dir, 'no-policy.json') };
    const desk = new Desk({ dataDir: dir, env, networkPollMs: 0 });
    opened.push(desk);
    await signInDesk(desk);
    await value(desk.call('createClerk', { name: 'Trần Thị Bình', pin: '2468', role: 'clerk' }));
    for (const applicant of applicants) {
      const draft = await value(desk.call('startReception', { procedureCode: '1.001193', applicant }));
      const batchId = await scanBatch(desk);
      for (const componentCode of ['KS-01', 'KS-02'])
        await value(desk.call('attachScan', { dossierId: draft.dossierId, componentCode, batchId }));
      const done = await value(desk.call('completeReception', { dossierId: draft.dossierId }));
      expect(done.view.status).toBe('received');
    }
    // The data really holds them (so the checks below can fail).
    const listed = await value(desk.call('listDossiers', {}));
    expect(listed.map((d) => d.applicantName).sort()).toEqual(applicants.map((a) => a.fullName).sort());

    // From the settings screen's button (admin), through the desk API.
    const fromDesk = await value(desk.call('createDiagnosticsBundle', null));
    expect(fromDesk.fileName).toMatch(/^chan-doan-motcua-\d{12}\.zip$/);
    const deskEntries = unzipSync(new Uint8Array(Buffer.from(fromDesk.zipBase64, 'base64')));
    assertNoPersonalData(deskEntries);
    const settings = JSON.parse(Buffer.from(deskEntries['settings.json'] as Uint8Array).toString('utf8'));
    expect(settings.find((s: { key: string }) => s.key === 'agencyName')).toMatchObject({ source: 'desk' });
    await desk.close();
    opened.splice(0);

    // From the command line, with the doctor report.
    const out = join(mkdtempSync(join(tmpdir(), 'motcua-diagnose-out-')), 'chan-doan.zip');
    const run = await new Promise<{ code: number; stderr: string }>((resolve) =>
      execFile(
        process.execPath,
        [join(ROOT, 'bin/motcua.mjs'), 'diagnose', '--out', out],
        { env: { ...env, MOTCUA_DIAGNOSE_OFFLINE: '1' }, encoding: 'utf8', timeout: 90_000 },
        (error, _stdout, stderr) => resolve({ code: error ? (error.code as number) : 0, stderr }),
      ),
    );
    expect(run.code, run.stderr).toBe(0);
    const cliEntries = unzipSync(new Uint8Array(readFileSync(out)));
    expect(Object.keys(cliEntries)).toContain('doctor.json');
    assertNoPersonalData(cliEntries);
    rmSync(dir, { recursive: true, force: true });
  });
});
