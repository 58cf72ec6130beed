import { isRealDate, toIsoDate } from './calendar-date';
import { isKnownProvinceCode } from './id-number';
import {
  foldSameLength,
  lineOf,
  type OcrInput,
  type PreparedText,
  prepareText,
  repairsIn,
  wordConfidence,
} from './ocr-text';

/**
 * Fields found in the OCR text of a paper document, each with a confidence 0–1 that combines how strong
 * the pattern is, whether a label announces it, and (when given) the OCR engine's word confidences.
 * Several candidates of one kind may come back (a form names the applicant, the mother and the father);
 * `label` says which is which.
 */

export const FIELD_KINDS = [
  'idNumber',
  'oldIdNumber',
  'fullName',
  'dateOfBirth',
  'birthYear',
  'documentNumber',
  'issueDate',
  'issuingBody',
] as const;
export type FieldKind = (typeof FIELD_KINDS)[number];

export interface ExtractedField {
  kind: FieldKind;
  /** Normalised: digits only, ISO date, NFC name in Vietnamese capitalisation, etc. */
  value: string;
  /** The characters as found in the text. */
  raw: string;
  confidence: number;
  /** The label that announced the value, as found (e.g. "Họ, chữ đệm, tên người mẹ"), if any. */
  label: string | null;
  /** Extra context: for `issueDate`, the place written before it ("Nga Sơn"). */
  detail?: string;
  /** 1-based line of the value's first character. */
  line: number;
  start: number;
  end: number;
}

/** Common Vietnamese family names: a name starting with one of them is more likely a name. */
const SURNAMES = new Set(
  (
    'nguyen tran le pham hoang huynh phan vu vo dang bui do ho ngo duong ly mai trinh dinh lam ha dao cao ' +
    'luong ta chu truong doan to quach luu thai tang kieu trieu hua chau tu khuc nghiem tong giang au phung ' +
    'lo luc mac than diep dam la doan vien vuong khong ong quan cu ninh bach han ung lai kim hau thach'
  ).split(' '),
);

const clamp01 = (value: number) => Math.max(0, Math.min(1, value));

/** Text evidence (pattern + label), discounted per repaired character, then by the OCR word confidence. */
function confidenceOf(prepared: PreparedText, start: number, end: number, evidence: number): number {
  const text = clamp01(evidence) * 0.85 ** repairsIn(prepared, start, end);
  const ocr = wordConfidence(prepared, start, end);
  const combined = ocr === null ? text : text * (0.5 + 0.5 * ocr);
  return Math.round(combined * 100) / 100;
}

function field(
  prepared: PreparedText,
  kind: FieldKind,
  start: number,
  end: number,
  value: string,
  evidence: number,
  label: string | null,
  detail?: string,
): ExtractedField {
  return {
    kind,
    value,
    raw: prepared.text.slice(start, end),
    confidence: confidenceOf(prepared, start, end, evidence),
    label,
    ...(detail === undefined ? {} : { detail }),
    line: lineOf(prepared, start) + 1,
    start,
    end,
  };
}

/** Folded text of the line holding `offset`, from the line start up to `offset`. */
function linePrefix(prepared: PreparedText, offset: number): string {
  const start = prepared.lineStarts[lineOf(prepared, offset)] ?? 0;
  return prepared.flatFolded.slice(start, offset);
}

// ── ID numbers ──────────────────────────────────────────────────────────────────────────────────────────

const CCCD_LABEL = /so dinh danh ca nhan|ma dinh danh|so dinh danh|can cuoc cong dan|can cuoc|cccd/g;
const CMND_LABEL = /chung minh nhan dan|cmnd/g;
/** What may sit between a label and its number: "số", "là", punctuation. */
const LABEL_GAP = /^[\s:.,]*(?:(?:so|la|no\.?|\/ ?no\.?)[\s:.,]*)?$/;

interface LabelHit {
  kind: 'cccd' | 'cmnd';
  /** The label reads right before the value (only "số", "là" or punctuation between). */
  direct: boolean;
  text: string;
}

