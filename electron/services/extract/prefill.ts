import type { CccdRecord } from './cccd-payload';
import type { ExtractedField, FieldKind } from './ocr-fields';
import { foldSameLength } from './ocr-text';

/**
 * Decides which fields of a form the desk can pre-fill from extracted data and which the clerk must type,
 * and reports the counts: the measure of how much typing the digitisation saved.
 */

export interface FormFieldSpec {
  id: string;
  kind: FieldKind;
  /** Accent-insensitive text the candidate's label must contain, to pick a role (e.g. "người mẹ"). */
  labelIncludes?: string;
}

export interface PrefillOptions {
  /** Lowest confidence (0–1) that may be pre-filled; below it the clerk types. Default 0.7. */
  threshold?: number;
}

export interface PrefilledField {
  fieldId: string;
  kind: FieldKind;
  value: string;
  confidence: number;
}

export interface FieldToType {
  fieldId: string;
  kind: FieldKind;
  reason: 'not-found' | 'low-confidence';
  /** The best candidate's confidence when one was found below the threshold. */
  bestConfidence: number | null;
}

export interface PrefillReport {
  prefilled: PrefilledField[];
  toType: FieldToType[];
  total: number;
  prefilledCount: number;
  toTypeCount: number;
  /** prefilledCount / total, 0 for an empty form. */
  ratio: number;
}

export const DEFAULT_PREFILL_THRESHOLD = 0.7;

const fold = (text: string) => foldSameLength(text.normalize('NFC')).toLowerCase();

export function prefillForm(
  form: readonly FormFieldSpec[],
  extracted: readonly ExtractedField[],
  options: PrefillOptions = {},
): PrefillReport {
  const threshold = options.threshold ?? DEFAULT_PREFILL_THRESHOLD;
  const used = new Set<ExtractedField>();
  const decisions = new Map<string, PrefilledField | FieldToType>();
  // Role-specific fields choose first, so "tên người mẹ" is not taken by a generic "họ và tên" field.
  const order = [...form].sort(
    (a, b) => Number(b.labelIncludes !== undefined) - Number(a.labelIncludes !== undefined),
  );
  for (const spec of order) {
    const hint = spec.labelIncludes === undefined ? null : fold(spec.labelIncludes);
    // A label equal to the hint beats one that merely contains it: "Họ, chữ đệm, tên" is the child,
    // "Họ, chữ đệm, tên người mẹ" the mother.
    const exact = (f: ExtractedField) => Number(hint !== null && fold(f.label ?? '').trim() === hint.trim());
    const candidates = extracted
      .filter((f) => f.kind === spec.kind && !used.has(f))
      .filter((f) => hint === null || fold(f.label ?? '').includes(hint))
      .sort((a, b) => exact(b) - exact(a) || b.confidence - a.confidence || a.start - b.start);
    const best = candidates[0];
    if (best && best.confidence >= threshold) {
      used.add(best);
      decisions.set(spec.id, {
        fieldId: spec.id,
        kind: spec.kind,
        value: best.value,
        confidence: best.confidence,
      });
    } else {
      decisions.set(spec.id, {
        fieldId: spec.id,
        kind: spec.kind,
        reason: best ? 'low-confidence' : 'not-found',
        bestConfidence: best?.confidence ?? null,
      });
    }
  }
  const prefilled: PrefilledField[] = [];
  const toType: FieldToType[] = [];
  for (const spec of form) {
    const decision = decisions.get(spec.id);
    if (!decision) continue;
    if ('value' in decision) prefilled.push(decision);
    else toType.push(decision);
  }
  return {
    prefilled,
    toType,
    total: form.length,
    prefilledCount: prefilled.length,
    toTypeCount: toType.length,
    ratio: form.length === 0 ? 0 : prefilled.length / form.length,
  };
}

/** A card read from its QR is certain data: its fields enter the pre-fill with confidence 1. */
export function fieldsFromCccd(record: CccdRecord): ExtractedField[] {
  const label = 'CCCD QR';
  const make = (kind: FieldKind, value: string): ExtractedField => ({
    kind,
    value,
    raw: value,
    confidence: 1,
    label,
    line: 0,
    start: 0,
    end: 0,
  });
  const fields = [
    make('idNumber', record.idNumber),
    make('fullName', record.fullName),
    make('dateOfBirth', record.dateOfBirth),
    make('birthYear', record.dateOfBirth.slice(0, 4)),
  ];
  if (record.oldIdNumber) fields.push(make('oldIdNumber', record.oldIdNumber));
  return fields;
}
