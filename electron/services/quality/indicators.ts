import type { QualityFigure, QualityFigures, QualityIndicator } from '../../api/quality-api';
import { toDayNumber } from '../calendar/civil-date';
import type { DossierFacts } from './dossier-facts';
import type { FormulaSet } from './formula-sets';

const MS_PER_DAY = 86_400_000;

/** Half-up to 2 decimals, as the portal prints points (79.03 % of 20 → 15.81). */
export const round2 = (value: number) => Math.round((value + Number.EPSILON) * 100) / 100;

/**
 * Points for numerator/denominator under one indicator's rule: linear up to `fullAt` %, capped at the
 * maximum; 0/0 follows the set's empty-period rule; an unscored indicator (fullAt null) gets null.
 */
export function pointsFor(
  numerator: number,
  denominator: number,
  rule: FormulaSet['indicators'][QualityIndicator],
): { ratio: number | null; points: number | null } {
  if (denominator === 0) {
    const points = rule.empty === 'zero' ? 0 : rule.empty === 'full' ? rule.maxPoints : null;
    return { ratio: null, points: rule.fullAt === null ? null : points };
  }
  const ratio = numerator / denominator;
  if (rule.fullAt === null) return { ratio, points: null };
  return { ratio, points: round2(Math.min(1, (ratio * 100) / rule.fullAt) * rule.maxPoints) };
}

/** How one dossier stands for 2.1 as of `asOf`. */
export type Timeliness = 'early' | 'on-time' | 'late' | 'second-supplement' | 'in-progress' | 'not-judged';

/**
 * 2.1: finished at or before the due time, with the supplement pauses added to the due time. A second
 * supplement request is overdue whatever the dates (when the set says so). An unfinished dossier past its due
 * time is late already; one whose clock is stopped for a supplement is not judged yet.
 */
export function timeliness(facts: DossierFacts, set: FormulaSet, asOf: Date): Timeliness {
  if (!facts.dueAt) return 'not-judged';
  if (set.secondSupplementOverdue && facts.supplementRequests >= 2) return 'second-supplement';
  const due = new Date(facts.dueAt.getTime() + facts.supplementPausedMs);
  const compare = (at: Date): number =>
    set.dateRule === 'calendar-date'
      ? Math.sign(toDayNumber(at) - toDayNumber(due))
      : Math.sign(at.getTime() - due.getTime());
  if (facts.finishedAt) {
    const c = compare(facts.finishedAt);
    return c < 0 ? 'early' : c === 0 ? 'on-time' : 'late';
  }
  if (facts.supplementOpen) return 'in-progress';
  return compare(asOf) > 0 ? 'late' : 'in-progress';
}

interface Counted {
  numerator: DossierFacts[];
  denominator: DossierFacts[];
}

function figure(
  indicator: QualityIndicator,
  counted: Counted,
  set: FormulaSet,
  withDossiers: boolean,
  extra: Partial<QualityFigure> = {},
): QualityFigure {
  const rule = set.indicators[indicator];
  const { ratio, points } = pointsFor(counted.numerator.length, counted.denominator.length, rule);
  return {
    indicator,
    numerator: counted.numerator.length,
    denominator: counted.denominator.length,
    ratio,
    points,
    maxPoints: rule.maxPoints,
    fullAt: rule.fullAt,
    formulaSet: set.id,
    emptyRule: rule.empty,
    ...extra,
    ...(withDossiers
      ? {
          dossiers: {
            numerator: counted.numerator.map((d) => d.id),
            denominator: counted.denominator.map((d) => d.id),
          },
        }
      : {}),
  };
}

const hasResultFile = (d: DossierFacts) => d.result !== null && d.result.kind !== 'paper';
const isFinished = (d: DossierFacts) => d.result !== null || d.provinceFinished || d.finishedAt !== null;

