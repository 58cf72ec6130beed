import { copyFileSync, mkdtempSync, readdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runCli } from '../../../electron/cli/main';
import {
  CalendarDataError,
  CalendarInputError,
  loadCalendarData,
  loadOfficialTables,
  type OfficialTable,
  openWorkingCalendar,
  parseOfficialTable,
  SHIPPED_CALENDAR_DIR,
  saveOfficialTable,
} from '../../../electron/services/calendar';
import { openStore } from '../../../electron/services/store/store';

const tempDir = (prefix: string) => mkdtempSync(join(tmpdir(), prefix));

/** The error `fn` throws; fails the test when it throws nothing. */
function caught<E extends Error>(fn: () => unknown): E {
  try {
    fn();
  } catch (error) {
    return error as E;
  }
  throw new Error('expected a throw');
}

/** An official table as sync would deliver it (invented for the test: a Tết 2027 notice). */
const tet2027 = {
  schema: 1,
  kind: 'official-table',
  id: 'test-tet-2027',
  year: 2027,
  title: 'Lịch nghỉ Tết 2027 (thử nghiệm)',
  source: 'Thông báo thử nghiệm',
  replaces: ['tet'],
  daysOff: [{ from: '2027-02-04', to: '2027-02-10', name: 'Tết Nguyên Đán', holiday: 'tet' }],
  workingDays: [{ date: '2027-01-30', name: 'thay cho thứ Năm 4/2/2027' }],
};

describe('holiday data files', () => {
  it('loads the shipped rule sets and the 2026 table, with their sources and effective dates', () => {
    const data = loadCalendarData();
    expect(data.ruleSets.map((s) => [s.id, s.effectiveFrom, s.effectiveTo]).sort()).toEqual([
      ['labour-code-2012-art115', '2013-05-01', '2020-12-31'],
      ['labour-code-2019-art112', '2021-01-01', null],
    ]);
    const table = data.tables.find((t) => t.id === 'bnv-9441-2026');
    expect(table?.source).toContain('9441/TB-BNV');
    const culture = data.ruleSets.flatMap((s) => s.holidays).find((h) => h.id === 'vietnam-culture-day');
    expect(culture).toMatchObject({ enabled: false, status: 'verify', effectiveFrom: '2026-01-01' });
  });

  it('applies each law in its own years: Quốc khánh 1 day in 2020, 2 days from 2021', () => {
    const calendar = openWorkingCalendar();
    expect(calendar.dayOffReason('2020-09-02')?.source).toContain('10/2012/QH13');
    expect(calendar.isWorkingDay('2020-09-03')).toBe(true);
    expect(calendar.dayOffReason('2021-09-03')?.source).toContain('45/2019/QH14');
  });

  it('refuses a year no rule set covers instead of guessing', () => {
    const calendar = openWorkingCalendar();
    expect(() => calendar.isWorkingDay('2012-05-02')).toThrow(CalendarInputError);
    expect(() => calendar.isWorkingDay('2012-05-02')).toThrow(/Chưa có dữ liệu ngày nghỉ lễ/);
  });

  it('stops on a broken file and names it, rather than dropping a holiday file silently', () => {
    const dir = tempDir('motcua-cal-data-');
    for (const name of readdirSync(SHIPPED_CALENDAR_DIR))
      copyFileSync(join(SHIPPED_CALENDAR_DIR, name), join(dir, name));
    writeFileSync(join(dir, 'official-2027.json'), JSON.stringify({ ...tet2027, year: 2026 }));
    expect(() => loadCalendarData(dir)).toThrow(CalendarDataError);
    const error = caught<CalendarDataError>(() => loadCalendarData(dir));
    expect(error.clerkMessage).toContain('official-2027.json');
    expect(error.detail).toMatch(/outside 2026/);
    writeFileSync(join(dir, 'official-2027.json'), '{ not json');
    expect(() => loadCalendarData(dir)).toThrow(/official-2027\.json/);
  });

  it('validates official tables: real dates, inside their year, a day not both off and working', () => {
    expect(parseOfficialTable(tet2027).replaces).toEqual(['tet']);
    const bad = (change: Record<string, unknown>) => () => parseOfficialTable({ ...tet2027, ...change });
    expect(bad({ daysOff: [{ from: '2027-02-30', to: '2027-03-01', name: 'x' }] })).toThrow(/no such date/);
    // The clerk reads Vietnamese; the log gets the English detail.
    const error = caught<CalendarDataError>(bad({ year: 2028 }));
    expect(error.clerkMessage).toMatch(/^Lịch nghỉ chính thức nhận được không hợp lệ/);
    expect(error.detail).toMatch(/outside 2028/);
    expect(bad({ daysOff: [{ from: '2027-02-10', to: '2027-02-04', name: 'x' }] })).toThrow(/from after to/);
    expect(bad({ workingDays: [{ date: '2027-02-06', name: 'x' }] })).toThrow(
      /both a day off and a working day/,
    );
    expect(bad({ kind: 'holiday-rules' })).toThrow(CalendarDataError);
    expect(bad({ extra: true })).toThrow(CalendarDataError);
  });
});

