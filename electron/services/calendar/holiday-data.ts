/**
 * Versioned holiday data: rule sets from the Labour Code (with effective dates) and official yearly tables
 * (Bộ Nội vụ notices: extra days off, working Saturdays). Shipped as JSON in assets/calendar, or received
 * through sync; every file is validated here before a single day of it is used.
 */

import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { z } from 'zod';
import { format, vi } from '../../api/i18n';
import { assetPath } from '../assets';
import { daysInMonth } from './civil-date';
import { CalendarDataError } from './errors';

const isoDate = z
  .string()
  .regex(/^\d{4}-\d{2}-\d{2}$/, 'expected YYYY-MM-DD')
  .refine((text) => {
    const [y, m, d] = text.split('-').map(Number) as [number, number, number];
    return m >= 1 && m <= 12 && d >= 1 && d <= daysInMonth(y, m);
  }, 'no such date');

const ruleId = z.string().regex(/^[a-z0-9-]+$/, 'lower-case letters, digits and dashes');
const isoWeekdayKey = z.enum(['1', '2', '3', '4', '5', '6', '7']);

const holidayRuleSchema = z
  .object({
    id: ruleId,
    /** Vietnamese name shown as the reason for the day off. */
    name: z.string().min(1),
    calendar: z.enum(['solar', 'lunar']),
    /** Anchor day: solar month/day, or lunar month/day of the lunar year whose Tết falls in the solar year. */
    month: z.number().int().min(1).max(12),
    day: z.number().int().min(1).max(31),
    /** Days before the anchor that are also off (Tết: −1 = the last day of the old lunar year). */
    startOffset: z.number().int().min(-10).max(0).default(0),
    /** Consecutive days off from anchor + startOffset. */
    length: z.number().int().min(1).max(10).default(1),
    /** One more day next to the anchor, by the anchor's ISO weekday: −1 the day before, +1 the day after. */
    adjacentDay: z.partialRecord(isoWeekdayKey, z.union([z.literal(-1), z.literal(1)])).optional(),
    effectiveFrom: isoDate.optional(),
    effectiveTo: isoDate.nullable().optional(),
    /** Off unless switched on: used for days whose legal basis is still awaited. */
    enabled: z.boolean().default(true),
    /** `verify`: announced but not yet confirmed in law; the desk can switch it (see `holidaySwitches`). */
    status: z.enum(['confirmed', 'verify']).default('confirmed'),
    note: z.string().optional(),
  })
  .strict()
  .refine((rule) => rule.calendar === 'lunar' || rule.day <= daysInMonth(2024, rule.month), {
    message: 'no such solar day',
    path: ['day'],
  })
  .refine((rule) => rule.calendar === 'solar' || rule.day <= 30, {
    message: 'lunar day above 30',
    path: ['day'],
  });

export const holidayRuleSetSchema = z
  .object({
    schema: z.literal(1),
    kind: z.literal('holiday-rules'),
    id: ruleId,
    title: z.string().min(1),
    /** The legal text, e.g. "Bộ luật Lao động số 45/2019/QH14, Điều 112". */
    source: z.string().min(1),
    effectiveFrom: isoDate,
    effectiveTo: isoDate.nullable().default(null),
    /** ISO weekdays of the weekly rest (6 = Saturday, 7 = Sunday). */
    weekend: z.array(z.number().int().min(1).max(7)).default([6, 7]),
    /** A holiday on a weekly rest day gives the next working day off (Labour Code 2019 Art. 111). */
    compensation: z.enum(['next-working-day', 'none']).default('next-working-day'),
    holidays: z.array(holidayRuleSchema).min(1),
  })
  .strict()
  .refine((set) => new Set(set.holidays.map((h) => h.id)).size === set.holidays.length, {
    message: 'duplicate holiday id',
    path: ['holidays'],
  });

