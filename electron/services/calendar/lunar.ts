/**
 * The Vietnamese lunisolar calendar (âm lịch), computed for the UTC+7 meridian.
 *
 * Method published by Hồ Ngọc Đức ("Thuật toán tính âm lịch"), built on Jean Meeus' formulas:
 *  - a month starts on the civil day (in the time zone) of a true new moon;
 *  - month 11 is the month that contains the winter solstice (sun longitude 270°);
 *  - when two consecutive month-11 starts are 13 months apart, the first month after month 11 that contains no
 *    major solar term (no multiple of 30° of sun longitude) is a leap month and repeats the previous number.
 * The time zone matters: the same new moon can fall on different civil days in Hanoi (UTC+7) and Beijing (UTC+8),
 * which is why a Chinese calendar library gives the wrong Tết in some years. Implemented here from the
 * formulas, not from any existing package.
 */
import { format, vi } from '../../api/i18n';
import { checkYear, dayNumberFromYmd, MAX_YEAR, MIN_YEAR, ymdFromDayNumber } from './civil-date';
import { CalendarInputError } from './errors';

/** Vietnam's legal time since 1975. Other zones are accepted for comparison (UTC+8 = the Chinese calendar). */
export const VIETNAM_TIME_ZONE_HOURS = 7;

export interface LunarDate {
  year: number;
  month: number;
  day: number;
  /** True for the repeated (nhuận) month. */
  leap: boolean;
}

export interface LunarMonth {
  year: number;
  month: number;
  leap: boolean;
  /** JDN of day 1. */
  start: number;
  /** 29 or 30. */
  length: number;
}

const RAD = Math.PI / 180;
const SYNODIC_MONTH = 29.530588853;
/** Julian day of Meeus' new moon number 0 (early January 1900). */
const NEW_MOON_EPOCH_JD = 2415021.076998695;

/** Julian day (UT, with fraction) of the true new moon number k counted from January 1900 (Meeus). */
export function newMoonJulianDay(k: number): number {
  const T = k / 1236.85; // Julian centuries from 1900 January 0.5
  const T2 = T * T;
  const T3 = T2 * T;
  const mean =
    2415020.75933 +
    29.53058868 * k +
    0.0001178 * T2 -
    0.000000155 * T3 +
    0.00033 * Math.sin((166.56 + 132.87 * T - 0.009173 * T2) * RAD);
  const sunAnomaly = (359.2242 + 29.10535608 * k - 0.0000333 * T2 - 0.00000347 * T3) * RAD;
  const moonAnomaly = (306.0253 + 385.81691806 * k + 0.0107306 * T2 + 0.00001236 * T3) * RAD;
  const moonLatitude = (21.2964 + 390.67050646 * k - 0.0016528 * T2 - 0.00000239 * T3) * RAD;
  const correction =
    (0.1734 - 0.000393 * T) * Math.sin(sunAnomaly) +
    0.0021 * Math.sin(2 * sunAnomaly) -
    0.4068 * Math.sin(moonAnomaly) +
    0.0161 * Math.sin(2 * moonAnomaly) -
    0.0004 * Math.sin(3 * moonAnomaly) +
    0.0104 * Math.sin(2 * moonLatitude) -
    0.0051 * Math.sin(sunAnomaly + moonAnomaly) -
    0.0074 * Math.sin(sunAnomaly - moonAnomaly) +
    0.0004 * Math.sin(2 * moonLatitude + sunAnomaly) -
    0.0004 * Math.sin(2 * moonLatitude - sunAnomaly) -
    0.0006 * Math.sin(2 * moonLatitude + moonAnomaly) +
    0.001 * Math.sin(2 * moonLatitude - moonAnomaly) +
    0.0005 * Math.sin(2 * moonAnomaly + sunAnomaly);
  // ΔT (TT − UT) in days: the formulas give dynamical time, civil days follow universal time.
  const deltaT =
    T < -11
      ? 0.001 + 0.000839 * T + 0.0002261 * T2 - 0.00000845 * T3 - 0.000000081 * T * T3
      : -0.000278 + 0.000265 * T + 0.000262 * T2;
  return mean + correction - deltaT;
}

