import {
  daysInMonth,
  formatIsoDate,
  instantFromVietnamLocal,
  parseIsoDate,
  toDayNumber,
} from '../calendar/civil-date';
import { QualityError } from './quality-error';

/** A report period: Vietnam calendar days, inclusive, and the UTC instants that bound them. */
export interface QualityPeriod {
  from: string;
  to: string;
  /** Start of `from`, Vietnam time, as ISO UTC. */
  startIso: string;
  /** Start of the day after `to`, Vietnam time, as ISO UTC (exclusive bound). */
  endIso: string;
}

/** Longer custom periods are refused: a report over decades is a typo, and would read the whole database. */
export const MAX_PERIOD_DAYS = 3700;

const pad = (n: number) => String(n).padStart(2, '0');

function named(period: string): { from: string; to: string } {
  const bad = () => new QualityError('bad-period', `bad period ${JSON.stringify(period)}`, { value: period });
  let m = /^(\d{4})$/.exec(period);
  if (m) return { from: `${m[1]}-01-01`, to: `${m[1]}-12-31` };
  m = /^(\d{4})-Q([1-4])$/i.exec(period);
  if (m) {
    const year = Number(m[1]);
    const lastMonth = Number(m[2]) * 3;
    return {
      from: `${m[1]}-${pad(lastMonth - 2)}-01`,
      to: `${m[1]}-${pad(lastMonth)}-${pad(daysInMonth(year, lastMonth))}`,
    };
  }
  m = /^(\d{4})-(\d{2})$/.exec(period);
  if (m && Number(m[2]) >= 1 && Number(m[2]) <= 12) {
    return {
      from: `${m[1]}-${m[2]}-01`,
      to: `${m[1]}-${m[2]}-${pad(daysInMonth(Number(m[1]), Number(m[2])))}`,
    };
  }
  throw bad();
}

function checkedDay(value: string): number {
  try {
    return parseIsoDate(value);
  } catch {
    throw new QualityError('bad-period', `bad day ${JSON.stringify(value)}`, { value });
  }
}

/**
 * The period of a report: a named one (YYYY, YYYY-Qn, YYYY-MM), or from/to (either may be left out: `from`
 * alone runs to today, `to` alone starts on the 1st of its month), or else the current month.
 */
export function resolvePeriod(
  input: { from?: string; to?: string; period?: string },
  now: Date,
): QualityPeriod {
  let from: string;
  let to: string;
  if (input.period !== undefined) ({ from, to } = named(input.period));
  else if (input.from === undefined && input.to === undefined)
    ({ from, to } = named(formatIsoDate(toDayNumber(now)).slice(0, 7)));
  else {
    to = input.to ?? formatIsoDate(toDayNumber(now));
    from = input.from ?? `${to.slice(0, 7)}-01`;
  }
  const fromDay = checkedDay(from);
  const toDay = checkedDay(to);
  if (fromDay > toDay) throw new QualityError('bad-range', `from ${from} after to ${to}`, { from, to });
  if (toDay - fromDay + 1 > MAX_PERIOD_DAYS)
    throw new QualityError('range-too-long', 'period too long', { max: MAX_PERIOD_DAYS });
  return {
    from,
    to,
    startIso: instantFromVietnamLocal(fromDay, 0).toISOString(),
    endIso: instantFromVietnamLocal(toDay + 1, 0).toISOString(),
  };
}
