import { describe, expect, it } from 'vitest';
import {
  CalendarInputError,
  dayNumberFromLunar,
  dayNumberFromYmd,
  formatIsoDate,
  leapMonthOf,
  lunarFromDayNumber,
  lunarYearMonths,
  newMoonJulianDay,
  parseIsoDate,
  sunLongitude,
} from '../../../electron/services/calendar';

/** The error `fn` throws; fails the test when it throws nothing. */
function caught<E extends Error>(fn: () => unknown): E {
  try {
    fn();
  } catch (error) {
    return error as E;
  }
  throw new Error('expected a throw');
}

const solar = (year: number, month: number, day: number, leap = false, zone?: number) =>
  formatIsoDate(dayNumberFromLunar({ year, month, day, leap }, zone));

describe('astronomy underneath', () => {
  it('puts the new moon of 6 January 2000 at 18:14 UT (Meeus), within 10 minutes', () => {
    const k = Math.round((2451550.26 - 2415021.076998695) / 29.530588853);
    expect(Math.abs(newMoonJulianDay(k) - 2451550.2597) * 1440).toBeLessThan(10);
  });

  it('puts the sun at 0° longitude at the March 2000 equinox (20 March, 07:35 UT)', () => {
    const longitude = sunLongitude(2451623.816);
    const degreesFromZero = Math.min(longitude, 2 * Math.PI - longitude) * (180 / Math.PI);
    expect(degreesFromZero).toBeLessThan(0.02);
  });
});

describe('Vietnamese lunar calendar (UTC+7)', () => {
  it('differs from the Chinese calendar (UTC+8) where the published dates differ', () => {
    // Checked with this very algorithm, only the zone changed (7 = Hanoi, 8 = Beijing), against the published
    // facts: Tết 1985 was 21/1 in Vietnam but 20/2 in China (solar terms close to midnight — the winter solstice
    // at 23:23 Hanoi / 00:23 Beijing — fell on different days and shifted the month count);
    // Tết 2007 was 17/2 in Vietnam, 18/2 in China (new moon at 23:15 Hanoi time, 00:15 Beijing time);
    // Tết Mậu Thân 1968 was 29/1 in the North (UTC+7 calendar adopted 1967), 30/1 in China (23:31 / 00:31).
    expect(solar(1985, 1, 1)).toBe('1985-01-21');
    expect(solar(1985, 1, 1, false, 8)).toBe('1985-02-20');
    expect(solar(2007, 1, 1)).toBe('2007-02-17');
    expect(solar(2007, 1, 1, false, 8)).toBe('2007-02-18');
    expect(solar(1968, 1, 1)).toBe('1968-01-29');
    expect(solar(1968, 1, 1, false, 8)).toBe('1968-01-30');
    // Where the zones agree, both give the same day.
    expect(solar(2026, 1, 1, false, 8)).toBe(solar(2026, 1, 1));
  });

  it('finds the leap months of recent and coming years', () => {
    expect(leapMonthOf(2020)).toBe(4);
    expect(leapMonthOf(2023)).toBe(2);
    expect(leapMonthOf(2024)).toBeNull();
    expect(leapMonthOf(2025)).toBe(6);
    expect(leapMonthOf(2028)).toBe(5);
    expect(leapMonthOf(2033)).toBe(11); // the rare leap 11th month ("2033 problem")
    expect(lunarYearMonths(2025)).toHaveLength(13);
    expect(solar(2025, 6, 1, true)).toBe('2025-07-25');
    expect(solar(2025, 6, 1)).toBe('2025-06-25');
  });

  it('round-trips every day from 1900 to 2100, month by month without gaps', () => {
    const first = dayNumberFromYmd(1900, 1, 1);
    const last = dayNumberFromYmd(2100, 12, 31);
    let previous = lunarFromDayNumber(first - 1);
    let checked = 0;
    for (let jdn = first; jdn <= last; jdn++) {
      const lunar = lunarFromDayNumber(jdn);
      if (dayNumberFromLunar(lunar) !== jdn)
        throw new Error(`${formatIsoDate(jdn)} → ${JSON.stringify(lunar)}`);
      if (lunar.day === 1) {
        // A new month: the one before had 29 or 30 days, and the number moves on unless this is its leap twin.
        if (previous.day !== 29 && previous.day !== 30)
          throw new Error(`short month before ${formatIsoDate(jdn)}`);
        const expected = lunar.leap ? previous.month : (previous.month % 12) + 1;
        if (lunar.month !== expected)
          throw new Error(`month ${lunar.month} after ${previous.month} at ${jdn}`);
        if (lunar.month === 1 && !lunar.leap && lunar.year !== previous.year + 1)
          throw new Error(`year at ${jdn}`);
      } else if (lunar.day !== previous.day + 1) throw new Error(`day jumps at ${formatIsoDate(jdn)}`);
      previous = lunar;
      checked++;
    }
    expect(checked).toBe(last - first + 1);
  });

  it('gives every lunar year 12 or 13 months of 29 or 30 days, at most one leap', () => {
    for (let year = 1900; year <= 2100; year++) {
      const months = lunarYearMonths(year);
      expect([12, 13]).toContain(months.length);
      expect(months.filter((m) => m.leap)).toHaveLength(months.length - 12);
      for (const m of months) expect([29, 30]).toContain(m.length);
    }
  });

  it('refuses lunar dates that do not exist, in Vietnamese', () => {
    const short = lunarYearMonths(2026).find((m) => m.length === 29);
    expect(short).toBeDefined();
    const month = short?.month ?? 0;
    expect(() => solar(2026, month, 30)).toThrow(/chỉ có 29 ngày/);
    expect(() => solar(2026, 6, 1, true)).toThrow(/không có tháng nhuận/);
    expect(() => solar(2025, 4, 1, true)).toThrow(/tháng nhuận của năm này là tháng 6/);
    expect(() => solar(2026, 13, 1)).toThrow(CalendarInputError);
    expect(() => solar(2026, 1, 0)).toThrow(CalendarInputError);
    expect(() => solar(1500, 1, 1)).toThrow(/ngoài phạm vi/);
    expect(() => parseIsoDate('2026-02-29')).toThrow(/không hợp lệ/);
    const error = caught<CalendarInputError>(() => solar(2026, 6, 1, true));
    expect(error.detail).toMatch(/^lunar year 2026 has no leap month 6/);
    expect(error.code).toBe('invalid-input');
  });
});
