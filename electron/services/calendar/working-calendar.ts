/**
 * Working days for civil servants at the desk: Monday–Friday, minus holidays and compensation days, with the
 * official yearly tables (days off, working Saturdays) on top. Days are Vietnam civil days whatever the
 * machine's time zone. A calendar is immutable: when sync brings a new official table, build a new one.
 */
import { format, vi } from '../../api/i18n';
import {
  type DayInput,
  formatIsoDate,
  type IsoDate,
  isoWeekday,
  toDayNumber,
  ymdFromDayNumber,
} from './civil-date';
import { CalendarInputError } from './errors';
import type { HolidayRuleSet, OfficialTable } from './holiday-data';
import { buildYearSchedule, type DayOffKind, type HolidaySwitches, type YearSchedule } from './year-schedule';

export interface DayOffReason {
  kind: 'weekend' | DayOffKind;
  /** Vietnamese: "Tết Nguyên Đán", "Nghỉ bù Giỗ Tổ Hùng Vương", "Nghỉ hằng tuần (Chủ nhật)". */
  name: string;
  /** Rule id of the holiday, when the day belongs to one. */
  holiday?: string;
  /** Legal text or notice. */
  source?: string;
}

export interface DayStatus {
  date: IsoDate;
  /** ISO weekday, 1 = Monday … 7 = Sunday. */
  weekday: number;
  working: boolean;
  /** Why the day is off; null on a working day. */
  reason: DayOffReason | null;
  /** Set on a weekend day made a working day by an official table (làm bù). */
  workingReason?: string;
}

export interface WorkingCalendarOptions {
  ruleSets: readonly HolidayRuleSet[];
  /** Official tables; for the same id a later one wins (pass shipped first, synced after). */
  tables?: readonly OfficialTable[];
  holidaySwitches?: HolidaySwitches;
}

/** Shipped and synced tables merged: the last one of an id wins, and a table named in `supersedes` drops out. */
export function effectiveTables(tables: readonly OfficialTable[]): OfficialTable[] {
  const byId = new Map<string, OfficialTable>();
  for (const table of tables) byId.set(table.id, table);
  const superseded = new Set([...byId.values()].flatMap((t) => t.supersedes));
  return [...byId.values()].filter((t) => !superseded.has(t.id));
}

export class WorkingCalendar {
  readonly ruleSets: readonly HolidayRuleSet[];
  readonly tables: readonly OfficialTable[];
  private readonly switches: HolidaySwitches;
  private readonly years = new Map<number, YearSchedule>();

  constructor(options: WorkingCalendarOptions) {
    this.ruleSets = options.ruleSets;
    this.tables = effectiveTables(options.tables ?? []);
    this.switches = options.holidaySwitches ?? {};
  }

  /** The days off and working weekend days of one solar year (computed once, then cached). */
  yearSchedule(year: number): YearSchedule {
    let schedule = this.years.get(year);
    if (!schedule) {
      schedule = buildYearSchedule(year, this.ruleSets, this.tables, this.switches);
      this.years.set(year, schedule);
    }
    return schedule;
  }

  isWorkingDay(date: DayInput): boolean {
    return this.isWorkingDayNumber(toDayNumber(date));
  }

  dayOffReason(date: DayInput): DayOffReason | null {
    return this.describeDayNumber(toDayNumber(date)).reason;
  }

  describeDay(date: DayInput): DayStatus {
    return this.describeDayNumber(toDayNumber(date));
  }

  /** The first working day strictly after `date`. */
  nextWorkingDay(date: DayInput): IsoDate {
    return formatIsoDate(this.nextWorkingDayNumber(toDayNumber(date)));
  }

  /** `date` itself when it is a working day, else the next one. */
  workingDayOnOrAfter(date: DayInput): IsoDate {
    const day = toDayNumber(date);
    return formatIsoDate(this.isWorkingDayNumber(day) ? day : this.nextWorkingDayNumber(day));
  }

  /** The n-th working day after `date` (n = 0 gives `date`); inverse of `workingDaysBetween`. */
  addWorkingDays(date: DayInput, n: number): IsoDate {
    return formatIsoDate(this.addWorkingDayNumbers(toDayNumber(date), n));
  }

  /** How many working days lie in (a, b]: a day received on `a` and returned on `b` took this many. Negative if b < a. */
  workingDaysBetween(a: DayInput, b: DayInput): number {
    const from = toDayNumber(a);
    const to = toDayNumber(b);
    if (to < from) return 0 - this.workingDaysBetween(b, a); // 0 − x: never −0
    let count = 0;
    for (let day = from + 1; day <= to; day++) if (this.isWorkingDayNumber(day)) count++;
    return count;
  }

  // --- Day-number (JDN) forms, for the due-date arithmetic ---

  isWorkingDayNumber(day: number): boolean {
    const schedule = this.yearSchedule(ymdFromDayNumber(day).year);
    if (schedule.workingDays.has(day)) return true;
    return !schedule.daysOff.has(day) && !schedule.weekend.has(isoWeekday(day));
  }

  nextWorkingDayNumber(day: number): number {
    let next = day + 1;
    while (!this.isWorkingDayNumber(next)) next++;
    return next;
  }

  addWorkingDayNumbers(day: number, n: number): number {
    if (!Number.isInteger(n) || n < 0) {
      throw new CalendarInputError(format(vi.calendar.invalidAmount, { value: n }), `working days ${n} < 0`);
    }
    let result = day;
    for (let i = 0; i < n; i++) result = this.nextWorkingDayNumber(result);
    return result;
  }

  describeDayNumber(day: number): DayStatus {
    const schedule = this.yearSchedule(ymdFromDayNumber(day).year);
    const weekday = isoWeekday(day);
    const base = { date: formatIsoDate(day), weekday };
    const working = schedule.workingDays.get(day);
    if (working) {
      return {
        ...base,
        working: true,
        reason: null,
        workingReason: format(vi.calendar.workingWeekend, { name: working.name }),
      };
    }
    const off = schedule.daysOff.get(day);
    if (off) return { ...base, working: false, reason: { ...off } };
    if (schedule.weekend.has(weekday)) {
      const name = format(vi.calendar.weekend, { weekday: vi.calendar.weekdays[weekday] ?? String(weekday) });
      return { ...base, working: false, reason: { kind: 'weekend', name } };
    }
    return { ...base, working: true, reason: null };
  }
}
