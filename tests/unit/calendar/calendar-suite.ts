/**
 * The calendar behaviours that touch instants and wall-clock time. Imported by one test file per TZ value
 * (tz-utc.test.ts, tz-new-york.test.ts): each sets process.env.TZ before any test runs, and the first test
 * proves the setting took effect, so a suite that silently ran in the wrong zone would fail.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { runCli } from '../../../electron/cli/main';
import {
  computeDueDate,
  type DurationUnit,
  dayNumberFromLunar,
  formatIsoDate,
  formatVietnamDateTime,
  formatVietnamIso,
  lunarFromDayNumber,
  openWorkingCalendar,
  parseIsoDate,
  vietnamLocalTime,
} from '../../../electron/services/calendar';

const REPO = join(import.meta.dirname, '..', '..', '..');

export function defineCalendarSuite(tz: string, expectedOffsetMinutes: { january: number; july: number }) {
  const calendar = openWorkingCalendar();
  const due = (received: string, amount: number, unit: DurationUnit) =>
    formatVietnamDateTime(computeDueDate(calendar, { received, amount, unit }).due);

  describe(`calendar with TZ=${tz}`, () => {
    it('really runs in that time zone', () => {
      expect(process.env.TZ).toBe(tz);
      // getTimezoneOffset is minutes *behind* UTC; New York gives 300 in winter and 240 in summer.
      expect(new Date(2026, 0, 15).getTimezoneOffset()).toBe(expectedOffsetMinutes.january);
      expect(new Date(2026, 6, 15).getTimezoneOffset()).toBe(expectedOffsetMinutes.july);
    });

    describe('published lunar dates (Vietnam, UTC+7)', () => {
      const tet: Record<number, string> = {
        2024: '2024-02-10',
        2025: '2025-01-29',
        2026: '2026-02-17',
        2027: '2027-02-06',
        2028: '2028-01-26',
      };
      const hungKings: Record<number, string> = {
        2025: '2025-04-07',
        2026: '2026-04-26',
        2027: '2027-04-16',
      };

      it.each(Object.entries(tet))('Tết %s falls on %s', (year, date) => {
        expect(formatIsoDate(dayNumberFromLunar({ year: Number(year), month: 1, day: 1, leap: false }))).toBe(
          date,
        );
        expect(lunarFromDayNumber(parseIsoDate(date))).toEqual({
          year: Number(year),
          month: 1,
          day: 1,
          leap: false,
        });
      });

      it.each(Object.entries(hungKings))(
        'Giỗ Tổ (10/3 lunar) %s falls on %s and is a holiday',
        (year, date) => {
          expect(
            formatIsoDate(dayNumberFromLunar({ year: Number(year), month: 3, day: 10, leap: false })),
          ).toBe(date);
          expect(calendar.dayOffReason(date)).toMatchObject({
            name: 'Giỗ Tổ Hùng Vương',
            holiday: 'hung-kings',
          });
        },
      );
    });

    describe('2026 official schedule (Thông báo 9441/TB-BNV)', () => {
      const range = (from: string, to: string) => {
        const days: string[] = [];
        for (let d = parseIsoDate(from); d <= parseIsoDate(to); d++) days.push(formatIsoDate(d));
        return days;
      };

      it('gives Tết off from Saturday 14/2 to Sunday 22/2, and work either side', () => {
        for (const day of range('2026-02-14', '2026-02-22')) {
          expect(calendar.dayOffReason(day)).toMatchObject({ name: 'Tết Nguyên Đán', kind: 'official' });
        }
        expect(calendar.isWorkingDay('2026-02-13')).toBe(true);
        expect(calendar.isWorkingDay('2026-02-23')).toBe(true);
        expect(calendar.nextWorkingDay('2026-02-13')).toBe('2026-02-23');
        expect(calendar.workingDaysBetween('2026-02-13', '2026-02-23')).toBe(1);
      });

      it('makes Saturday 22/8/2026 a working day and gives Saturday 29/8 – Wednesday 2/9 off', () => {
        const saturday = calendar.describeDay('2026-08-22');
        expect(saturday).toMatchObject({ working: true, weekday: 6, reason: null });
        expect(saturday.workingReason).toContain('31/8/2026');
        for (const day of range('2026-08-29', '2026-09-02')) expect(calendar.isWorkingDay(day)).toBe(false);
        expect(calendar.dayOffReason('2026-08-31')?.name).toContain('Quốc khánh');
        expect(calendar.dayOffReason('2026-09-02')).toMatchObject({
          name: 'Quốc khánh',
          holiday: 'national-day',
        });
        expect(calendar.isWorkingDay('2026-09-03')).toBe(true);
        expect(calendar.nextWorkingDay('2026-08-21')).toBe('2026-08-22');
        // Sat 22, Mon 24 – Fri 28, then nothing until Thu 3/9.
        expect(calendar.workingDaysBetween('2026-08-21', '2026-09-03')).toBe(7);
      });

      it('moves Giỗ Tổ on Sunday 26/4 to Monday 27/4 (compensation), keeps 30/4 and 1/5', () => {
        expect(calendar.dayOffReason('2026-04-27')).toMatchObject({
          kind: 'compensation',
          name: 'Nghỉ bù Giỗ Tổ Hùng Vương',
        });
        expect(calendar.dayOffReason('2026-04-30')?.name).toBe('Ngày Chiến thắng 30/4');
        expect(calendar.dayOffReason('2026-05-01')?.name).toBe('Ngày Quốc tế Lao động');
        expect(calendar.isWorkingDay('2026-04-28')).toBe(true);
      });

      it('keeps 24/11/2026 (Ngày Văn hóa Việt Nam, awaiting law) a working day unless switched on', () => {
        expect(calendar.isWorkingDay('2026-11-24')).toBe(true);
        const switched = openWorkingCalendar({ holidaySwitches: { 'vietnam-culture-day': true } });
        expect(switched.dayOffReason('2026-11-24')?.name).toBe('Ngày Văn hóa Việt Nam');
        expect(switched.isWorkingDay('2025-11-24')).toBe(true); // only from 2026
      });
    });

    describe('Labour Code defaults where no official table exists', () => {
      it('Tết 2027: last day of the old year + 4 days, a Saturday in it compensated on Monday', () => {
        // Tết 2027-02-06 is a Saturday: off Fri 5/2 – Tue 9/2; Sat 6 and Sun 7 give Wed 10 and Thu 11.
        expect(['2027-02-05', '2027-02-08', '2027-02-09'].every((d) => !calendar.isWorkingDay(d))).toBe(true);
        expect(calendar.dayOffReason('2027-02-10')?.name).toBe('Nghỉ bù Tết Nguyên Đán');
        expect(calendar.dayOffReason('2027-02-11')?.name).toBe('Nghỉ bù Tết Nguyên Đán');
        expect(calendar.isWorkingDay('2027-02-04')).toBe(true);
        expect(calendar.isWorkingDay('2027-02-12')).toBe(true);
      });

      it('Quốc khánh 2027 (Thursday) takes Friday 3/9 as the adjacent day', () => {
        expect(calendar.dayOffReason('2027-09-03')).toMatchObject({ name: 'Quốc khánh', kind: 'holiday' });
        expect(calendar.isWorkingDay('2027-09-01')).toBe(true);
      });

      it('30/4/2028 on a Sunday is compensated on Tuesday 2/5, after the 1/5 holiday', () => {
        expect(calendar.dayOffReason('2028-05-01')?.name).toBe('Ngày Quốc tế Lao động');
        expect(calendar.dayOffReason('2028-05-02')?.name).toBe('Nghỉ bù Ngày Chiến thắng 30/4');
        expect(calendar.isWorkingDay('2028-05-03')).toBe(true);
      });

      it('reads an instant on Vietnam’s clock, not the machine’s', () => {
        // 18:00 UTC Friday 21/8 is 01:00 Saturday 22/8 in Vietnam: the working Saturday.
        expect(calendar.describeDay(new Date('2026-08-21T18:00:00Z')).date).toBe('2026-08-22');
        expect(calendar.isWorkingDay(new Date('2026-08-21T18:00:00Z'))).toBe(true);
        // 17:30 UTC Saturday 22/8 is 00:30 Sunday 23/8 in Vietnam.
        expect(calendar.dayOffReason(new Date('2026-08-22T17:30:00Z'))?.kind).toBe('weekend');
      });
    });

    describe('due dates', () => {
      it('working-days: same time of day N working days later', () => {
        expect(due('2026-03-02T09:15', 3, 'working-days')).toBe('09:15 05/03/2026');
        expect(due('2026-03-02T02:15:00Z', 3, 'working-days')).toBe('09:15 05/03/2026'); // same instant
        expect(due('2026-03-02T09:15+07:00', 3, 'working-days')).toBe('09:15 05/03/2026');
      });

      it('working-days: received after hours or on a day off → counts from 07:30 of the next working day', () => {
        expect(due('2026-03-06T17:30', 1, 'working-days')).toBe('07:30 10/03/2026');
        expect(due('2026-03-06T17:00', 1, 'working-days')).toBe('07:30 10/03/2026'); // 17:00 is closed
        expect(due('2026-03-07T09:00', 1, 'working-days')).toBe('07:30 10/03/2026'); // Saturday
        expect(due('2026-03-06T16:45', 1, 'working-days')).toBe('16:45 09/03/2026'); // still open
      });

      it('working-days: before a session opens → counts from its opening', () => {
        expect(due('2026-03-02T06:10', 2, 'working-days')).toBe('07:30 04/03/2026');
        expect(due('2026-03-02T12:05', 2, 'working-days')).toBe('13:30 04/03/2026');
      });

      it('working-days: across Tết 2026 and through the working Saturday 22/8', () => {
        expect(due('2026-02-13T10:00', 1, 'working-days')).toBe('10:00 23/02/2026');
        expect(due('2026-08-21T16:45', 1, 'working-days')).toBe('16:45 22/08/2026');
        expect(due('2026-08-22T10:00', 1, 'working-days')).toBe('10:00 24/08/2026');
        expect(due('2026-08-27T08:00', 2, 'working-days')).toBe('08:00 03/09/2026');
      });

      it('days: calendar days, moved off a day off to the next working day', () => {
        // Tue 21/4 + 5 = Sun 26/4 (Giỗ Tổ); Mon 27/4 is its compensation → Tue 28/4.
        expect(due('2026-04-21T10:00', 5, 'days')).toBe('10:00 28/04/2026');
        expect(due('2026-03-02T10:00', 3, 'days')).toBe('10:00 05/03/2026');
      });

      it('hours: working minutes inside 07:30–11:30 and 13:30–17:00', () => {
        expect(due('2026-03-02T07:30', 4, 'hours')).toBe('11:30 02/03/2026');
        expect(due('2026-03-02T10:00', 2, 'hours')).toBe('14:00 02/03/2026');
        expect(due('2026-03-02T16:30', 1, 'hours')).toBe('08:00 03/03/2026');
        expect(due('2026-08-28T10:00', 10, 'hours')).toBe('14:30 03/09/2026');
        expect(due('2026-03-02T10:00', 0.5, 'hours')).toBe('10:30 02/03/2026');
      });

      it('hours: office hours are configurable', () => {
        const result = computeDueDate(calendar, { received: '2026-03-02T10:00', amount: 3, unit: 'hours' }, [
          { start: '08:00', end: '12:00' },
          { start: '13:00', end: '17:00' },
        ]);
        expect(formatVietnamIso(result.due)).toBe('2026-03-02T14:00:00+07:00');
      });

      it('refuses bad input with a Vietnamese message', () => {
        expect(() => due('2026-03-02T10:00', -3, 'working-days')).toThrow(/phải là một số lớn hơn 0/);
        expect(() => due('2026-03-02T10:00', 1.5, 'working-days')).toThrow(/số nguyên/);
        expect(() => due('2026-02-30T10:00', 1, 'days')).toThrow(/không hợp lệ/);
        expect(() => due('2026-03-02T25:00', 1, 'days')).toThrow(/không hợp lệ/);
        expect(() => due('02/03/2026', 1, 'days')).toThrow(/không hợp lệ/);
        expect(() => due('2026-03-02T10:00', 1, 'weeks' as DurationUnit)).toThrow(/Đơn vị/);
      });
    });

    describe('properties (fast-check)', () => {
      const start = Date.parse('2021-01-01T00:00:00Z');
      const end = Date.parse('2030-12-31T00:00:00Z');
      const receivedArb = fc.integer({ min: start, max: end }).map((ms) => new Date(ms));
      const unitArb = fc.constantFrom<DurationUnit>('working-days', 'days', 'hours');
      const OPEN = 7.5 * 3_600_000;
      const CLOSE = 17 * 3_600_000;

      it('a due date never lands on a day off, and falls inside office hours', () => {
        fc.assert(
          fc.property(receivedArb, fc.integer({ min: 1, max: 60 }), unitArb, (received, amount, unit) => {
            const { due: at, countFrom } = computeDueDate(calendar, { received, amount, unit });
            const local = vietnamLocalTime(at);
            expect(calendar.isWorkingDayNumber(local.dayNumber)).toBe(true);
            expect(local.msOfDay).toBeGreaterThanOrEqual(OPEN);
            expect(local.msOfDay).toBeLessThanOrEqual(CLOSE);
            expect(at.getTime()).toBeGreaterThan(countFrom.getTime());
            expect(countFrom.getTime()).toBeGreaterThanOrEqual(received.getTime());
          }),
          { numRuns: 300 },
        );
      });

      it('adding N working days then counting the working days back gives N', () => {
        const dayArb = fc.integer({ min: parseIsoDate('2021-01-01'), max: parseIsoDate('2030-12-31') });
        fc.assert(
          fc.property(dayArb, fc.integer({ min: 0, max: 400 }), (day, n) => {
            const from = formatIsoDate(day);
            const to = calendar.addWorkingDays(from, n);
            expect(calendar.workingDaysBetween(from, to)).toBe(n);
            expect(calendar.workingDaysBetween(to, from)).toBe(0 - n); // 0 − n: toBe tells −0 from 0
            if (n > 0) expect(calendar.isWorkingDay(to)).toBe(true);
          }),
          { numRuns: 200 },
        );
      });

      it('is monotonic in N: one more unit never gives an earlier date', () => {
        fc.assert(
          fc.property(receivedArb, fc.integer({ min: 1, max: 60 }), unitArb, (received, amount, unit) => {
            const a = computeDueDate(calendar, { received, amount, unit }).due.getTime();
            const b = computeDueDate(calendar, { received, amount: amount + 1, unit }).due.getTime();
            if (unit === 'days') expect(b).toBeGreaterThanOrEqual(a);
            else expect(b).toBeGreaterThan(a);
          }),
          { numRuns: 300 },
        );
      });
    });

    describe('CLI', () => {
      const cli = async (...argv: string[]) => {
        let stdout = '';
        let stderr = '';
        const env = { ...process.env, MOTCUA_DATA_DIR: mkdtempSync(join(tmpdir(), 'motcua-cal-cli-')) };
        const code = await runCli(argv, { stdout: (t) => (stdout += t), stderr: (t) => (stderr += t), env });
        return { code, stdout, stderr };
      };

      it('calendar due prints Vietnamese form and ISO, and JSON', async () => {
        const text = await cli(
          'calendar',
          'due',
          '--received',
          '2026-08-21T16:45',
          '--amount',
          '3',
          '--unit',
          'working-days',
        );
        expect(text.code).toBe(0);
        expect(text.stdout).toContain('Hẹn trả: 16:45 25/08/2026 (2026-08-25T16:45:00+07:00)');
        const json = await cli(
          'calendar',
          'due',
          '--received',
          '2026-08-28T10:00',
          '--amount',
          '10',
          '--unit',
          'hours',
          '--json',
        );
        expect(JSON.parse(json.stdout)).toMatchObject({
          received: '2026-08-28T10:00:00+07:00',
          amount: 10,
          unit: 'hours',
          due: '2026-09-03T14:30:00+07:00',
          dueLocal: '14:30 03/09/2026',
        });
      });

      it('calendar due refuses a negative amount, a bad date and a missing option', async () => {
        const negative = await cli(
          'calendar',
          'due',
          '--received',
          '2026-08-21T16:45',
          '--amount=-3',
          '--unit',
          'days',
        );
        expect(negative).toMatchObject({ code: 1, stdout: '' });
        expect(negative.stderr).toContain('“-3” không hợp lệ');
        const badDate = await cli(
          'calendar',
          'due',
          '--received',
          '2026-02-29T09:00',
          '--amount',
          '1',
          '--unit',
          'days',
        );
        expect(badDate.code).toBe(1);
        expect(badDate.stderr).toContain('2026-02-29T09:00');
        const badUnit = await cli(
          'calendar',
          'due',
          '--received',
          '2026-03-02T09:00',
          '--amount',
          '1',
          '--unit',
          'weeks',
        );
        expect(badUnit.code).toBe(1);
        expect(badUnit.stderr).toContain('Đơn vị thời hạn');
        expect((await cli('calendar', 'due', '--amount', '1', '--unit', 'days')).code).toBe(2);
      });

      it('converts lunar ↔ solar and refuses a leap month the year does not have', async () => {
        const giotTo = await cli('calendar', 'lunar-to-solar', '2026', '3', '10', '--json');
        expect(JSON.parse(giotTo.stdout)).toMatchObject({ solar: '2026-04-26', weekday: 7 });
        const leap = await cli('calendar', 'lunar-to-solar', '2025', '6', '1', '--leap');
        expect(leap.stdout).toContain('2025-07-25');
        const noLeap = await cli('calendar', 'lunar-to-solar', '2026', '6', '1', '--leap');
        expect(noLeap.code).toBe(1);
        expect(noLeap.stderr).toContain('không có tháng nhuận');
        const wrongLeap = await cli('calendar', 'lunar-to-solar', '2025', '5', '1', '--leap');
        expect(wrongLeap.stderr).toContain('tháng nhuận của năm này là tháng 6');
        const solar = await cli('calendar', 'solar-to-lunar', '2026-02-17', '--json');
        expect(JSON.parse(solar.stdout).lunar).toEqual({ year: 2026, month: 1, day: 1, leap: false });
        expect((await cli('calendar', 'solar-to-lunar', '2026-13-01')).code).toBe(1);
        const notNumber = await cli('calendar', 'lunar-to-solar', '2026', 'abc', '1');
        expect(notNumber).toMatchObject({ code: 1, stdout: '' });
        expect(notNumber.stderr).toContain('“2026 abc 1” không hợp lệ');
        expect((await cli('calendar', 'lunar-to-solar', '2026', '3')).code).toBe(2);
      });

      it('gives the same answer from a separate process with TZ set in its environment', () => {
        const run = spawnSync(
          process.execPath,
          [
            'bin/motcua.mjs',
            'calendar',
            'due',
            '--received',
            '2026-02-13T16:59',
            '--amount',
            '1',
            '--unit',
            'working-days',
            '--json',
          ],
          {
            cwd: REPO,
            encoding: 'utf8',
            env: {
              ...process.env,
              TZ: tz,
              MOTCUA_DATA_DIR: mkdtempSync(join(tmpdir(), 'motcua-cal-spawn-')),
            },
          },
        );
        expect(run.stderr).toBe('');
        expect(run.status).toBe(0);
        expect(JSON.parse(run.stdout)).toMatchObject({
          due: '2026-02-23T16:59:00+07:00',
          dueLocal: '16:59 23/02/2026',
        });
      });
    });
  });
}
