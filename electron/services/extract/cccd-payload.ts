import { checkFreeText, checkPersonName, type TextCheck, textProblemMessage } from './applicant-text';
import { parseCompactDate, toCompactDate, vietnamToday } from './calendar-date';
import { ExtractError, type ExtractErrorCode } from './errors';
import { type CccdWarning, idConsistencyWarnings } from './id-number';

/**
 * The chip ID card (CCCD / thẻ căn cước) QR payload:
 * `ID(12)|old CMND(9 or empty)|Họ và tên|DOB ddmmyyyy|Nam/Nữ|address|issue date ddmmyyyy[|more…]`.
 */

export type CccdSex = 'Nam' | 'Nữ';

export interface CccdRecord {
  idNumber: string;
  oldIdNumber: string | null;
  /** NFC, single spaces. */
  fullName: string;
  /** ISO `YYYY-MM-DD`. */
  dateOfBirth: string;
  sex: CccdSex;
  address: string;
  /** ISO `YYYY-MM-DD`. */
  issueDate: string;
  /** Trailing fields after the seven known ones (newer cards carry some); accepted and ignored. */
  extraFieldCount: number;
}

export interface ParseCccdOptions {
  /** The desk's clock, for "not in the future" (defaults to now). */
  now?: Date;
}

export const CCCD_FIELD_COUNT = 7;
/** A real payload is ~150 characters; anything this long is not one, and is refused before any work. */
export const MAX_CCCD_PAYLOAD_LENGTH = 2000;
/** Nobody alive was born earlier; also keeps typos like 0991 out of the record. */
const EARLIEST_BIRTH_YEAR = 1900;

// Byte-order mark and zero-width characters some readers or clipboards add.
const INVISIBLE = /[\uFEFF\u200B-\u200D\u2060]/g;
// Control characters never belong in a field (a CR/LF inside the payload means a broken read).
// biome-ignore lint/suspicious/noControlCharactersInRegex: matching control characters is the point.
const CONTROL = /[\u0000-\u001F\u007F-\u009F]/;

const fail = (
  code: ExtractErrorCode,
  detail: string,
  params?: Record<string, string | number>,
  clerkMessage?: string,
): never => {
  throw new ExtractError(code, detail, params, clerkMessage);
};

/** English description of a bad digit field: its length and how many non-digits, never its content. */
function describeDigits(field: string): string {
  const nonDigits = [...field].filter((c) => c < '0' || c > '9').length;
  return `length ${[...field].length}, ${nonDigits} non-digit character(s)`;
}

function parseDate(text: string, field: 'dob' | 'issue-date', name: string, minYear: number): string {
  const { iso, wellFormed } = parseCompactDate(text);
  if (!wellFormed)
    return fail(`${field}-format`, `${name}: expected 8 digits ddmmyyyy, ${describeDigits(text)}`);
  const year = Number(text.slice(4));
  if (iso === null) return fail(`${field}-invalid`, `${name}: not a calendar date`);
  if (year < minYear) return fail(`${field}-invalid`, `${name}: year before ${minYear}`);
  return iso;
}

/**
 * Parses and strictly validates a QR payload typed by a handheld reader (trailing CR/LF, NFD text, stray
 * spaces are tolerated). Throws `ExtractError` with a specific code on the first problem found.
 */
