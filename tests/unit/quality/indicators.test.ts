import { describe, expect, it } from 'vitest';
import {
  computeFigures,
  type DossierFacts,
  type FormulaSet,
  loadFormulaSets,
  pickFormulaSet,
  pointsFor,
  timeliness,
} from '../../../electron/services/quality';

const sets = loadFormulaSets();
const portal = pickFormulaSet(sets, '2026-08-31', 'dvcqg-api-2026-08');
const doc = pickFormulaSet(sets, '2026-08-31', 'vpcp-doc-2022');
const byDate = pickFormulaSet(sets, '2026-08-31', 'tinh-so-ngay-2026-08');
const rule = (set: FormulaSet, code: keyof FormulaSet['indicators']) => set.indicators[code];
const HOUR = 3_600_000;

/** A received dossier with nothing special; tests override what they check. */
function dossier(id: string, overrides: Partial<DossierFacts> = {}): DossierFacts {
  return {
    id,
    procedureCode: '1.001193',
    procedureName: 'Đăng ký khai sinh',
    clerkId: 'clerk-a',
    receivedAt: new Date('2026-08-03T02:00:00Z'), // 09:00 Vietnam, Monday
    dueAt: new Date('2026-08-05T03:00:00Z'), // 10:00 Vietnam, Wednesday
    finishedAt: null,
    synced: false,
    supplementRequests: 0,
    supplementPausedMs: 0,
    supplementOpen: false,
    scannedFiles: 0,
    reusedFiles: 0,
    storeFiles: 0,
    result: null,
    provinceFinished: false,
    populationChecked: false,
    complaints: 0,
    dissatisfiedRatings: 0,
    ...overrides,
  };
}

describe('766 points from the portal’s observed figures (QUALITY-766.md §1.2)', () => {
  it.each([
    ['2.1 Việt Trì 2348/2971 = 79.03 %', portal, '2.1', 2348, 2971, 15.81],
    ['4.1 83.1 %', portal, '4.1', 831, 1000, 4.99],
    ['4.2 80.06 % (linear in the API)', portal, '4.2', 8006, 10000, 3.2],
    ['4.2 16.12 %', portal, '4.2', 1612, 10000, 0.64],
    ['4.2 80.06 % under the formula document (full at 80 %)', doc, '4.2', 8006, 10000, 4],
    ['4.3 1.18 % (full at 80 %)', portal, '4.3', 118, 10000, 0.03],
    ['4.3 2.49 %', portal, '4.3', 249, 10000, 0.06],
    ['4.5b 38.27 %', portal, '4.5b', 3827, 10000, 0.77],
    ['5.4 78.35 % (full at 90 %)', portal, '5.4', 7835, 10000, 5.22],
    ['5.4 90.46 %', portal, '5.4', 9046, 10000, 6],
    ['1.4 all synced', portal, '1.4', 12, 12, 6],
  ] as const)('%s', (_name, set, code, numerator, denominator, points) => {
    expect(pointsFor(numerator, denominator, rule(set, code)).points).toBe(points);
  });

  it('scores empty periods as the portal does: 2.1 and 5.4 zero, digitization not scored, 5.2-like rules full', () => {
    expect(pointsFor(0, 0, rule(portal, '2.1'))).toEqual({ ratio: null, points: 0 });
    expect(pointsFor(0, 0, rule(portal, '5.4'))).toEqual({ ratio: null, points: 0 });
    for (const code of ['4.1', '4.2', '4.3', '4.4', '4.5b'] as const)
      expect(pointsFor(0, 0, rule(portal, code))).toEqual({ ratio: null, points: null });
    expect(pointsFor(0, 0, { maxPoints: 6, fullAt: 100, empty: 'full' })).toEqual({ ratio: null, points: 6 });
    // 2.2 is tracked, never scored.
    expect(pointsFor(3, 2, rule(portal, '2.2'))).toEqual({ ratio: 1.5, points: null });
  });
});