/** Sun's true ecliptic longitude, radians in [0, 2π), at Julian day jd (Meeus, low precision). */
export function sunLongitude(jd: number): number {
  const T = (jd - 2451545.0) / 36525; // Julian centuries from J2000.0
  const T2 = T * T;
  const meanAnomaly = (357.5291 + 35999.0503 * T - 0.0001559 * T2 - 0.00000048 * T * T2) * RAD;
  const meanLongitude = 280.46645 + 36000.76983 * T + 0.0003032 * T2;
  const center =
    (1.9146 - 0.004817 * T - 0.000014 * T2) * Math.sin(meanAnomaly) +
    (0.019993 - 0.000101 * T) * Math.sin(2 * meanAnomaly) +
    0.00029 * Math.sin(3 * meanAnomaly);
  const longitude = (meanLongitude + center) * RAD;
  return longitude - 2 * Math.PI * Math.floor(longitude / (2 * Math.PI));
}

/** Civil day (JDN) in the zone on which new moon k falls. */
function newMoonDay(k: number, zone: number): number {
  return Math.floor(newMoonJulianDay(k) + 0.5 + zone / 24);
}

/** Which 30° sector (0–11) the sun is in at the local midnight that begins day `jdn`. */
function sunSectorAtDayStart(jdn: number, zone: number): number {
  return Math.floor(sunLongitude(jdn - 0.5 - zone / 24) / (Math.PI / 6));
}

/** JDN of day 1 of the month that contains the winter solstice of solar year `year`. */
function month11Start(year: number, zone: number): number {
  const k = Math.floor((dayNumberFromYmd(year, 12, 31) - 2415021) / SYNODIC_MONTH);
  const start = newMoonDay(k, zone);
  // Sector 9 begins at 270°: if the sun is already past the solstice when this month starts, month 11 was the one before.
  return sunSectorAtDayStart(start, zone) >= 9 ? newMoonDay(k - 1, zone) : start;
}

/**
 * One "sui" year: the months from month 11 of solar year y−1 up to (not including) month 11 of solar year y,
 * each labelled with its lunar year, number and leap flag.
 */
function buildSuiYear(year: number, zone: number): LunarMonth[] {
  const a11 = month11Start(year - 1, zone);
  const b11 = month11Start(year, zone);
  const k0 = Math.floor((a11 - NEW_MOON_EPOCH_JD) / SYNODIC_MONTH + 0.5);
  const count = Math.round((b11 - a11) / SYNODIC_MONTH);
  const starts = Array.from({ length: count + 1 }, (_, i) => newMoonDay(k0 + i, zone));
  if (starts[0] !== a11 || starts[count] !== b11) {
    throw new Error(`lunar month table inconsistent for sui year ${year} (zone ${zone})`);
  }
  let leapIndex = -1;
  if (count === 13) {
    // The first month with no major solar term: the sun stays in one sector from its first day to the next month's.
    for (let i = 1; i < count; i++) {
      if (
        sunSectorAtDayStart(starts[i] as number, zone) === sunSectorAtDayStart(starts[i + 1] as number, zone)
      ) {
        leapIndex = i;
        break;
      }
    }
    if (leapIndex < 0) throw new Error(`no leap month found in 13-month sui year ${year} (zone ${zone})`);
  }
  const months: LunarMonth[] = [];
  for (let i = 0; i < count; i++) {
    const afterLeap = leapIndex >= 0 && i >= leapIndex;
    let month = 11 + i - (afterLeap ? 1 : 0);
    if (month > 12) month -= 12;
    const start = starts[i] as number;
    months.push({
      // Months 11 and 12 at the head of the sui year still belong to the previous lunar year.
      year: month >= 11 && i < 4 ? year - 1 : year,
      month,
      leap: i === leapIndex,
      start,
      length: (starts[i + 1] as number) - start,
    });
  }
  return months;
}