export function parseCccdPayload(raw: string, options: ParseCccdOptions = {}): CccdRecord {
  if (typeof raw !== 'string') return fail('empty', 'payload is not a string');
  if (raw.length > MAX_CCCD_PAYLOAD_LENGTH) {
    return fail('too-long', `payload has ${raw.length} characters, limit ${MAX_CCCD_PAYLOAD_LENGTH}`);
  }
  const text = raw.normalize('NFC').replace(INVISIBLE, '').trim();
  if (text === '') return fail('empty', 'payload is empty');
  if (CONTROL.test(text)) return fail('garbled', 'payload contains control characters (broken read)');

  const fields = text.split('|').map((f) => f.trim());
  if (fields.length < CCCD_FIELD_COUNT) {
    return fail('field-count', `expected at least ${CCCD_FIELD_COUNT} fields, got ${fields.length}`, {
      count: fields.length,
    });
  }
  const [idNumber, oldId, name, dob, sex, address, issue] = fields as [
    string,
    string,
    string,
    string,
    string,
    string,
    string,
  ];

  if (!/^\d{12}$/.test(idNumber))
    fail('id-number', `idNumber: expected 12 digits, ${describeDigits(idNumber)}`);
  if (oldId !== '' && !/^\d{9}$/.test(oldId)) {
    fail('old-id-number', `oldIdNumber: expected 9 digits or empty, ${describeDigits(oldId)}`);
  }
  const fullName = checkedText(checkPersonName(name), 'fullName', 'name');
  const residence = checkedText(checkFreeText(address), 'address', 'address');

  const dateOfBirth = parseDate(dob, 'dob', 'dateOfBirth', EARLIEST_BIRTH_YEAR);
  const sexValue = parseSex(sex);
  const issueDate = parseDate(issue, 'issue-date', 'issueDate', EARLIEST_BIRTH_YEAR);

  const today = vietnamToday(options.now ?? new Date());
  if (dateOfBirth > today) fail('dob-future', 'dateOfBirth is after today');
  if (issueDate > today) fail('issue-date-future', 'issueDate is after today');
  if (dateOfBirth > issueDate) fail('dob-after-issue', 'dateOfBirth is after issueDate');

  return {
    idNumber,
    oldIdNumber: oldId === '' ? null : oldId,
    fullName,
    dateOfBirth,
    sex: sexValue,
    address: residence,
    issueDate,
    extraFieldCount: fields.length - CCCD_FIELD_COUNT,
  };
}

/**
 * The checked text of a name or address field, or the refusal naming the field and what was wrong; an empty
 * field keeps its code's plain message ("Mã QR không có họ và tên").
 */
function checkedText(check: TextCheck, field: 'fullName' | 'address', code: 'name' | 'address'): string {
  if (check.ok) return check.value;
  if (check.problem === 'empty') return fail(`${code}-empty`, `${field} is empty`);
  return fail(`${code}-invalid`, `${field}: ${check.problem}`, {}, textProblemMessage(field, check, 'card'));
}

function parseSex(text: string): CccdSex {
  const lower = text.toLowerCase();
  if (lower === 'nam') return 'Nam';
  if (lower === 'nữ') return 'Nữ';
  return fail('sex', `sex: expected male or female word, got ${[...text].length} character(s)`);
}

export type CccdParseOutcome = { ok: true; record: CccdRecord } | { ok: false; error: ExtractError };

/** Like `parseCccdPayload`, but returns the refusal instead of throwing (for UI code paths). */
export function tryParseCccdPayload(raw: string, options: ParseCccdOptions = {}): CccdParseOutcome {
  try {
    return { ok: true, record: parseCccdPayload(raw, options) };
  } catch (error) {
    if (error instanceof ExtractError) return { ok: false, error };
    throw error;
  }
}

/** The payload a card would carry for this record (used by tests and by the card simulator). */
export function formatCccdPayload(
  record: Omit<CccdRecord, 'extraFieldCount'>,
  extraFields: string[] = [],
): string {
  return [
    record.idNumber,
    record.oldIdNumber ?? '',
    record.fullName,
    toCompactDate(record.dateOfBirth),
    record.sex,
    record.address,
    toCompactDate(record.issueDate),
    ...extraFields,
  ].join('|');
}

/** Soft checks of the ID number against sex and year of birth, for the clerk to look twice. */
export function cccdWarnings(record: CccdRecord): CccdWarning[] {
  return idConsistencyWarnings(record.idNumber, record.sex, record.dateOfBirth);
}