function idLabel(prepared: PreparedText, start: number): LabelHit | null {
  const windowStart = Math.max(0, start - 60);
  const before = prepared.flatFolded.slice(windowStart, start);
  let best: (LabelHit & { end: number }) | null = null;
  for (const [kind, pattern] of [
    ['cccd', CCCD_LABEL],
    ['cmnd', CMND_LABEL],
  ] as const) {
    for (const match of before.matchAll(pattern)) {
      const end = (match.index ?? 0) + match[0].length;
      if (best && best.end >= end) continue;
      const gap = before.slice(end);
      // A label further back only counts if no other number stands between it and this one.
      if (/\d/.test(gap)) continue;
      const from = windowStart + (match.index ?? 0);
      best = { kind, direct: LABEL_GAP.test(gap), text: prepared.text.slice(from, windowStart + end), end };
    }
  }
  return best && { kind: best.kind, direct: best.direct, text: best.text };
}

function findIdNumbers(prepared: PreparedText): ExtractedField[] {
  const found: ExtractedField[] = [];
  for (const match of prepared.flatFolded.matchAll(/(?<![0-9])(\d{12}|\d{9})(?![0-9])/g)) {
    const start = match.index ?? 0;
    const end = start + match[0].length;
    const digits = match[0];
    const label = idLabel(prepared, start);
    const labelScore = label ? (label.direct ? 0.35 : 0.15) : 0;
    if (digits.length === 12) {
      const structure = isKnownProvinceCode(digits) ? 0.1 : 0;
      found.push(
        field(prepared, 'idNumber', start, end, digits, 0.55 + structure + labelScore, label?.text ?? null),
      );
    } else {
      // Nine digits are an old CMND only when labelled so; otherwise they are weak evidence.
      const score = 0.3 + (label?.kind === 'cmnd' ? labelScore * 1.6 : labelScore * 0.6);
      found.push(field(prepared, 'oldIdNumber', start, end, digits, score, label?.text ?? null));
    }
  }
  return found;
}

// ── Names ───────────────────────────────────────────────────────────────────────────────────────────────

// "Họ, chữ đệm, tên người mẹ:" — a label, an optional role, a colon; "Tôi tên là" needs no colon.
const NAME_LABEL =
  /(ho,? chu dem,? (?:va )?ten|ho va ten|ho ten|full name)([^:\n]{0,40}):|(?<![a-z])(toi ten la|ten toi la)\s*:?/g;
/** Labels that may follow a name on the same line ("… Nguyễn Văn An Sinh ngày: …"). Single words like "Quế"
 * or "Điền" are names too, so only a whole label phrase followed by its colon or value ends a name. */
const NEXT_LABEL =
  /^(sinh ngay|ngay sinh|nam sinh|gioi tinh|quoc tich|noi sinh|noi cu tru|noi thuong tru|dia chi|dien thoai|que quan|so dinh danh|so cccd|so cmnd|cccd|cmnd)\s*(?:[:/]|\d)/;
