import type { Database } from 'better-sqlite3';
import type { QualityReport, QualityReportInput } from '../../api/quality-api';
import { readDossierFacts } from './dossier-facts';
import { type FormulaSet, formulaSetView, loadFormulaSets, pickFormulaSet } from './formula-sets';
import { computeFigures } from './indicators';
import { resolvePeriod } from './period';
import { QualityError } from './quality-error';

export interface QualityServiceOptions {
  clock?: () => Date;
  /** Formula sets; the bundled assets/quality/formula-sets.json by default. */
  formulaSets?: FormulaSet[];
}

/**
 * Decision 766 estimates from the desk's own data (issue 15): the period's dossiers by reception day, the
 * figures under one formula set, and the same figures per clerk and per procedure. Read-only.
 */
export class QualityService {
  private readonly clock: () => Date;
  readonly formulaSets: FormulaSet[];

  constructor(
    private readonly db: Database,
    options: QualityServiceOptions = {},
  ) {
    this.clock = options.clock ?? (() => new Date());
    this.formulaSets = options.formulaSets ?? loadFormulaSets();
  }

  report(input: QualityReportInput = {}): QualityReport {
    const now = this.clock();
    const period = resolvePeriod(input, now);
    let set: FormulaSet;
    try {
      set = pickFormulaSet(this.formulaSets, period.to, input.formulaSet);
    } catch (error) {
      if (error instanceof QualityError && error.reason === 'unknown-formula-set')
        throw new QualityError('unknown-formula-set', error.message, {
          id: input.formulaSet ?? '',
          known: this.formulaSets.map((s) => s.id).join(', '),
        });
      throw error;
    }
    // Overdue is judged at the end of the period, or now when the period is not over yet.
    const asOf = new Date(Math.min(now.getTime(), Date.parse(period.endIso) - 1));
    const facts = readDossierFacts(this.db, period, input.clerkId);
    const withDossiers = input.withDossiers ?? false;
    const clerkNames = new Map(
      (this.db.prepare('SELECT id, name FROM clerks').all() as { id: string; name: string }[]).map((c) => [
        c.id,
        c.name,
      ]),
    );
    const groups = <K extends string>(key: (d: (typeof facts)[number]) => K) => {
      const map = new Map<K, typeof facts>();
      for (const d of facts) map.set(key(d), [...(map.get(key(d)) ?? []), d]);
      return [...map.entries()].sort(([a], [b]) => a.localeCompare(b));
    };
    return {
      period: { from: period.from, to: period.to },
      asOf: asOf.toISOString(),
      formulaSet: formulaSetView(set),
      clerkId: input.clerkId ?? null,
      dossierCount: facts.length,
      ...computeFigures(facts, set, asOf, withDossiers),
      byClerk: groups((d) => d.clerkId ?? '').map(([clerkId, list]) => ({
        clerkId,
        clerkName: clerkNames.get(clerkId) ?? null,
        dossierCount: list.length,
        ...computeFigures(list, set, asOf, withDossiers),
      })),
      byProcedure: groups((d) => d.procedureCode).map(([procedureCode, list]) => ({
        procedureCode,
        procedureName: list[list.length - 1]?.procedureName ?? '',
        dossierCount: list.length,
        ...computeFigures(list, set, asOf, withDossiers),
      })),
    };
  }
}