describe('official tables synced into SQLite', () => {
  it('migration 004 creates calendar_tables', () => {
    const store = openStore(tempDir('motcua-cal-db-'));
    const columns = store.db.prepare('PRAGMA table_info(calendar_tables)').all() as { name: string }[];
    expect(columns.map((c) => c.name)).toEqual(['id', 'year', 'source', 'body', 'sha256', 'received_at']);
    store.close();
  });

  it('a synced table changes the calendar, survives a restart, and an identical resend changes nothing', () => {
    const dir = tempDir('motcua-cal-db-');
    let store = openStore(dir);
    const before = openWorkingCalendar({ db: store.db });
    expect(before.isWorkingDay('2027-01-30')).toBe(false); // a Saturday
    expect(before.dayOffReason('2027-02-10')?.kind).toBe('compensation');
    expect(saveOfficialTable(store.db, tet2027)).toBe(true);
    expect(saveOfficialTable(store.db, structuredClone(tet2027))).toBe(false);
    store.close();

    store = openStore(dir);
    const after = openWorkingCalendar({ db: store.db });
    expect(after.describeDay('2027-01-30')).toMatchObject({
      working: true,
      workingReason: expect.stringContaining('4/2/2027'),
    });
    expect(after.dayOffReason('2027-02-04')).toMatchObject({
      kind: 'official',
      source: 'Thông báo thử nghiệm',
    });
    // The default Tết block and its compensation days are replaced, not added to.
    expect(after.isWorkingDay('2027-02-11')).toBe(true);
    expect(after.dayOffReason('2027-02-10')?.kind).toBe('official');
    store.close();
  });

  it('a synced table with a shipped id wins over the shipped one; `supersedes` retires a table', () => {
    const store = openStore(tempDir('motcua-cal-db-'));
    const shipped = loadCalendarData().tables.find((t) => t.id === 'bnv-9441-2026') as OfficialTable;
    // A corrected notice moves the make-up Saturday from 22/8 to 15/8.
    saveOfficialTable(store.db, {
      ...shipped,
      workingDays: [{ date: '2026-08-15', name: 'thay cho 31/8/2026' }],
    });
    const corrected = openWorkingCalendar({ db: store.db });
    expect(corrected.isWorkingDay('2026-08-15')).toBe(true);
    expect(corrected.isWorkingDay('2026-08-22')).toBe(false);

    saveOfficialTable(store.db, {
      ...tet2027,
      id: 'test-cancel-2026',
      year: 2026,
      supersedes: ['bnv-9441-2026'],
      replaces: [],
      daysOff: [],
      workingDays: [],
    });
    const retired = openWorkingCalendar({ db: store.db });
    // Labour Code default for Tết 2026: 16/2 (last day of Ất Tỵ) to 20/2; Saturday 14/2 is only a weekend.
    expect(retired.dayOffReason('2026-02-16')).toMatchObject({ kind: 'holiday', name: 'Tết Nguyên Đán' });
    expect(retired.dayOffReason('2026-02-14')?.kind).toBe('weekend');
    expect(retired.isWorkingDay('2026-08-31')).toBe(true);
    expect(
      loadOfficialTables(store.db)
        .map((t) => t.id)
        .sort(),
    ).toEqual(['bnv-9441-2026', 'test-cancel-2026']);
    store.close();
  });

  it('writes nothing for an invalid table', () => {
    const store = openStore(tempDir('motcua-cal-db-'));
    expect(() => saveOfficialTable(store.db, { ...tet2027, year: 2028 })).toThrow(CalendarDataError);
    expect(store.db.prepare('SELECT COUNT(*) AS n FROM calendar_tables').get()).toEqual({ n: 0 });
    store.close();
  });

  it('the CLI reads the synced tables of the desk database', async () => {
    const dir = tempDir('motcua-cal-db-');
    const store = openStore(dir);
    saveOfficialTable(store.db, tet2027);
    store.close();
    let stdout = '';
    const code = await runCli(['calendar', 'day', '2027-01-30', '--json'], {
      stdout: (t) => (stdout += t),
      stderr: () => {},
      env: { ...process.env, MOTCUA_DATA_DIR: dir },
    });
    expect(code).toBe(0);
    expect(JSON.parse(stdout)).toMatchObject({ date: '2027-01-30', working: true, weekday: 6 });
  });
});