describe('2.1 timeliness', () => {
  const asOf = new Date('2026-08-31T10:00:00Z');
  it('counts a second supplement request as overdue even when finished early', () => {
    const early = new Date('2026-08-04T02:00:00Z');
    expect(timeliness(dossier('a', { finishedAt: early, supplementRequests: 1 }), portal, asOf)).toBe(
      'early',
    );
    expect(timeliness(dossier('a', { finishedAt: early, supplementRequests: 2 }), portal, asOf)).toBe(
      'second-supplement',
    );
    expect(timeliness(dossier('a', { supplementRequests: 3 }), portal, asOf)).toBe('second-supplement');
  });

  it('leaves the supplement time out: a pause moves the due time on', () => {
    const finishedAt = new Date('2026-08-06T03:00:00Z'); // a day after the due time
    expect(timeliness(dossier('a', { finishedAt }), portal, asOf)).toBe('late');
    const paused = dossier('a', { finishedAt, supplementRequests: 1, supplementPausedMs: 24 * HOUR });
    expect(timeliness(paused, portal, asOf)).toBe('on-time');
    // While the citizen has not brought the items back the clock is stopped: not judged yet.
    expect(timeliness(dossier('a', { supplementRequests: 1, supplementOpen: true }), portal, asOf)).toBe(
      'in-progress',
    );
  });

  it('compares timestamps under DVCQG’s rule and calendar dates under the provincial rule', () => {
    const sameDayLater = new Date('2026-08-05T08:00:00Z'); // 15:00 Vietnam on the due day (due 10:00)
    expect(timeliness(dossier('a', { finishedAt: sameDayLater }), portal, asOf)).toBe('late');
    expect(timeliness(dossier('a', { finishedAt: sameDayLater }), byDate, asOf)).toBe('on-time');
    const exactlyDue = new Date('2026-08-05T03:00:00Z');
    expect(timeliness(dossier('a', { finishedAt: exactlyDue }), portal, asOf)).toBe('on-time');
    const dayBefore = new Date('2026-08-04T16:59:00Z'); // 23:59 Vietnam the day before
    expect(timeliness(dossier('a', { finishedAt: dayBefore }), byDate, asOf)).toBe('early');
    // 00:30 Vietnam the next day is 17:30 UTC on the due date: late by date although the UTC date matches.
    const justAfterMidnight = new Date('2026-08-05T17:30:00Z');
    expect(timeliness(dossier('a', { finishedAt: justAfterMidnight }), byDate, asOf)).toBe('late');
  });

  it('counts an unfinished dossier past its due time as late, and one not yet due as in progress', () => {
    expect(timeliness(dossier('a'), portal, asOf)).toBe('late');
    expect(timeliness(dossier('a'), portal, new Date('2026-08-04T00:00:00Z'))).toBe('in-progress');
    expect(timeliness(dossier('a', { dueAt: null }), portal, asOf)).toBe('not-judged');
  });
});

