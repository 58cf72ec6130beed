/**
 * OCR text prepared for pattern matching. Every view has the same length as `text`, so an offset found
 * in one view (diacritic-free, digit-repaired, single-line) points at the same characters in the others.
 */

export interface OcrWord {
  text: string;
  /** 0–100, as tesseract reports it. */
  confidence: number;
}

export interface OcrInput {
  text: string;
  /** Recognised words in reading order with their confidences (tesseract's `words`), when known. */
  words?: readonly OcrWord[];
}

export interface PreparedText {
  /** NFC, `\n` line ends. */
  text: string;
  /** Lower case, no diacritics, đ → d: labels match even when OCR dropped the accents. */
  folded: string;
  /** `text` with O/o → 0 and l/I/| → 1 inside number-like tokens (common OCR swaps). */
  digits: string;
  /** `folded` + `digits` repairs, line ends as spaces: for patterns that may wrap a line. */
  flatFolded: string;
  lineStarts: number[];
  /** For each line, how many non-empty lines precede it: "near the top" must not depend on blank lines. */
  lineRank: number[];
  /** Character ranges of the OCR words with their confidence 0–1. */
  wordSpans: { start: number; end: number; confidence: number }[];
}

/** One UTF-16 unit in, one out; anything that would change length is left as it is. */
function foldChar(ch: string): string {
  if (ch === 'đ' || ch === 'Đ') return 'd';
  const base = ch.normalize('NFD')[0]?.toLowerCase() ?? ch;
  return base.length === 1 ? base : ch;
}

export function foldSameLength(text: string): string {
  let out = '';
  for (const ch of text) out += ch.length === 1 ? foldChar(ch) : ch;
  return out;
}

const DIGIT_LOOKALIKES: Record<string, string> = { O: '0', o: '0', I: '1', l: '1', '|': '1' };

/**
 * Repairs letter-for-digit swaps only inside stand-alone tokens made of digits, look-alikes and number
 * separators, with at least twice as many real digits as look-alikes: "0381920O4517" is repaired, words
 * such as "Ông", "lO" or the "Q" of "1275/QĐ-UBND" are not.
 */
export function repairDigits(text: string): string {
  return text.replace(/(?<![\p{L}\p{N}])[0-9OoIl|][0-9OoIl|/.-]*[0-9OoIl|](?![\p{L}\p{N}])/gu, (token) => {
    const real = (token.match(/[0-9]/g) ?? []).length;
    const lookalikes = (token.match(/[OoIl|]/g) ?? []).length;
    if (lookalikes === 0 || real < lookalikes * 2) return token;
    return token.replace(/[OoIl|]/g, (c) => DIGIT_LOOKALIKES[c] ?? c);
  });
}

function alignWords(text: string, words: readonly OcrWord[]): PreparedText['wordSpans'] {
  const spans: PreparedText['wordSpans'] = [];
  let cursor = 0;
  for (const word of words) {
    const needle = word.text.normalize('NFC').trim();
    if (needle === '') continue;
    const at = text.indexOf(needle, cursor);
    // Words come in reading order; a word not found near the cursor is skipped rather than misplaced.
    if (at < 0 || at - cursor > 200) continue;
    const confidence = Math.max(0, Math.min(1, word.confidence / 100));
    spans.push({ start: at, end: at + needle.length, confidence });
    cursor = at + needle.length;
  }
  return spans;
}

export function prepareText(input: OcrInput | string): PreparedText {
  const source = typeof input === 'string' ? { text: input } : input;
  const text = source.text.normalize('NFC').replace(/\r\n?/g, '\n');
  const folded = foldSameLength(text);
  const digits = repairDigits(text);
  const flatFolded = foldSameLength(digits).replace(/\n/g, ' ');
  const lineStarts = [0];
  for (let i = 0; i < text.length; i++) if (text[i] === '\n') lineStarts.push(i + 1);
  const lineRank: number[] = [];
  let rank = 0;
  for (const line of text.split('\n')) {
    lineRank.push(rank);
    if (line.trim() !== '') rank += 1;
  }
  return {
    text,
    folded,
    digits,
    flatFolded,
    lineStarts,
    lineRank,
    wordSpans: source.words ? alignWords(text, source.words) : [],
  };
}

/** 0-based line index of an offset. */
export function lineOf(prepared: PreparedText, offset: number): number {
  let low = 0;
  let high = prepared.lineStarts.length - 1;
  while (low < high) {
    const mid = (low + high + 1) >> 1;
    if ((prepared.lineStarts[mid] ?? 0) <= offset) low = mid;
    else high = mid - 1;
  }
  return low;
}

/** Lowest OCR confidence (0–1) of the words covering a range, or null when no word data covers it. */
export function wordConfidence(prepared: PreparedText, start: number, end: number): number | null {
  let lowest: number | null = null;
  for (const span of prepared.wordSpans) {
    if (span.end <= start || span.start >= end) continue;
    lowest = lowest === null ? span.confidence : Math.min(lowest, span.confidence);
  }
  return lowest;
}

/** How many characters of a range the digit repair changed (each lowers the field's confidence). */
export function repairsIn(prepared: PreparedText, start: number, end: number): number {
  let count = 0;
  for (let i = start; i < end; i++) if (prepared.text[i] !== prepared.digits[i]) count++;
  return count;
}