const TITLE_WORD = /^\p{Lu}[\p{Ll}'’]*$/u;
const UPPER_WORD = /^\p{Lu}[\p{Lu}'’]*$/u;
const NAME_RUN = /^\p{Lu}[\p{L}'’]*(?: \p{Lu}[\p{L}'’]*)*/u;

function vietnameseCapitalisation(words: string[]): string {
  return words.map((w) => w.charAt(0).toLocaleUpperCase('vi') + w.slice(1).toLocaleLowerCase('vi')).join(' ');
}

/** A name in Title Case or ALL CAPS starting at `offset`, on that line only. */
function nameAt(
  prepared: PreparedText,
  offset: number,
): { start: number; end: number; words: string[] } | null {
  const lineEnd = prepared.text.indexOf('\n', offset);
  const rest = prepared.text.slice(offset, lineEnd < 0 ? undefined : lineEnd);
  const leading = rest.length - rest.trimStart().length;
  const run = NAME_RUN.exec(rest.slice(leading));
  if (!run) return null;
  const all = run[0].split(' ');
  const body = rest.slice(leading);
  const foldedBody = foldSameLength(body).toLowerCase();
  let wordStart = 0;
  let stop = -1;
  all.forEach((w, i) => {
    if (stop < 0 && i >= 2 && NEXT_LABEL.test(foldedBody.slice(wordStart))) stop = i;
    wordStart += w.length + 1;
  });
  const words = stop < 0 ? all : all.slice(0, stop);
  if (words.length < 2 || words.length > 6) return null;
  const allTitle = words.every((w) => TITLE_WORD.test(w));
  const allUpper = words.every((w) => UPPER_WORD.test(w));
  if (!allTitle && !allUpper) return null;
  const start = offset + leading;
  return { start, end: start + words.join(' ').length, words };
}

function nameField(
  prepared: PreparedText,
  name: { start: number; end: number; words: string[] },
  labelScore: number,
  label: string,
): ExtractedField {
  const folded = foldSameLength(name.words[0] ?? '').toLowerCase();
  const surname = SURNAMES.has(folded) ? 0.1 : 0;
  const value = vietnameseCapitalisation(name.words);
  // Few Vietnamese names have no accent at all: an accent-free one usually lost them in OCR.
  const accents = /[^\p{ASCII}]/u.test(value) ? 0 : -0.1;
  return field(
    prepared,
    'fullName',
    name.start,
    name.end,
    value,
    0.45 + labelScore + surname + accents,
    label,
  );
}

function findNames(prepared: PreparedText): ExtractedField[] {
  const found: ExtractedField[] = [];
  const foldedLines = prepared.folded;
  for (const match of foldedLines.matchAll(NAME_LABEL)) {
    const labelStart = match.index ?? 0;
    const afterColon = labelStart + match[0].length;
    const label = prepared.text.slice(labelStart, afterColon).replace(/[\s:]+$/, '');
    let name = nameAt(prepared, afterColon);
    // On ID cards the value sits on the line under "Họ và tên / Full name:".
    const lineEnd = prepared.text.indexOf('\n', afterColon);
    if (!name && lineEnd >= 0 && prepared.text.slice(afterColon, lineEnd).trim() === '') {
      name = nameAt(prepared, lineEnd + 1);
    }
    if (name) found.push(nameField(prepared, name, 0.4, label));
  }
  for (const match of prepared.text.matchAll(
    /(?<![\p{L}])(Ông|ông|ÔNG|Bà|bà|BÀ|Ong|ong|Ba|ba)\s+(?=\p{Lu})/gu,
  )) {
    const honorific = match[1] ?? '';
    const name = nameAt(prepared, (match.index ?? 0) + match[0].length);
    if (!name) continue;
    // Without its accent "Ba" may be the number three or a place ("Ba Đình"): weaker evidence.
    const accented = /[ôÔàÀ]/.test(honorific);
    found.push(nameField(prepared, name, accented ? 0.3 : 0.2, honorific));
  }
  return found;
}

// ── Dates ───────────────────────────────────────────────────────────────────────────────────────────────

const NUMERIC_DATE = /(?<![0-9])(\d{1,2}) ?[/.-] ?(\d{1,2}) ?[/.-] ?(\d{4})(?![0-9])/g;
const WORDED_DATE = /(?<![0-9])(\d{1,2})\s+thang\s+(\d{1,2})\s*,?\s+nam\s+(\d{4})(?![0-9])/g;
const BIRTH_LABEL = /(ngay,? thang,? nam sinh|ngay sinh|sinh ngay|date of birth|sinh)\s*[:,]?\s*(?:\/\s*)?$/;

function dateValue(day: string, month: string, year: string): string | null {
  const [d, m, y] = [Number(day), Number(month), Number(year)];
  if (y < 1900 || y > 2100 || !isRealDate(y, m, d)) return null;
  return toIsoDate(y, m, d);
}

function findBirthDates(prepared: PreparedText): ExtractedField[] {
  const found: ExtractedField[] = [];
  for (const pattern of [NUMERIC_DATE, WORDED_DATE]) {
    for (const match of prepared.flatFolded.matchAll(pattern)) {
      const start = match.index ?? 0;
      const value = dateValue(match[1] ?? '', match[2] ?? '', match[3] ?? '');
      if (!value) continue;
      // "sinh ngày 14 tháng 02 năm 1945": the "ngày" belongs to the date, the label is before it.
      const windowStart = Math.max(0, start - 45);
      const before = prepared.flatFolded.slice(windowStart, start).replace(/ngay\s*$/, '');
      const label = BIRTH_LABEL.exec(before);
      if (!label) continue;
      const labelStart = windowStart + label.index;
      const labelText = prepared.text.slice(labelStart, labelStart + (label[1] ?? '').length);
      found.push(field(prepared, 'dateOfBirth', start, start + match[0].length, value, 0.95, labelText));
    }
  }
  for (const match of prepared.flatFolded.matchAll(/(sinh nam|nam sinh)\s*:?\s*(\d{4})(?![0-9])/g)) {
    const year = Number(match[2]);
    if (year < 1900 || year > 2100) continue;
    const start = (match.index ?? 0) + match[0].length - 4;
    const label = prepared.text.slice(match.index ?? 0, (match.index ?? 0) + (match[1] ?? '').length);
    found.push(field(prepared, 'birthYear', start, start + 4, String(year), 0.8, label));
  }
  return found;
}

/** "Nga Sơn, ngày 09 tháng 10 năm 2026": the place-and-date line that dates an administrative document. */
function findIssueDates(prepared: PreparedText): ExtractedField[] {
  const found: ExtractedField[] = [];
  const pattern =
    /^\s*(?:lam tai\s*:\s*)?([^\d,:;]{2,40}?),\s*ngay\s+(\d{1,2})\s+thang\s+(\d{1,2})\s*,?\s+nam\s+(\d{4})/d;
  prepared.lineStarts.forEach((lineStart, index) => {
    const next = prepared.lineStarts[index + 1];
    const line = prepared.flatFolded.slice(lineStart, next === undefined ? undefined : next - 1);
    const match = pattern.exec(line);
    if (!match?.indices) return;
    const value = dateValue(match[2] ?? '', match[3] ?? '', match[4] ?? '');
    const [placeFrom, placeTo] = match.indices[1] ?? [0, 0];
    const [dateFrom] = match.indices[2] ?? [0];
    if (!value) return;
    const place = prepared.text.slice(lineStart + placeFrom, lineStart + placeTo).trim();
    const folded = (match[1] ?? '').trim();
    // "Hôm nay, ngày …" dates a contract-like paper but names no place: weaker.
    const isPlace =
      folded !== 'hom nay' && (/^\p{Lu}/u.test(place) || /^(xa|phuong|thi tran|dac khu) /.test(folded));
    const evidence = (isPlace ? 0.85 : 0.6) + ((prepared.lineRank[index] ?? index) < 10 ? 0.1 : 0);
    const start = lineStart + dateFrom;
    const end = lineStart + match[0].length;
    found.push(field(prepared, 'issueDate', start, end, value, evidence, null, isPlace ? place : undefined));
  });
  return found;
}

// ── Document number and issuing body ───────────────────────────────────────────────────────────────────

function findDocumentNumbers(prepared: PreparedText): ExtractedField[] {
  const found: ExtractedField[] = [];
  const pattern = /(?<![a-z0-9])so\s*(:?)\s*(\d{1,6}(?:\/\d{2,4})?\/[a-z0-9]+(?:-[a-z0-9]+)*)/g;
  for (const match of prepared.flatFolded.matchAll(pattern)) {
    const keyword = match.index ?? 0;
    const start = keyword + match[0].length - (match[2] ?? '').length;
    const end = keyword + match[0].length;
    const atLineStart = /^\s*$/.test(linePrefix(prepared, keyword));
    // "Số: 1275/QĐ-UBND" heads the document; "Nghị định số 20/2021/NĐ-CP" cites another one.
    const evidence = match[1] ? 0.7 + (atLineStart ? 0.2 : 0) : 0.3;
    const value = prepared.digits.slice(start, end);
    found.push(
      field(
        prepared,
        'documentNumber',
        start,
        end,
        value,
        evidence,
        prepared.text.slice(keyword, keyword + 2),
      ),
    );
  }
  return found;
}

const BODY = /(uy ban nhan dan|ubnd|hoi dong nhan dan|hdnd|cong an|trung tam phuc vu hanh chinh cong)/;
const LOCALITY = /^(xa|phuong|thi tran|dac khu|tinh|thanh pho|huyen|quan|thi xa) /;

function isUpperLine(line: string): boolean {
  const letters = line.match(/\p{L}/gu) ?? [];
  const upper = line.match(/\p{Lu}/gu) ?? [];
  return letters.length >= 4 && upper.length >= letters.length * 0.9;
}

function findIssuingBodies(prepared: PreparedText): ExtractedField[] {
  const found: ExtractedField[] = [];
  const lines = prepared.text.split('\n');
  let offset = 0;
  lines.forEach((line, index) => {
    const lineStart = offset;
    offset += line.length + 1;
    if (!isUpperLine(line)) return;
    const folded = foldSameLength(line);
    if (folded.includes('cong hoa xa hoi chu nghia')) return;
    const match = BODY.exec(folded);
    if (!match) return;
    const start = lineStart + match.index;
    let end = lineStart + line.trimEnd().length;
    let value = line.slice(match.index).trim();
    // "ỦY BAN NHÂN DÂN" over "XÃ NGA SƠN": the header spreads the name over two lines (OCR may put an
    // empty line between them).
    let nextIndex = index + 1;
    let nextStart = offset;
    while (nextIndex < lines.length && (lines[nextIndex] ?? '').trim() === '' && nextIndex <= index + 2) {
      nextStart += (lines[nextIndex] ?? '').length + 1;
      nextIndex += 1;
    }
    const next = lines[nextIndex];
    const hasLocality = LOCALITY.test(foldSameLength(value).slice(match[0].length).trim());
    if (!hasLocality && next && isUpperLine(next) && LOCALITY.test(foldSameLength(next.trim()))) {
      value = `${value} ${next.trim()}`;
      end = nextStart + next.trimEnd().length;
    }
    const inHeader =
      (prepared.lineRank[index] ?? index) < 8 && match.index === line.length - line.trimStart().length;
    const evidence = inHeader
      ? 0.8 + (LOCALITY.test(foldSameLength(value).slice(match[0].length).trim()) ? 0.1 : 0)
      : 0.45;
    found.push(field(prepared, 'issuingBody', start, end, value.replace(/\s+/g, ' '), evidence, null));
  });
  return found;
}

// ── Public API ──────────────────────────────────────────────────────────────────────────────────────────

/** Keeps the most confident candidate for each kind and value. */
function dedupe(fields: ExtractedField[]): ExtractedField[] {
  const best = new Map<string, ExtractedField>();
  for (const f of fields) {
    const key = `${f.kind}\u0000${f.value}\u0000${f.label ?? ''}`;
    const current = best.get(key);
    if (!current || f.confidence > current.confidence) best.set(key, f);
  }
  return [...best.values()].sort((a, b) => a.start - b.start || a.kind.localeCompare(b.kind));
}

/** Every field candidate found in the text, in reading order. */
export function extractFields(input: OcrInput | string): ExtractedField[] {
  const prepared = prepareText(input);
  return dedupe([
    ...findIdNumbers(prepared),
    ...findNames(prepared),
    ...findBirthDates(prepared),
    ...findIssueDates(prepared),
    ...findDocumentNumbers(prepared),
    ...findIssuingBodies(prepared),
  ]);
}

/** The most confident candidate of a kind; `labelIncludes` (accent-insensitive) picks a role by its label. */
export function bestField(
  fields: readonly ExtractedField[],
  kind: FieldKind,
  labelIncludes?: string,
): ExtractedField | undefined {
  const hint =
    labelIncludes === undefined ? null : foldSameLength(labelIncludes.normalize('NFC')).toLowerCase();
  return fields
    .filter((f) => f.kind === kind)
    .filter(
      (f) =>
        hint === null ||
        foldSameLength(f.label ?? '')
          .toLowerCase()
          .includes(hint),
    )
    .reduce<ExtractedField | undefined>(
      (best, f) => (!best || f.confidence > best.confidence ? f : best),
      undefined,
    );
}
