/**
 * Appointment date (ngày hẹn trả) = the moment the dossier counts as received + the procedure's processing time.
 *
 * The rule, chosen to be simple and explicit (Decree 118 practice: the result is promised for the same time of
 * day as the reception, N working days later):
 *  1. Start of the count. Received inside office hours on a working day → that moment. Received before a
 *     session opens (early morning, lunch break) → when that session opens. Received after the last session
 *     closes (17:00 included) or on a day off → 07:30 (first session) of the next working day.
 *  2. `working-days` N → the N-th working day after the start day, at the start's time of day.
 *     Monday 09:15 + 3 → Thursday 09:15; Friday 17:30 + 1 → Tuesday 07:30 (start Monday 07:30).
 *  3. `days` N → start day + N calendar days at the start's time of day, moved to the next working day (same
 *     time) when that day is off.
 *  4. `hours` H → H×60 working minutes counted inside office sessions from the start; a count that uses up a
 *     session exactly ends at the session's close (11:30, 17:00).
 * All times are Vietnam wall-clock time (UTC+7), whatever the machine's TZ.
 */
import { z } from 'zod';
import { format, vi } from '../../api/i18n';
import { instantFromVietnamLocal, parseVietnamDateTime, vietnamLocalTime } from './civil-date';
import { CalendarInputError } from './errors';
import type { WorkingCalendar } from './working-calendar';

export const DURATION_UNITS = ['working-days', 'days', 'hours'] as const;
export type DurationUnit = (typeof DURATION_UNITS)[number];

/** Longest processing time accepted per unit: beyond this the input is surely a typing mistake. */
export const MAX_AMOUNT: Record<DurationUnit, number> = { 'working-days': 1000, days: 1500, hours: 8000 };

const hhmm = z.string().regex(/^([01]\d|2[0-3]):[0-5]\d$/, 'expected HH:MM');
export const officeHoursSchema = z
  .array(z.object({ start: hhmm, end: hhmm }).strict())
  .min(1)
  .superRefine((sessions, ctx) => {
    sessions.forEach((s, i) => {
      if (s.start >= s.end) ctx.addIssue({ code: 'custom', message: 'start not before end', path: [i] });
      const previous = sessions[i - 1];
      if (previous && previous.end > s.start)
        ctx.addIssue({ code: 'custom', message: 'sessions overlap or are out of order', path: [i] });
    });
  });

/** Office sessions in Vietnam time, e.g. morning and afternoon. */
export type OfficeHours = z.infer<typeof officeHoursSchema>;

export const DEFAULT_OFFICE_HOURS: OfficeHours = [
  { start: '07:30', end: '11:30' },
  { start: '13:30', end: '17:00' },
];

export interface DueDateInput {
  /** Instant, or ISO text; ISO text without an offset is Vietnam time. */
  received: Date | string;
  amount: number;
  unit: DurationUnit;
}

export interface DueDateResult {
  received: Date;
  /** When the count started (see the rule above). */
  countFrom: Date;
  due: Date;
  amount: number;
  unit: DurationUnit;
}

interface Session {
  start: number;
  end: number;
}

const toMs = (text: string) => (Number(text.slice(0, 2)) * 60 + Number(text.slice(3, 5))) * 60_000;

function sessionsOf(officeHours: OfficeHours): Session[] {
  const parsed = officeHoursSchema.safeParse(officeHours);
  if (!parsed.success) {
    const detail = parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ');
    throw new CalendarInputError(
      format(vi.calendar.invalidOfficeHours, { detail }),
      `office hours: ${detail}`,
    );
  }
  return parsed.data.map((s) => ({ start: toMs(s.start), end: toMs(s.end) }));
}

export function checkAmount(amount: number, unit: DurationUnit): void {
  if (!(DURATION_UNITS as readonly string[]).includes(unit)) {
    throw new CalendarInputError(
      format(vi.calendar.invalidUnit, { value: String(unit) }),
      `unknown unit ${unit}`,
    );
  }
  if (typeof amount !== 'number' || !Number.isFinite(amount) || amount <= 0) {
    throw new CalendarInputError(
      format(vi.calendar.invalidAmount, { value: String(amount) }),
      `amount ${amount}`,
    );
  }
  if (unit !== 'hours' && !Number.isInteger(amount)) {
    throw new CalendarInputError(
      format(vi.calendar.amountNotInteger, { value: amount }),
      `${unit} ${amount}`,
    );
  }
  if (unit === 'hours' && Math.round(amount * 60) < 1) {
    throw new CalendarInputError(
      format(vi.calendar.invalidAmount, { value: amount }),
      `hours ${amount} < 1 min`,
    );
  }
  if (amount > MAX_AMOUNT[unit]) {
    throw new CalendarInputError(
      format(vi.calendar.amountTooLarge, {
        value: amount,
        max: MAX_AMOUNT[unit],
        unit: vi.calendar.units[unit],
      }),
      `${unit} ${amount} above ${MAX_AMOUNT[unit]}`,
    );
  }
}

/** Step 1 of the rule: the moment the count starts, as (JDN, ms since Vietnam midnight). */
function countStart(calendar: WorkingCalendar, received: Date, sessions: Session[]) {
  const { dayNumber, msOfDay } = vietnamLocalTime(received);
  const first = sessions[0] as Session;
  if (calendar.isWorkingDayNumber(dayNumber)) {
    for (const session of sessions) {
      if (msOfDay < session.start) return { day: dayNumber, ms: session.start };
      if (msOfDay < session.end) return { day: dayNumber, ms: msOfDay };
    }
  }
  return { day: calendar.nextWorkingDayNumber(dayNumber), ms: first.start };
}

export function computeDueDate(
  calendar: WorkingCalendar,
  input: DueDateInput,
  officeHours: OfficeHours = DEFAULT_OFFICE_HOURS,
): DueDateResult {
  const { amount, unit } = input;
  checkAmount(amount, unit);
  const received = typeof input.received === 'string' ? parseVietnamDateTime(input.received) : input.received;
  const sessions = sessionsOf(officeHours);
  const start = countStart(calendar, received, sessions);

  let dueDay: number;
  let dueMs: number;
  if (unit === 'working-days') {
    dueDay = calendar.addWorkingDayNumbers(start.day, amount);
    dueMs = start.ms;
  } else if (unit === 'days') {
    const plain = start.day + amount;
    dueDay = calendar.isWorkingDayNumber(plain) ? plain : calendar.nextWorkingDayNumber(plain);
    dueMs = start.ms;
  } else {
    ({ day: dueDay, ms: dueMs } = addWorkingMinutes(calendar, start, Math.round(amount * 60), sessions));
  }
  return {
    received,
    countFrom: instantFromVietnamLocal(start.day, start.ms),
    due: instantFromVietnamLocal(dueDay, dueMs),
    amount,
    unit,
  };
}

function addWorkingMinutes(
  calendar: WorkingCalendar,
  start: { day: number; ms: number },
  minutes: number,
  sessions: Session[],
): { day: number; ms: number } {
  let remaining = minutes * 60_000;
  let day = start.day;
  let position = start.ms;
  for (;;) {
    for (const session of sessions) {
      if (session.end <= position) continue;
      const from = Math.max(position, session.start);
      const available = session.end - from;
      if (remaining <= available) return { day, ms: from + remaining };
      remaining -= available;
    }
    day = calendar.nextWorkingDayNumber(day);
    position = 0;
  }
}
