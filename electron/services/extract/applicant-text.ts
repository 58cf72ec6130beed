import type { ApplicantInput } from '../../api/desk-api';
import { format, vi } from '../../api/i18n';
import { normalizeText } from '../text/fold';

/**
 * The one check of a citizen's text, wherever it enters (an ID-card QR or the typed reception form): what it
 * lets through is what the PDF, the UI and the sync payload show. A QR can carry anything a forger prints,
 * so a name is letters only, and no text may hide bidi controls (they reorder what a receipt shows) or
 * HTML markup (it would be live in any view that renders it).
 */

export type ApplicantField = keyof typeof vi.applicantInput.fields;
export type TextProblem = keyof typeof vi.applicantInput.problems;
export type TextSource = 'card' | 'form';

export type TextCheck = { ok: true; value: string } | { ok: false; problem: TextProblem; max?: number };

export const MAX_NAME_LENGTH = 300;
export const MAX_ADDRESS_LENGTH = 500;
const MAX_OTHER_LENGTH = 200;

// Explicit directional marks, embeddings, overrides and isolates (U+202A–E, U+2066–9, LRM/RLM, ALM).
const BIDI = /[\u202A-\u202E\u2066-\u2069\u200E\u200F\u061C]/u;
// Any other control, format (zero-width…), lone surrogate or private-use character.
const HIDDEN = /[\p{Cc}\p{Cf}\p{Cs}\p{Co}]/u;
const MARKUP = /[<>]/;
// Letters of any script with their combining marks, spaces, apostrophes (ASCII and typographic) and hyphens.
const NAME_CHARACTERS = /^[\p{L}\p{M}'’\- ]+$/u;
// A combining mark must sit on a letter, not at the start of a word or after punctuation.
const STRAY_MARK = /(^|[^\p{L}\p{M}])\p{M}/u;

function commonProblem(text: string, max: number): TextCheck | null {
  if (text === '') return { ok: false, problem: 'empty' };
  if (BIDI.test(text)) return { ok: false, problem: 'bidi' };
  if (HIDDEN.test(text)) return { ok: false, problem: 'control' };
  if (MARKUP.test(text)) return { ok: false, problem: 'markup' };
  if ([...text].length > max) return { ok: false, problem: 'too-long', max };
  return null;
}

/** A person's name: NFC, single spaces, letters with apostrophes and hyphens ("H'Hen Niê", "Nguyễn-Trần"). */
export function checkPersonName(raw: string, max = MAX_NAME_LENGTH): TextCheck {
  const text = normalizeText(raw);
  const problem = commonProblem(text, max);
  if (problem) return problem;
  if (!NAME_CHARACTERS.test(text) || STRAY_MARK.test(text)) return { ok: false, problem: 'name-characters' };
  if (!/\p{L}/u.test(text)) return { ok: false, problem: 'no-letter' };
  return { ok: true, value: text };
}

/** Free text (an address, a phone number): NFC, single spaces, nothing hidden, no markup. */
export function checkFreeText(raw: string, max = MAX_ADDRESS_LENGTH): TextCheck {
  const text = normalizeText(raw);
  return commonProblem(text, max) ?? { ok: true, value: text };
}

/** The clerk's message for a refused field, naming it (and the card, when the text came from one). */
export function textProblemMessage(
  field: ApplicantField,
  check: Extract<TextCheck, { ok: false }>,
  source: TextSource,
): string {
  const t = vi.applicantInput;
  const name = source === 'card' ? t.cardFields[field] : t.fields[field];
  const message = format(t.problems[check.problem], { field: name, max: check.max ?? 0 });
  return source === 'card' ? `${message} ${t.cardHint}` : message;
}

export type ApplicantCheck =
  | { ok: true; applicant: ApplicantInput }
  | { ok: false; field: ApplicantField; problem: TextProblem; clerkMessage: string; detail: string };

/**
 * The applicant as reception stores it: every field checked and normalised, empty optional fields dropped.
 * Refuses the first bad field with a message naming it; the English detail names the field, never its text.
 */
export function checkApplicant(applicant: ApplicantInput, source: TextSource = 'form'): ApplicantCheck {
  const refuse = (field: ApplicantField, check: Extract<TextCheck, { ok: false }>): ApplicantCheck => ({
    ok: false,
    field,
    problem: check.problem,
    clerkMessage: textProblemMessage(field, check, source),
    detail: `applicant ${field}: ${check.problem}`,
  });
  const name = checkPersonName(applicant.fullName ?? '');
  if (!name.ok) return refuse('fullName', name);
  const idNumber = (applicant.idNumber ?? '').replace(/\s+/g, '');
  if (idNumber === '') return refuse('idNumber', { ok: false, problem: 'empty' });
  const out: ApplicantInput = { fullName: name.value, idNumber };
  for (const key of ['dateOfBirth', 'sex', 'address', 'phone', 'email'] as const) {
    const value = applicant[key];
    if (value === undefined || value.trim() === '') continue;
    const check = checkFreeText(value, key === 'address' ? MAX_ADDRESS_LENGTH : MAX_OTHER_LENGTH);
    if (!check.ok) return refuse(key, check);
    out[key] = check.value;
  }
  return { ok: true, applicant: out };
}
