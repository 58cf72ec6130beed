/**
 * Calendar dates as Julian Day Numbers (JDN, an integer per civil day) and Vietnam wall-clock time.
 *
 * Everything here is plain arithmetic on UTC milliseconds with a fixed +07:00 offset, so results never depend
 * on the machine's TZ setting (Vietnam has had no daylight saving time since 1975).
 */
import { format, vi } from '../../api/i18n';
import { CalendarInputError } from './errors';

/** A civil date written `YYYY-MM-DD`. */
export type IsoDate = string;
/** A day given as `YYYY-MM-DD`, or as an instant (then read on Vietnam's clock). */
export type DayInput = IsoDate | Date;

export const VIETNAM_OFFSET_MINUTES = 7 * 60;
const MS_PER_MINUTE = 60_000;
export const MS_PER_DAY = 86_400_000;
const VIETNAM_OFFSET_MS = VIETNAM_OFFSET_MINUTES * MS_PER_MINUTE;
/** JDN of 1970-01-01, the Unix epoch. */
const JDN_UNIX_EPOCH = 2_440_588;

/** The years every calendar function accepts; the lunar formulas are accurate well beyond this. */
export const MIN_YEAR = 1800;
export const MAX_YEAR = 2199;

export interface Ymd {
  year: number;
  month: number;
  day: number;
}

/** Proleptic Gregorian date → JDN (Fliegel & Van Flandern's integer formula). */
export function dayNumberFromYmd(year: number, month: number, day: number): number {
  const a = Math.floor((14 - month) / 12);
  const y = year + 4800 - a;
  const m = month + 12 * a - 3;
  return (
    day +
    Math.floor((153 * m + 2) / 5) +
    365 * y +
    Math.floor(y / 4) -
    Math.floor(y / 100) +
    Math.floor(y / 400) -
    32045
  );
}

/** JDN → proleptic Gregorian date. */
export function ymdFromDayNumber(jdn: number): Ymd {
  const a = jdn + 32044;
  const b = Math.floor((4 * a + 3) / 146097);
  const c = a - Math.floor((146097 * b) / 4);
  const d = Math.floor((4 * c + 3) / 1461);
  const e = c - Math.floor((1461 * d) / 4);
  const m = Math.floor((5 * e + 2) / 153);
  return {
    day: e - Math.floor((153 * m + 2) / 5) + 1,
    month: m + 3 - 12 * Math.floor(m / 10),
    year: 100 * b + d - 4800 + Math.floor(m / 10),
  };
}

export function daysInMonth(year: number, month: number): number {
  return (
    dayNumberFromYmd(month === 12 ? year + 1 : year, month === 12 ? 1 : month + 1, 1) -
    dayNumberFromYmd(year, month, 1)
  );
}

/** ISO weekday: 1 = Monday … 7 = Sunday. JDN 0 was a Monday. */
export function isoWeekday(jdn: number): number {
  return (jdn % 7) + 1;
}

const pad = (n: number, width = 2) => String(n).padStart(width, '0');

export function formatIsoDate(jdn: number): IsoDate {
  const { year, month, day } = ymdFromDayNumber(jdn);
  return `${pad(year, 4)}-${pad(month)}-${pad(day)}`;
}

export function checkYear(year: number): void {
  if (!Number.isInteger(year) || year < MIN_YEAR || year > MAX_YEAR) {
    throw new CalendarInputError(
      format(vi.calendar.yearOutOfRange, { year, min: MIN_YEAR, max: MAX_YEAR }),
      `year ${year} outside ${MIN_YEAR}..${MAX_YEAR}`,
    );
  }
}

/** Checks that year/month/day is a real Gregorian date in the supported range, and gives its JDN. */
export function dayNumberFromCheckedYmd(year: number, month: number, day: number): number {
  checkYear(year);
  if (
    !Number.isInteger(month) ||
    month < 1 ||
    month > 12 ||
    !Number.isInteger(day) ||
    day < 1 ||
    day > daysInMonth(year, month)
  ) {
    throw new CalendarInputError(
      format(vi.calendar.invalidDate, { value: `${pad(day)}/${pad(month)}/${year}` }),
      `no such date ${year}-${month}-${day}`,
    );
  }
  return dayNumberFromYmd(year, month, day);
}

const ISO_DATE = /^(\d{4})-(\d{2})-(\d{2})$/;

/** Strict `YYYY-MM-DD` → JDN; 2026-02-30 is refused, not rolled over to March. */
export function parseIsoDate(text: string): number {
  const match = ISO_DATE.exec(text.trim());
  if (!match) {
    throw new CalendarInputError(
      format(vi.calendar.invalidDate, { value: text }),
      `not a YYYY-MM-DD date: ${JSON.stringify(text)}`,
    );
  }
  return dayNumberFromCheckedYmd(Number(match[1]), Number(match[2]), Number(match[3]));
}

