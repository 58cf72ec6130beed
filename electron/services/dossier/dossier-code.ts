/**
 * Dossier codes (mã hồ sơ): `<agency code>-<YYMMDD>-<NNNN>`, e.g. `000.17.22.H56-210531-0001`, where NNNN is
 * the agency's sequence of that day (Vietnam calendar). Agency codes come in the national form (`000.17.22.H56`)
 * and the province-first form some provinces use (`H15.50.05.13`); both are just dotted codes here.
 * Parsing is lenient (case, spaces, dash variants, short sequences); formatting is strict.
 */

export interface DossierCodeParts {
  /** Mã định danh of the receiving agency, upper case. */
  agencyCode: string;
  year: number;
  month: number;
  day: number;
  /** The day's sequence number, 1-based. */
  sequence: number;
}

export interface ParsedDossierCode extends DossierCodeParts {
  /** The code written the standard way. */
  code: string;
  /** YYMMDD. */
  dayStamp: string;
}

/** NNNN is four digits; a sequence past 9999 (never issued by a desk) keeps its digits. */
export const SEQUENCE_DIGITS = 4;
export const MAX_SEQUENCE = 9999;

const AGENCY_CODE = /^[A-Z0-9]{1,6}(\.[A-Z0-9]{1,6}){2,4}$/;
const VIETNAM_OFFSET_MS = 7 * 3_600_000;

/** True for a dotted agency code such as `000.17.22.H56` or `H15.50.05.13` (upper case). */
export function isAgencyCode(text: string): boolean {
  return AGENCY_CODE.test(text);
}

/** Upper case, no spaces; the value to validate and store. */
export function normalizeAgencyCode(text: string): string {
  return text.normalize('NFC').replace(/\s+/g, '').toUpperCase();
}

const pad = (value: number, width: number) => String(value).padStart(width, '0');

/** The Vietnam calendar day of an instant (UTC+7, no DST), whatever the machine's time zone. */
export function vietnamYmd(instant: Date): { year: number; month: number; day: number } {
  const local = new Date(instant.getTime() + VIETNAM_OFFSET_MS);
  if (Number.isNaN(local.getTime())) throw new RangeError('invalid Date');
  return { year: local.getUTCFullYear(), month: local.getUTCMonth() + 1, day: local.getUTCDate() };
}

/** YYMMDD of an instant on Vietnam's calendar. */
export function vietnamDayStamp(instant: Date): string {
  const { year, month, day } = vietnamYmd(instant);
  return `${pad(year % 100, 2)}${pad(month, 2)}${pad(day, 2)}`;
}

/** YYMMDD → its parts, or null when it is not a real date (2000–2099). */
export function parseDayStamp(stamp: string): { year: number; month: number; day: number } | null {
  if (!/^\d{6}$/.test(stamp)) return null;
  const year = 2000 + Number(stamp.slice(0, 2));
  const month = Number(stamp.slice(2, 4));
  const day = Number(stamp.slice(4, 6));
  const probe = new Date(Date.UTC(year, month - 1, day));
  if (probe.getUTCMonth() !== month - 1 || probe.getUTCDate() !== day) return null;
  return { year, month, day };
}

/** dd/mm/yyyy of a YYMMDD stamp, for messages. */
export function displayDayStamp(stamp: string): string {
  const parts = parseDayStamp(stamp);
  return parts ? `${pad(parts.day, 2)}/${pad(parts.month, 2)}/${parts.year}` : stamp;
}

export function formatDossierCode(parts: DossierCodeParts): string {
  const stamp = `${pad(parts.year % 100, 2)}${pad(parts.month, 2)}${pad(parts.day, 2)}`;
  return `${parts.agencyCode}-${stamp}-${pad(parts.sequence, SEQUENCE_DIGITS)}`;
}

// Separators people and scanners produce: hyphen, the Unicode dashes and minus, underscore, slash, space.
const DASHES = /[\u2010-\u2015\u2212\uFE58\uFE63\uFF0D]/g;
const LENIENT = /^([A-Z0-9]{1,6}(?:\.[A-Z0-9]{1,6}){2,4})\s*[-_/\s]\s*(\d{6})\s*[-_/\s]\s*(\d{1,6})$/;

/**
 * Reads a dossier code as people type or scanners deliver it: any case, surrounding spaces, spaces around dots
 * and separators, Unicode dashes, a sequence with fewer or more than 4 digits. Null when it is not one.
 */
export function parseDossierCode(text: string): ParsedDossierCode | null {
  const cleaned = text
    .normalize('NFKC')
    .replace(DASHES, '-')
    .trim()
    .toUpperCase()
    .replace(/\s*\.\s*/g, '.');
  const match = LENIENT.exec(cleaned);
  if (!match) return null;
  const [, agencyCode = '', stamp = '', sequenceText = ''] = match;
  const date = parseDayStamp(stamp);
  const sequence = Number(sequenceText);
  if (!date || sequence < 1) return null;
  const parts: DossierCodeParts = { agencyCode, ...date, sequence };
  return { ...parts, dayStamp: stamp, code: formatDossierCode(parts) };
}
