import { spawnSync } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import type { QualityFigure, QualityReport } from '../../../electron/api/quality-api';
import { AuditLog } from '../../../electron/services/audit/audit-log';
import { parseVietnamDateTime } from '../../../electron/services/calendar/civil-date';
import { ClerkStore } from '../../../electron/services/clerks/clerk-store';
import { RatingStore } from '../../../electron/services/quality/ratings';
import { ResultReturns } from '../../../electron/services/quality/result-return';
import { openStore, type Store } from '../../../electron/services/store/store';
import { formatNationalDateTime } from '../../../electron/services/sync/protocol';

/**
 * A month (August 2026) of dossiers at one desk, as reception, sync and the province's feed leave them in the
 * desk's SQLite, plus ratings and result returns through their services; then `motcua report quality --json`
 * is checked figure by figure against values computed by hand (in the comments).
 */
const ROOT = join(import.meta.dirname, '..', '..', '..');
const dataDir = join(mkdtempSync(join(tmpdir(), 'motcua-quality-')), 'data');
/** Every command signs in through the desk's gate: the admin (all the desk's figures) unless told otherwise. */
function motcua(args: string[]) {
  const result = spawnSync(process.execPath, [join(ROOT, 'bin/motcua.mjs'), ...args, '--clerk', admin], {
    env: { ...process.env, MOTCUA_DATA_DIR: dataDir, MOTCUA_CLERK_PIN: '2468' },
    encoding: 'utf8',
    timeout: 60_000,
  });
  return { code: result.status, stdout: result.stdout, stderr: result.stderr };
}
const vn = (text: string) => parseVietnamDateTime(text); // "2026-08-03T09:00" on Vietnam's clock
const iso = (text: string) => vn(text).toISOString();
const national = (text: string) => formatNationalDateTime(vn(text));

interface DossierSpec {
  id: string;
  clerk: 'A' | 'B';
  received: string;
  due: string;
  status?: string;
  synced?: boolean;
  finished?: string;
  provinceStatus?: number;
  populationChecked?: boolean;
  files?: ('scan' | 'reused-desk' | 'reused-province')[];
}

const ids: Record<string, string> = {};
let admin = '';
let clerkA = '';
let clerkB = '';

