/** Plain calendar dates (no time zone) as used on ID cards: ISO `YYYY-MM-DD` strings compare correctly. */

const VIETNAM_UTC_OFFSET_MS = 7 * 60 * 60 * 1000;

export function isLeapYear(year: number): boolean {
  return (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0;
}

export function daysInMonth(year: number, month: number): number {
  if (month === 2) return isLeapYear(year) ? 29 : 28;
  return [4, 6, 9, 11].includes(month) ? 30 : 31;
}

export function isRealDate(year: number, month: number, day: number): boolean {
  return (
    Number.isInteger(year) &&
    Number.isInteger(month) &&
    Number.isInteger(day) &&
    month >= 1 &&
    month <= 12 &&
    day >= 1 &&
    day <= daysInMonth(year, month)
  );
}

export function toIsoDate(year: number, month: number, day: number): string {
  return `${String(year).padStart(4, '0')}-${String(month).padStart(2, '0')}-${String(day).padStart(2, '0')}`;
}

/** `ddmmyyyy` → ISO, or null when it is not 8 digits or not a real calendar day. */
export function parseCompactDate(text: string): { iso: string | null; wellFormed: boolean } {
  if (!/^\d{8}$/.test(text)) return { iso: null, wellFormed: false };
  const day = Number(text.slice(0, 2));
  const month = Number(text.slice(2, 4));
  const year = Number(text.slice(4));
  return { iso: isRealDate(year, month, day) ? toIsoDate(year, month, day) : null, wellFormed: true };
}

/** ISO `YYYY-MM-DD` → `ddmmyyyy` (the QR payload form). */
export function toCompactDate(iso: string): string {
  return `${iso.slice(8, 10)}${iso.slice(5, 7)}${iso.slice(0, 4)}`;
}

/** Today's date at the desk: Vietnam is UTC+7 all year, whatever zone the machine is set to. */
export function vietnamToday(now: Date): string {
  return new Date(now.getTime() + VIETNAM_UTC_OFFSET_MS).toISOString().slice(0, 10);
}