/** Every desk-controllable indicator over the given dossiers (all received in the period). */
export function computeFigures(
  dossiers: readonly DossierFacts[],
  set: FormulaSet,
  asOf: Date,
  withDossiers = false,
): QualityFigures {
  const all = [...dossiers];
  const of = (numerator: DossierFacts[], denominator: DossierFacts[] = all): Counted => ({
    numerator,
    denominator,
  });
  const standing = new Map(all.map((d) => [d.id, timeliness(d, set, asOf)]));
  const judged = all.filter((d) => {
    const t = standing.get(d.id);
    return t !== 'in-progress' && t !== 'not-judged';
  });
  const onTime = judged.filter((d) => {
    const t = standing.get(d.id);
    return t === 'early' || t === 'on-time';
  });
  const count = (t: Timeliness) => judged.filter((d) => standing.get(d.id) === t).length;
  const dateRule = set.dateRule;

  // 2.2: whole handling time of finished dossiers, supplement pauses left out, in days (2 decimals).
  const finished = all.filter((d) => d.finishedAt !== null);
  const handlingDays = finished.reduce(
    (sum, d) =>
      sum +
      Math.max(0, (d.finishedAt as Date).getTime() - d.receivedAt.getTime() - d.supplementPausedMs) /
        MS_PER_DAY,
    0,
  );
  const averageRule = set.indicators['2.2'];
  const average: QualityFigure = {
    indicator: '2.2',
    numerator: round2(handlingDays),
    denominator: finished.length,
    ratio: finished.length === 0 ? null : round2(handlingDays / finished.length),
    points: null,
    maxPoints: averageRule.maxPoints,
    fullAt: averageRule.fullAt,
    formulaSet: set.id,
    emptyRule: averageRule.empty,
    ...(withDossiers
      ? { dossiers: { numerator: finished.map((d) => d.id), denominator: finished.map((d) => d.id) } }
      : {}),
  };

  // 5.4: on time, minus a complaint, minus a desk "Chưa hài lòng" when the set counts local ratings.
  const dissatisfied = judged.filter((d) => d.dissatisfiedRatings > 0).length;
  const complained = judged.filter((d) => d.complaints > 0).length;
  const satisfied = onTime.filter(
    (d) => d.complaints === 0 && !(set.countLocalDislikes && d.dissatisfiedRatings > 0),
  );

  const finishedDossiers = all.filter(isFinished);
  const figures: QualityFigure[] = [
    figure('1.4', of(all.filter((d) => d.synced)), set, withDossiers),
    figure('2.1', of(onTime, judged), set, withDossiers, {
      dateRule,
      breakdown: {
        early: count('early'),
        onTime: count('on-time'),
        late: count('late'),
        secondSupplement: count('second-supplement'),
      },
    }),
    average,
    // 4.1: of the dossiers whose result is out, those with the signed e-result attached.
    figure(
      '4.1',
      of(
        finishedDossiers.filter((d) => d.result?.kind === 'e-result'),
        finishedDossiers,
      ),
      set,
      withDossiers,
    ),
    // 4.2: a component file attached, and the result digital too once it is out.
    figure(
      '4.2',
      of(all.filter((d) => d.scannedFiles + d.reusedFiles > 0 && (d.result === null || hasResultFile(d)))),
      set,
      withDossiers,
    ),
    figure('4.3', of(all.filter((d) => d.reusedFiles > 0)), set, withDossiers),
    figure('4.4', of(all.filter((d) => d.storeFiles > 0)), set, withDossiers),
    figure('4.5b', of(all.filter((d) => d.populationChecked || d.storeFiles > 0)), set, withDossiers),
    figure('5.4', of(satisfied, judged), set, withDossiers, {
      dateRule,
      local: { dissatisfiedRatings: dissatisfied, counted: set.countLocalDislikes, complaints: complained },
    }),
  ];
  const scored = figures.filter((f) => f.fullAt !== null);
  return {
    figures,
    points: round2(scored.reduce((sum, f) => sum + (f.points ?? 0), 0)),
    maxPoints: scored.reduce((sum, f) => sum + f.maxPoints, 0),
  };
}