const suiYearCache = new Map<string, LunarMonth[]>();

function suiYear(year: number, zone: number): LunarMonth[] {
  const key = `${zone}:${year}`;
  let months = suiYearCache.get(key);
  if (!months) {
    months = buildSuiYear(year, zone);
    suiYearCache.set(key, months);
  }
  return months;
}

function checkZone(zone: number): void {
  if (!Number.isFinite(zone) || zone < -12 || zone > 14) throw new RangeError(`time zone ${zone} hours`);
}

/** Solar (Gregorian) day, as a JDN, → lunar date. */
export function lunarFromDayNumber(jdn: number, zone = VIETNAM_TIME_ZONE_HOURS): LunarDate {
  checkZone(zone);
  const { year } = ymdFromDayNumber(jdn);
  checkYear(year);
  const months = jdn >= month11Start(year, zone) ? suiYear(year + 1, zone) : suiYear(year, zone);
  for (let i = months.length - 1; i >= 0; i--) {
    const m = months[i] as LunarMonth;
    if (jdn >= m.start) return { year: m.year, month: m.month, day: jdn - m.start + 1, leap: m.leap };
  }
  throw new Error(`day ${jdn} precedes its sui year`);
}

/** The months of lunar year `year`, in order (12 or 13 of them). */
export function lunarYearMonths(year: number, zone = VIETNAM_TIME_ZONE_HOURS): LunarMonth[] {
  checkZone(zone);
  checkYear(year);
  // Months 1–10 sit in sui year `year`, months 11–12 (and a leap 11 or 12) at the head of sui year `year + 1`.
  return [...suiYear(year, zone), ...suiYear(year + 1, zone)].filter((m) => m.year === year);
}

/** The leap month number of lunar year `year`, or null when the year has 12 months. */
export function leapMonthOf(year: number, zone = VIETNAM_TIME_ZONE_HOURS): number | null {
  return lunarYearMonths(year, zone).find((m) => m.leap)?.month ?? null;
}

/** Lunar date → solar day as a JDN. Refuses a leap month the year does not have and a day 30 in a 29-day month. */
export function dayNumberFromLunar(date: LunarDate, zone = VIETNAM_TIME_ZONE_HOURS): number {
  const { year, month, day, leap } = date;
  const shown = `${day}/${month}${leap ? ` ${vi.calendar.leapSuffix}` : ''}/${year}`;
  if (!Number.isInteger(year) || year < MIN_YEAR || year >= MAX_YEAR) {
    throw new CalendarInputError(
      format(vi.calendar.yearOutOfRange, { year, min: MIN_YEAR, max: MAX_YEAR - 1 }),
      `lunar year ${year} outside ${MIN_YEAR}..${MAX_YEAR - 1}`,
    );
  }
  if (!Number.isInteger(month) || month < 1 || month > 12 || !Number.isInteger(day) || day < 1 || day > 30) {
    throw new CalendarInputError(
      format(vi.calendar.invalidLunarDate, { value: shown }),
      `no such lunar date ${year}/${month}/${day}`,
    );
  }
  const months = lunarYearMonths(year, zone);
  const found = months.find((m) => m.month === month && m.leap === leap);
  if (!found) {
    const actual = months.find((m) => m.leap)?.month;
    throw new CalendarInputError(
      actual === undefined
        ? format(vi.calendar.noLeapMonthInYear, { year, month })
        : format(vi.calendar.wrongLeapMonth, { year, month, leapMonth: actual }),
      `lunar year ${year} has no leap month ${month} (leap month: ${actual ?? 'none'})`,
    );
  }
  if (day > found.length) {
    throw new CalendarInputError(
      format(vi.calendar.lunarMonthTooShort, { value: shown, length: found.length }),
      `lunar month ${year}/${month}${leap ? 'L' : ''} has ${found.length} days, asked for day ${day}`,
    );
  }
  return found.start + day - 1;
}