describe('computeFigures over a hand-made month', () => {
  const asOf = new Date('2026-08-31T16:59:59Z');
  const returned = (kind: 'e-result' | 'paper-scan' | 'paper') => ({
    kind,
    returnedAt: new Date('2026-08-05T02:00:00Z'),
  });
  const early = new Date('2026-08-04T09:00:00Z');
  const late = new Date('2026-08-07T09:00:00Z');
  const facts = [
    // d1: early, e-result, synced, scanned, checked against population data.
    dossier('d1', {
      finishedAt: early,
      result: returned('e-result'),
      synced: true,
      scannedFiles: 2,
      populationChecked: true,
    }),
    // d2: early, paper result scanned, a component reused from the citizen's store, rated "chưa hài lòng".
    dossier('d2', {
      finishedAt: early,
      result: returned('paper-scan'),
      synced: true,
      scannedFiles: 1,
      reusedFiles: 1,
      storeFiles: 1,
      dissatisfiedRatings: 1,
    }),
    // d3: late, result on paper only (not digitized), scanned.
    dossier('d3', { finishedAt: late, result: returned('paper'), synced: true, scannedFiles: 1 }),
    // d4: second supplement, still in progress: overdue.
    dossier('d4', { supplementRequests: 2, scannedFiles: 1, reusedFiles: 1 }),
    // d5: not due yet, in progress; no files.
    dossier('d5', { dueAt: new Date('2026-09-10T03:00:00Z') }),
    // d6: on time with a complaint.
    dossier('d6', {
      finishedAt: new Date('2026-08-05T03:00:00Z'),
      synced: true,
      complaints: 1,
      scannedFiles: 1,
    }),
  ];

  it('gives each figure its hand-computed numerator, denominator and points', () => {
    const { figures, points, maxPoints } = computeFigures(facts, portal, asOf, true);
    const f = Object.fromEntries(figures.map((x) => [x.indicator, x]));
    expect(f['1.4']).toMatchObject({
      numerator: 4,
      denominator: 6,
      points: 4,
      formulaSet: 'dvcqg-api-2026-08',
    });
    // Judged: d1 early, d2 early, d3 late, d4 second supplement, d6 on time; d5 not yet.
    expect(f['2.1']).toMatchObject({
      numerator: 3,
      denominator: 5,
      points: 12,
      dateRule: 'timestamp',
      breakdown: { early: 2, onTime: 1, late: 1, secondSupplement: 1 },
    });
    expect(f['2.1']?.dossiers).toEqual({
      numerator: ['d1', 'd2', 'd6'],
      denominator: ['d1', 'd2', 'd3', 'd4', 'd6'],
    });
    // 2.2: d1, d2 took 31 h each, d3 103 h, d6 49 h → 214 h = 8.92 days over 4 finished → 2.23 days.
    expect(f['2.2']).toMatchObject({ numerator: 8.92, denominator: 4, ratio: 2.23, points: null });
    // 4.1: results out for d1, d2, d3, d6 (d6 finished by the province clock); only d1 is an e-result.
    expect(f['4.1']).toMatchObject({ numerator: 1, denominator: 4, points: 1.5 });
    // 4.2: d1, d2, d4, d6 (d3's result is paper only; d5 has no file).
    expect(f['4.2']).toMatchObject({ numerator: 4, denominator: 6, points: 2.67 });
    // 4.3: d2, d4 → 33.3 % of a full-at-80 % rule → 0.83.
    expect(f['4.3']).toMatchObject({ numerator: 2, denominator: 6, points: 0.83 });
    expect(f['4.4']).toMatchObject({ numerator: 1, denominator: 6, points: 0.67 });
    expect(f['4.5b']).toMatchObject({ numerator: 2, denominator: 6, points: 0.67 });
    // 5.4: on time d1, d2, d6 minus d2 (desk dislike) minus d6 (complaint) → 1/5 = 20 % of 90 % → 1.33.
    expect(f['5.4']).toMatchObject({
      numerator: 1,
      denominator: 5,
      points: 1.33,
      local: { dissatisfiedRatings: 1, counted: true, complaints: 1 },
    });
    expect(points).toBe(23.67);
    expect(maxPoints).toBe(50);
  });

  it('under the provincial date rule a same-day finish is on time', () => {
    const sameDay = [dossier('x', { finishedAt: new Date('2026-08-05T08:00:00Z') })];
    expect(computeFigures(sameDay, portal, asOf).figures[1]).toMatchObject({
      numerator: 0,
      denominator: 1,
      points: 0,
    });
    expect(computeFigures(sameDay, byDate, asOf).figures[1]).toMatchObject({
      numerator: 1,
      denominator: 1,
      points: 20,
      dateRule: 'calendar-date',
    });
  });

  it('an empty month scores 0 for 2.1 and 5.4 and nothing for digitization', () => {
    const { figures, points } = computeFigures([], portal, asOf);
    expect(figures.map((f) => [f.indicator, f.points])).toEqual([
      ['1.4', null],
      ['2.1', 0],
      ['2.2', null],
      ['4.1', null],
      ['4.2', null],
      ['4.3', null],
      ['4.4', null],
      ['4.5b', null],
      ['5.4', 0],
    ]);
    expect(points).toBe(0);
  });
});

describe('formula sets are versioned data', () => {
  it('picks the portal’s live set from August 2026 and the formula document before', () => {
    expect(pickFormulaSet(sets, '2026-08-01').id).toBe('dvcqg-api-2026-08');
    expect(pickFormulaSet(sets, '2026-07-31').id).toBe('vpcp-doc-2022');
  });

  it('refuses an unknown set with a Vietnamese message', () => {
    expect(() => pickFormulaSet(sets, '2026-08-01', 'khong-co')).toThrowError(
      expect.objectContaining({ name: 'QualityError', reason: 'unknown-formula-set' }),
    );
    expect(() => pickFormulaSet(sets, '2020-01-01')).toThrowError(
      expect.objectContaining({ reason: 'no-formula-set' }),
    );
  });
});