/** A moment on Vietnam's clock: the civil day and the milliseconds since local midnight. */
export interface VietnamLocalTime {
  dayNumber: number;
  msOfDay: number;
}

export function vietnamLocalTime(instant: Date): VietnamLocalTime {
  const localMs = instant.getTime() + VIETNAM_OFFSET_MS;
  if (!Number.isFinite(localMs)) {
    throw new CalendarInputError(
      format(vi.calendar.invalidDateTime, { value: String(instant) }),
      'invalid Date',
    );
  }
  const days = Math.floor(localMs / MS_PER_DAY);
  return { dayNumber: days + JDN_UNIX_EPOCH, msOfDay: localMs - days * MS_PER_DAY };
}

export function instantFromVietnamLocal(dayNumber: number, msOfDay: number): Date {
  return new Date((dayNumber - JDN_UNIX_EPOCH) * MS_PER_DAY + msOfDay - VIETNAM_OFFSET_MS);
}

/** The civil day a `DayInput` names, as a JDN. */
export function toDayNumber(input: DayInput): number {
  if (input instanceof Date) {
    const { dayNumber } = vietnamLocalTime(input);
    checkYear(ymdFromDayNumber(dayNumber).year);
    return dayNumber;
  }
  return parseIsoDate(input);
}

const ISO_DATETIME =
  /^(\d{4})-(\d{2})-(\d{2})[T ](\d{2}):(\d{2})(?::(\d{2})(?:\.(\d{1,3})\d*)?)?(Z|[+-]\d{2}:?\d{2})?$/i;

/**
 * `YYYY-MM-DDTHH:mm[:ss[.sss]][Z|±HH:MM]` → instant. Without an offset the time is read on Vietnam's clock,
 * never the machine's: the clerk types what the wall clock at the desk shows.
 */
export function parseVietnamDateTime(text: string): Date {
  const match = ISO_DATETIME.exec(text.trim());
  const fail = (why: string) =>
    new CalendarInputError(format(vi.calendar.invalidDateTime, { value: text }), why);
  if (!match) throw fail(`not an ISO date-time: ${JSON.stringify(text)}`);
  const [, y, mo, d, h, mi, s, frac, zone] = match;
  const hour = Number(h);
  const minute = Number(mi);
  const second = Number(s ?? 0);
  if (hour > 23 || minute > 59 || second > 59) throw fail(`time out of range in ${JSON.stringify(text)}`);
  let dayNumber: number;
  try {
    dayNumber = dayNumberFromCheckedYmd(Number(y), Number(mo), Number(d));
  } catch (error) {
    if (error instanceof CalendarInputError) throw fail(error.detail);
    throw error;
  }
  const msOfDay = ((hour * 60 + minute) * 60 + second) * 1000 + Number((frac ?? '0').padEnd(3, '0'));
  const asVietnam = instantFromVietnamLocal(dayNumber, msOfDay);
  if (!zone) return asVietnam;
  let offsetMinutes = 0;
  if (zone.toUpperCase() !== 'Z') {
    const digits = zone.replace(':', '');
    const sign = digits.startsWith('-') ? -1 : 1;
    const oh = Number(digits.slice(1, 3));
    const om = Number(digits.slice(3, 5));
    if (oh > 14 || om > 59) throw fail(`bad UTC offset in ${JSON.stringify(text)}`);
    offsetMinutes = sign * (oh * 60 + om);
  }
  return new Date(asVietnam.getTime() + (VIETNAM_OFFSET_MINUTES - offsetMinutes) * MS_PER_MINUTE);
}

/** `hh:mm dd/mm/yyyy`, the form printed on receipts (Giấy tiếp nhận hồ sơ và hẹn trả kết quả). */
export function formatVietnamDateTime(instant: Date): string {
  const { dayNumber, msOfDay } = vietnamLocalTime(instant);
  const { year, month, day } = ymdFromDayNumber(dayNumber);
  const minutes = Math.floor(msOfDay / MS_PER_MINUTE);
  return `${pad(Math.floor(minutes / 60))}:${pad(minutes % 60)} ${pad(day)}/${pad(month)}/${pad(year, 4)}`;
}

/** ISO 8601 with the explicit +07:00 offset, seconds precision. */
export function formatVietnamIso(instant: Date): string {
  const { dayNumber, msOfDay } = vietnamLocalTime(instant);
  const seconds = Math.floor(msOfDay / 1000);
  const time = `${pad(Math.floor(seconds / 3600))}:${pad(Math.floor(seconds / 60) % 60)}:${pad(seconds % 60)}`;
  return `${formatIsoDate(dayNumber)}T${time}+07:00`;
}
