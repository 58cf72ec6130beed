import { readFileSync } from 'node:fs';
import { z } from 'zod';
import { QUALITY_INDICATORS, type QualityFormulaSetView } from '../../api/quality-api';
import { assetPath } from '../assets';
import { QualityError } from './quality-error';

export const FORMULA_SETS_FILE = assetPath('quality', 'formula-sets.json');

const day = z.iso.date();
const indicatorRule = z
  .object({
    maxPoints: z.number().min(0).max(100),
    fullAt: z.number().gt(0).max(100).nullable(),
    empty: z.enum(['zero', 'full', 'null']),
  })
  .strict();

const formulaSetSchema = z
  .object({
    id: z.string().regex(/^[a-z0-9-]{3,60}$/),
    title: z.string().min(1),
    source: z.enum(['portal-live', 'formula-document', 'provincial']),
    effectiveFrom: day,
    effectiveTo: day.nullable(),
    preference: z.number().int().min(0),
    dateRule: z.enum(['timestamp', 'calendar-date']),
    secondSupplementOverdue: z.boolean(),
    countLocalDislikes: z.boolean(),
    note: z.string().optional(),
    indicators: z.object(
      Object.fromEntries(QUALITY_INDICATORS.map((code) => [code, indicatorRule])) as Record<
        (typeof QUALITY_INDICATORS)[number],
        typeof indicatorRule
      >,
    ),
  })
  .strict();

const fileSchema = z.object({
  schema: z.literal(1),
  note: z.string().optional(),
  sets: z.array(formulaSetSchema),
});

export type FormulaSet = z.infer<typeof formulaSetSchema>;

/** Reads and validates the bundled sets; ids must be unique. */
export function loadFormulaSets(file = FORMULA_SETS_FILE): FormulaSet[] {
  const parsed = fileSchema.safeParse(JSON.parse(readFileSync(file, 'utf8')));
  if (!parsed.success) throw new Error(`invalid formula sets in ${file}: ${parsed.error.issues[0]?.message}`);
  const ids = new Set<string>();
  for (const set of parsed.data.sets) {
    if (ids.has(set.id)) throw new Error(`duplicate formula set id ${set.id} in ${file}`);
    ids.add(set.id);
  }
  return parsed.data.sets;
}

const inForce = (set: FormulaSet, onDay: string) =>
  set.effectiveFrom <= onDay && (set.effectiveTo === null || onDay <= set.effectiveTo);

/**
 * The set a report uses: the one named, or else the most preferred set in force on the period's last day (the
 * portal's live behaviour once it was observed, the formula document before). YYYY-MM-DD compares as text.
 */
export function pickFormulaSet(sets: readonly FormulaSet[], periodEnd: string, id?: string): FormulaSet {
  if (id !== undefined) {
    const named = sets.find((s) => s.id === id);
    if (!named) throw new QualityError('unknown-formula-set', `unknown formula set ${id}`, { id });
    return named;
  }
  const candidates = sets.filter((s) => inForce(s, periodEnd)).sort((a, b) => a.preference - b.preference);
  const chosen = candidates[0];
  if (!chosen) throw new QualityError('no-formula-set', `no formula set in force on ${periodEnd}`, {});
  return chosen;
}

export function formulaSetView(set: FormulaSet): QualityFormulaSetView {
  return {
    id: set.id,
    title: set.title,
    source: set.source,
    effectiveFrom: set.effectiveFrom,
    effectiveTo: set.effectiveTo,
    dateRule: set.dateRule,
  };
}
