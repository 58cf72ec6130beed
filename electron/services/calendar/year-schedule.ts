/**
 * One solar year's days off, in three layers:
 *  1. holidays computed from the rule set(s) in force (fixed solar days, lunar days);
 *  2. compensation: a holiday on a weekly rest day gives the next working day off;
 *  3. official tables: they replace named holidays for their year and add days off and working Saturdays.
 */
import { format, vi } from '../../api/i18n';
import { dayNumberFromYmd, isoWeekday, parseIsoDate } from './civil-date';
import { CalendarInputError } from './errors';
import type { HolidayRule, HolidayRuleSet, OfficialTable } from './holiday-data';
import { dayNumberFromLunar, lunarYearMonths } from './lunar';

export type DayOffKind = 'holiday' | 'compensation' | 'official';

export interface DayOff {
  kind: DayOffKind;
  /** Vietnamese, e.g. "Tết Nguyên Đán", "Nghỉ bù Giỗ Tổ Hùng Vương". */
  name: string;
  /** Rule id of the holiday it belongs to, when known. */
  holiday?: string;
  /** Legal text or notice it comes from. */
  source: string;
}

export interface WorkingWeekendDay {
  name: string;
  source: string;
}

export interface YearSchedule {
  year: number;
  weekend: ReadonlySet<number>;
  daysOff: ReadonlyMap<number, DayOff>;
  /** Weekly rest days made working days by an official table. */
  workingDays: ReadonlyMap<number, WorkingWeekendDay>;
}

/** Holiday switches by rule id: `{ 'vietnam-culture-day': true }` turns on a day marked `enabled: false`. */
export type HolidaySwitches = Readonly<Record<string, boolean>>;

function anchorDay(rule: HolidayRule, year: number): number | null {
  if (rule.calendar === 'solar') return dayNumberFromYmd(year, rule.month, rule.day);
  const month = lunarYearMonths(year).find((m) => m.month === rule.month && !m.leap);
  if (!month) return null;
  // A lunar day 30 in a 29-day month is kept on the month's last day rather than lost.
  return dayNumberFromLunar({ year, month: rule.month, day: Math.min(rule.day, month.length), leap: false });
}

function ruleDays(rule: HolidayRule, year: number): number[] {
  const anchor = anchorDay(rule, year);
  if (anchor === null) return [];
  const days: number[] = [];
  for (let i = 0; i < rule.length; i++) days.push(anchor + rule.startOffset + i);
  const adjacent = rule.adjacentDay?.[String(isoWeekday(anchor)) as keyof typeof rule.adjacentDay];
  if (adjacent !== undefined && !days.includes(anchor + adjacent)) days.push(anchor + adjacent);
  return days.sort((a, b) => a - b);
}

const within = (day: number, from?: string | null, to?: string | null) =>
  (!from || day >= parseIsoDate(from)) && (!to || day <= parseIsoDate(to));

/** Rule sets in force on 1 January of the year; the year is refused when none is, rather than guessed. */
export function ruleSetsForYear(ruleSets: readonly HolidayRuleSet[], year: number): HolidayRuleSet[] {
  const first = dayNumberFromYmd(year, 1, 1);
  const last = dayNumberFromYmd(year, 12, 31);
  const active = ruleSets.filter(
    (set) =>
      parseIsoDate(set.effectiveFrom) <= last &&
      (set.effectiveTo === null || parseIsoDate(set.effectiveTo) >= first),
  );
  if (!active.some((set) => within(first, set.effectiveFrom, set.effectiveTo))) {
    throw new CalendarInputError(
      format(vi.calendar.noRulesForYear, { year }),
      `no holiday rule set covers ${year}-01-01`,
    );
  }
  return active;
}

export function buildYearSchedule(
  year: number,
  ruleSets: readonly HolidayRuleSet[],
  tables: readonly OfficialTable[],
  switches: HolidaySwitches = {},
): YearSchedule {
  const active = ruleSetsForYear(ruleSets, year);
  const first = dayNumberFromYmd(year, 1, 1);
  const last = dayNumberFromYmd(year, 12, 31);
  const opening = active.find((set) => within(first, set.effectiveFrom, set.effectiveTo)) as HolidayRuleSet;
  const weekend = new Set(opening.weekend);
  const yearTables = tables.filter((t) => t.year === year);
  const replaced = new Set(yearTables.flatMap((t) => t.replaces));

  // Layer 1: computed holidays, each kept only inside its own and its rule set's effective dates.
  const holidays = new Map<number, DayOff>();
  const compensating = new Set<number>();
  for (const set of active) {
    for (const rule of set.holidays) {
      if (!(switches[rule.id] ?? rule.enabled) || replaced.has(rule.id)) continue;
      for (const day of ruleDays(rule, year)) {
        if (day < first || day > last || holidays.has(day)) continue;
        if (
          !within(day, set.effectiveFrom, set.effectiveTo) ||
          !within(day, rule.effectiveFrom, rule.effectiveTo)
        )
          continue;
        holidays.set(day, { kind: 'holiday', name: rule.name, holiday: rule.id, source: set.source });
        if (set.compensation === 'next-working-day') compensating.add(day);
      }
    }
  }

  // Layer 2: each holiday on a rest day moves to the next day that is neither rest, holiday nor already moved.
  const daysOff = new Map(holidays);
  for (const day of [...holidays.keys()].sort((a, b) => a - b)) {
    if (!compensating.has(day) || !weekend.has(isoWeekday(day))) continue;
    let next = day + 1;
    while (weekend.has(isoWeekday(next)) || daysOff.has(next)) next++;
    const holiday = holidays.get(day) as DayOff;
    daysOff.set(next, {
      kind: 'compensation',
      name: format(vi.calendar.compensation, { name: holiday.name }),
      holiday: holiday.holiday,
      source: holiday.source,
    });
  }

  // Layer 3: the official tables have the last word.
  const workingDays = new Map<number, WorkingWeekendDay>();
  for (const table of yearTables) {
    for (const range of table.daysOff) {
      for (let day = parseIsoDate(range.from); day <= parseIsoDate(range.to); day++) {
        daysOff.set(day, {
          kind: 'official',
          name: range.name,
          holiday: range.holiday,
          source: table.source,
        });
        workingDays.delete(day);
      }
    }
    for (const entry of table.workingDays) {
      const day = parseIsoDate(entry.date);
      daysOff.delete(day);
      workingDays.set(day, { name: entry.name, source: table.source });
    }
  }
  return { year, weekend, daysOff, workingDays };
}