export const officialTableSchema = z
  .object({
    schema: z.literal(1),
    kind: z.literal('official-table'),
    /** Stable id, e.g. `bnv-9441-2026`; a synced table with the same id replaces the shipped one. */
    id: ruleId,
    year: z.number().int().min(1800).max(2199),
    title: z.string().min(1),
    /** The notice, e.g. "Thông báo 9441/TB-BNV". */
    source: z.string().min(1),
    issued: isoDate.optional(),
    /** Rule ids whose computed days (and their compensation days) this table replaces for its year. */
    replaces: z.array(ruleId).default([]),
    /** Ids of older tables this one cancels entirely (a corrected notice). */
    supersedes: z.array(ruleId).default([]),
    daysOff: z
      .array(
        z
          .object({ from: isoDate, to: isoDate, name: z.string().min(1), holiday: ruleId.optional() })
          .strict(),
      )
      .default([]),
    /** Weekend days made working days (làm bù). */
    workingDays: z.array(z.object({ date: isoDate, name: z.string().min(1) }).strict()).default([]),
  })
  .strict()
  .superRefine((table, ctx) => {
    const inYear = (date: string) => date.startsWith(`${table.year}-`);
    table.daysOff.forEach((range, i) => {
      if (range.from > range.to)
        ctx.addIssue({ code: 'custom', message: 'from after to', path: ['daysOff', i] });
      if (!inYear(range.from) || !inYear(range.to))
        ctx.addIssue({ code: 'custom', message: `outside ${table.year}`, path: ['daysOff', i] });
    });
    table.workingDays.forEach((entry, i) => {
      if (!inYear(entry.date))
        ctx.addIssue({ code: 'custom', message: `outside ${table.year}`, path: ['workingDays', i] });
      if (table.daysOff.some((r) => r.from <= entry.date && entry.date <= r.to))
        ctx.addIssue({
          code: 'custom',
          message: 'both a day off and a working day',
          path: ['workingDays', i],
        });
    });
  });

export type HolidayRuleSet = z.infer<typeof holidayRuleSetSchema>;
export type HolidayRule = HolidayRuleSet['holidays'][number];
export type OfficialTable = z.infer<typeof officialTableSchema>;

function describeIssues(error: z.ZodError): string {
  return error.issues.map((i) => `${i.path.join('.') || '(root)'}: ${i.message}`).join('; ');
}

/** Validates an official table (from sync or a file); throws CalendarDataError with both messages. */
export function parseOfficialTable(raw: unknown): OfficialTable {
  const parsed = officialTableSchema.safeParse(raw);
  if (!parsed.success) {
    const detail = describeIssues(parsed.error);
    throw new CalendarDataError(
      format(vi.calendar.invalidOfficialTable, { detail }),
      `official table: ${detail}`,
    );
  }
  return parsed.data;
}

export function parseHolidayRuleSet(raw: unknown, file = '(memory)'): HolidayRuleSet {
  const parsed = holidayRuleSetSchema.safeParse(raw);
  if (!parsed.success) {
    const detail = describeIssues(parsed.error);
    throw new CalendarDataError(format(vi.calendar.invalidDataFile, { file, detail }), `${file}: ${detail}`);
  }
  return parsed.data;
}

/** assets/calendar in a checkout; the packaged app passes its own folder. */
export const SHIPPED_CALENDAR_DIR = assetPath('calendar');

export interface CalendarData {
  ruleSets: HolidayRuleSet[];
  tables: OfficialTable[];
}

/**
 * Reads every `*.json` in the folder and sorts it by `kind`. One bad file stops the load: a desk that silently
 * dropped a holiday file would print wrong appointment dates.
 */
export function loadCalendarData(dir: string = SHIPPED_CALENDAR_DIR): CalendarData {
  const data: CalendarData = { ruleSets: [], tables: [] };
  for (const name of readdirSync(dir)
    .filter((n) => n.endsWith('.json'))
    .sort()) {
    let raw: unknown;
    try {
      raw = JSON.parse(readFileSync(join(dir, name), 'utf8'));
    } catch (error) {
      const detail = (error as Error).message;
      throw new CalendarDataError(
        format(vi.calendar.invalidDataFile, { file: name, detail }),
        `${name}: ${detail}`,
      );
    }
    const kind = (raw as { kind?: unknown } | null)?.kind;
    if (kind === 'official-table') {
      try {
        data.tables.push(parseOfficialTable(raw));
      } catch (error) {
        const detail = (error as CalendarDataError).detail;
        throw new CalendarDataError(
          format(vi.calendar.invalidDataFile, { file: name, detail }),
          `${name}: ${detail}`,
        );
      }
    } else data.ruleSets.push(parseHolidayRuleSet(raw, name));
  }
  return data;
}