function insertDossier(store: Store, spec: DossierSpec, seq: number) {
  const id = randomUUID();
  ids[spec.id] = id;
  const clerk = spec.clerk === 'A' ? clerkA : clerkB;
  const received = iso(spec.received);
  store.db
    .prepare(
      `INSERT INTO dossiers (id, code, procedure_code, procedure_name, applicant_name, status, created_at, updated_at,
                             received_at, due_at, clerk_id, province_status, province_confirmed_at, province_finished_at,
                             population_checked_at)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
    )
    .run(
      id,
      `000.00.22.H56-260801-${String(seq).padStart(4, '0')}`,
      seq % 2 ? '1.001193' : '1.000894',
      seq % 2 ? 'Đăng ký khai sinh' : 'Đăng ký kết hôn',
      'Nguyễn Văn Thử',
      spec.status ?? (spec.synced ? 'synced' : 'received'),
      received,
      received,
      received,
      iso(spec.due),
      clerk,
      spec.provinceStatus ?? null,
      spec.synced ? received : null,
      spec.finished ? national(spec.finished) : null,
      spec.populationChecked ? received : null,
    );
  for (const [n, source] of (spec.files ?? []).entries())
    store.db
      .prepare(
        `INSERT INTO dossier_files (id, dossier_id, component_code, file_name, mime_type, blob_sha256, bytes, source, created_at)
         VALUES (?, ?, ?, 'tp.pdf', 'application/pdf', ?, 10, ?, ?)`,
      )
      .run(randomUUID(), id, `TP-${n}`, '0'.repeat(64), source, received);
}

function codeOf(store: Store, key: string) {
  return (store.db.prepare('SELECT code FROM dossiers WHERE id = ?').get(ids[key]) as { code: string }).code;
}

beforeAll(async () => {
  const store = openStore(dataDir);
  const clock = () => vn('2026-08-20T10:00');
  const audit = new AuditLog(store.db, clock);
  const clerks = new ClerkStore(store.db, { audit, clock });
  admin = (await clerks.create({ name: 'Phạm Minh Đức', pin: '2468', role: 'admin' }, 'setup')).id;
  clerkA = (await clerks.create({ name: 'Lê Thị Lan', pin: '482915', role: 'clerk' }, 'setup')).id;
  clerkB = (await clerks.create({ name: 'Trần Văn Minh', pin: '739164', role: 'clerk' }, 'setup')).id;
  const specs: DossierSpec[] = [
    // D1: early (finished the day before the due day), synced, scanned; e-result returned.
    {
      id: 'D1',
      clerk: 'A',
      received: '2026-08-03T09:00',
      due: '2026-08-05T10:00',
      finished: '2026-08-04T15:00',
      provinceStatus: 9,
      synced: true,
      files: ['scan'],
    },
    // D2: finished at 15:00 on the due day, due 10:00: late by timestamp, on time by date. Paper result scanned.
    {
      id: 'D2',
      clerk: 'A',
      received: '2026-08-04T09:00',
      due: '2026-08-06T10:00',
      finished: '2026-08-06T15:00',
      provinceStatus: 9,
      synced: true,
      files: ['scan', 'reused-desk'],
    },
    // D3: the province asked for a supplement (48 h pause), so finishing after the due time is still early.
    {
      id: 'D3',
      clerk: 'A',
      received: '2026-08-05T09:00',
      due: '2026-08-07T10:00',
      finished: '2026-08-08T16:00',
      provinceStatus: 9,
      synced: true,
      files: ['reused-province'],
    },
    // D4: two supplement requests: overdue, although it finished early.
    {
      id: 'D4',
      clerk: 'B',
      received: '2026-08-10T09:00',
      due: '2026-08-12T10:00',
      finished: '2026-08-11T09:00',
      provinceStatus: 9,
      synced: true,
      files: ['scan'],
    },
    // D5: never finished, past due at the end of the month; not synced; no files.
    { id: 'D5', clerk: 'B', received: '2026-08-11T09:00', due: '2026-08-13T10:00' },
    // D6: early, but a complaint; the result is on paper only; identity checked against the population data.
    {
      id: 'D6',
      clerk: 'B',
      received: '2026-08-12T09:00',
      due: '2026-08-14T10:00',
      finished: '2026-08-14T09:00',
      provinceStatus: 10,
      synced: true,
      populationChecked: true,
      files: ['scan'],
    },
    // D7: received on the last afternoon, due in September: in progress.
    { id: 'D7', clerk: 'B', received: '2026-08-31T16:00', due: '2026-09-02T16:00', files: ['scan'] },
    // Outside the report: received in July, a refused dossier, a draft.
    { id: 'JULY', clerk: 'A', received: '2026-07-31T09:00', due: '2026-08-03T10:00', synced: true },
    { id: 'REFUSED', clerk: 'A', received: '2026-08-18T09:00', due: '2026-08-20T10:00', status: 'refused' },
    { id: 'DRAFT', clerk: 'A', received: '2026-08-19T09:00', due: '2026-08-21T10:00', status: 'draft' },
  ];
  for (const [i, spec] of specs.entries()) insertDossier(store, spec, i + 1);
  const supplement = store.db.prepare(
    `INSERT INTO supplement_requests (id, dossier_code, ordinal, procedure_code, items, clerk_id, requested_at, fulfilled_at)
     VALUES (?, ?, ?, '1.001193', '[]', ?, ?, ?)`,
  );
  const d4 = codeOf(store, 'D4');
  supplement.run(randomUUID(), d4, 1, clerkB, iso('2026-08-10T10:00'), iso('2026-08-10T14:00'));
  supplement.run(randomUUID(), d4, 2, clerkB, iso('2026-08-10T15:00'), iso('2026-08-10T17:00'));
  const progress = store.db.prepare(
    `INSERT INTO dossier_progress (dossier_id, ma_ho_so, at, status, handler, content, received_at)
     VALUES (?, ?, ?, ?, 'Cán bộ xử lý', ?, ?)`,
  );
  progress.run(
    ids.D3,
    codeOf(store, 'D3'),
    national('2026-08-06T09:00'),
    5,
    'Yêu cầu bổ sung',
    iso('2026-08-06T09:05'),
  );
  progress.run(
    ids.D3,
    codeOf(store, 'D3'),
    national('2026-08-08T09:00'),
    4,
    'Tiếp tục xử lý',
    iso('2026-08-08T09:05'),
  );
  store.db
    .prepare(
      `INSERT INTO dossier_complaints (id, dossier_id, source, received_at, clerk_id) VALUES (?, ?, 'pakn', ?, ?)`,
    )
    .run(randomUUID(), ids.D6, iso('2026-08-15T09:00'), clerkB);
  const ratings = new RatingStore(store.db, audit, clock);
  ratings.record({ dossierId: ids.D1 as string, step: 'reception', level: 'very-satisfied' }, clerkA);
  ratings.record(
    { dossierId: ids.D1 as string, step: 'result-return', level: 'dissatisfied', reasons: ['long-wait'] },
    clerkA,
  );
  ratings.record({ dossierId: ids.D2 as string, step: 'reception', level: 'satisfied' }, clerkA);
  const results = new ResultReturns(store, audit, () => vn('2026-08-05T10:00'));
  const pdf = new TextEncoder().encode('%PDF-1.4 kết quả\n');
  await results.record(
    {
      dossierId: ids.D1 as string,
      kind: 'e-result',
      file: { name: 'kq.pdf', mimeType: 'application/pdf', bytes: pdf },
    },
    clerkA,
  );
  await results.record(
    {
      dossierId: ids.D2 as string,
      kind: 'paper-scan',
      file: { name: 'kq-quet.pdf', mimeType: 'application/pdf', bytes: pdf },
    },
    clerkA,
  );
  await results.record({ dossierId: ids.D6 as string, kind: 'paper' }, clerkB);
  store.close();
}, 60_000);

const byCode = (report: QualityReport) =>
  Object.fromEntries(report.figures.map((f) => [f.indicator, f])) as Record<string, QualityFigure>;

describe('motcua report quality --json over a month of dossiers', () => {
  it('gives every figure its hand-computed value under the portal’s live set', () => {
    const run = motcua([
      'report',
      'quality',
      '--from',
      '2026-08-01',
      '--to',
      '2026-08-31',
      '--json',
      '--dossiers',
    ]);
    expect(run.stderr).toBe('');
    expect(run.code).toBe(0);
    const report = JSON.parse(run.stdout) as QualityReport;
    expect(report.period).toEqual({ from: '2026-08-01', to: '2026-08-31' });
    expect(report.formulaSet.id).toBe('dvcqg-api-2026-08');
    expect(report.dossierCount).toBe(7);
    const f = byCode(report);
    // 1.4: D1 D2 D3 D4 D6 synced of 7 → 71.43 % × 6.
    expect(f['1.4']).toMatchObject({ numerator: 5, denominator: 7, points: 4.29 });
    // 2.1: judged D1 D2 D3 D4 D5 D6 (D7 in progress); on time D1 D3 D6 → 50 % × 20.
    expect(f['2.1']).toMatchObject({
      numerator: 3,
      denominator: 6,
      points: 10,
      breakdown: { early: 3, onTime: 0, late: 2, secondSupplement: 1 },
    });
    expect(new Set(f['2.1']?.dossiers?.numerator)).toEqual(new Set([ids.D1, ids.D3, ids.D6]));
    // 2.2: 30 + 54 + (79 − 48) + (24 − 6) + 48 = 181 h over 5 finished = 7.54 days, 1.51 on average.
    expect(f['2.2']).toMatchObject({ numerator: 7.54, denominator: 5, ratio: 1.51, points: null });
    // 4.1: results out for D1 D2 D3 D4 D6; an e-result only for D1 → 20 % × 6.
    expect(f['4.1']).toMatchObject({ numerator: 1, denominator: 5, points: 1.2 });
    // 4.2: D1 D2 D3 D4 D7 (D6's result is paper only, D5 has no file) → 71.43 % × 4.
    expect(f['4.2']).toMatchObject({ numerator: 5, denominator: 7, points: 2.86 });
    // 4.3: D2 (desk reuse) and D3 (citizen's store) → 28.57 % of the full-at-80 % rule × 2.
    expect(f['4.3']).toMatchObject({ numerator: 2, denominator: 7, points: 0.71 });
    expect(f['4.4']).toMatchObject({ numerator: 1, denominator: 7, points: 0.57 });
    // 4.5b: D6 checked against the population data, D3 took a file from the store.
    expect(f['4.5b']).toMatchObject({ numerator: 2, denominator: 7, points: 0.57 });
    // 5.4: on time D1 D3 D6, minus D1 (a desk "Chưa hài lòng") and D6 (a complaint) → 1/6 = 16.67 % of 90 % × 6.
    expect(f['5.4']).toMatchObject({
      numerator: 1,
      denominator: 6,
      points: 1.11,
      local: { dissatisfiedRatings: 1, counted: true, complaints: 1 },
    });
    expect(report.points).toBe(21.31);
    expect(report.byClerk.map((c) => [c.clerkName, c.dossierCount, c.figures[1]?.points])).toEqual([
      [
        clerkA < clerkB ? 'Lê Thị Lan' : 'Trần Văn Minh',
        clerkA < clerkB ? 3 : 4,
        clerkA < clerkB ? 13.33 : 6.67,
      ],
      [
        clerkA < clerkB ? 'Trần Văn Minh' : 'Lê Thị Lan',
        clerkA < clerkB ? 4 : 3,
        clerkA < clerkB ? 6.67 : 13.33,
      ],
    ]);
    expect(report.byProcedure.map((p) => [p.procedureCode, p.dossierCount])).toEqual([
      ['1.000894', 3],
      ['1.001193', 4],
    ]);
  }, 60_000);

  it('follows the named formula set: dates compared by day, digitization full at 80 %', () => {
    const byDate = JSON.parse(
      motcua(['report', 'quality', '--period', '2026-08', '--formula', 'tinh-so-ngay-2026-08', '--json'])
        .stdout,
    ) as QualityReport;
    // D2 finished on its due day: on time by date → 4/6 × 20.
    expect(byCode(byDate)['2.1']).toMatchObject({
      numerator: 4,
      denominator: 6,
      points: 13.33,
      dateRule: 'calendar-date',
    });
    const doc = JSON.parse(
      motcua(['report', 'quality', '--period', '2026-08', '--formula', 'vpcp-doc-2022', '--json']).stdout,
    ) as QualityReport;
    expect(byCode(doc)['4.2']).toMatchObject({ numerator: 5, denominator: 7, points: 3.57 });
  }, 60_000);

  it('narrows to one clerk, and answers an empty month and bad input in Vietnamese', () => {
    const one = JSON.parse(
      motcua(['report', 'quality', '--period', '2026-08', '--for-clerk', clerkB, '--json']).stdout,
    ) as QualityReport;
    expect(one.dossierCount).toBe(4);
    expect(byCode(one)['2.1']).toMatchObject({ numerator: 1, denominator: 3, points: 6.67 });
    const empty = JSON.parse(
      motcua(['report', 'quality', '--period', '2026-09', '--json']).stdout,
    ) as QualityReport;
    expect(empty.figures.map((f) => f.points)).toEqual([null, 0, null, null, null, null, null, null, 0]);
    const text = motcua(['report', 'quality', '--period', '2026-08']);
    expect(text.stdout).toContain('2.1 Hồ sơ giải quyết trước hạn, đúng hạn: 3/6 = 50,00 % → 10,00/20 điểm');
    expect(text.stdout).toContain('đánh giá “Chưa hài lòng” tại quầy');
    // An unknown formula set is a value the desk refuses (exit 1); a malformed date, a bad command line (exit 2).
    const badSet = motcua(['report', 'quality', '--formula', 'khong-co']);
    expect(badSet.code).toBe(1);
    expect(badSet.stderr).toContain('Không có bộ công thức “khong-co”');
    const badDate = motcua(['report', 'quality', '--from', '2026-02-30']);
    expect(badDate.code).toBe(2);
    expect(badDate.stderr).toContain('--from phải là ngày');
  }, 60_000);

  it('motcua track shows the status and timeline with the name masked', () => {
    const returned = motcua(['track', '000.00.22.H56-260801-0001', '--json']);
    expect(returned.code).toBe(0);
    const view = JSON.parse(returned.stdout) as {
      status: number;
      applicantMasked: string;
      steps: { by: string }[];
    };
    expect(view).toMatchObject({ status: 10, applicantMasked: 'Nguyễn V. T.' });
    expect(view.steps.map((s) => s.by)).toEqual(['received', 'result-returned']);
    expect(returned.stdout).not.toContain('Nguyễn Văn Thử');
    const paused = JSON.parse(motcua(['track', '000.00.22.H56-260801-0003', '--json']).stdout) as {
      steps: { status: number; source: string }[];
    };
    expect(paused.steps.map((s) => [s.source, s.status])).toEqual([
      ['desk', 2],
      ['province', 5],
      ['province', 4],
    ]);
    const text = motcua(['track', '000.00.22.H56-260801-0001']);
    expect(text.stdout).toContain('Tình trạng: Đã trả kết quả');
    const unknown = motcua(['track', 'KHONG-CO']);
    expect(unknown.code).toBe(1);
    expect(unknown.stderr).toContain('Không tìm thấy hồ sơ KHONG-CO');
  }, 60_000);
});
