/**
 * Calendar speed, against peers measured in the same run:
 *  - solar → lunar for every day of 2000–2039: ours (UTC+7 astronomy, cached per year) vs ICU's Chinese calendar
 *    through Intl.DateTimeFormat (the conversion any JS code gets for free); also how often the two agree
 *    when ours is run for UTC+8, ICU's zone;
 *  - appointment dates: a warm calendar vs one built from the data files for every call (what a caller that
 *    forgets to keep its calendar pays).
 * Run: npx tsx tests/bench/calendar.bench.ts
 */
import {
  computeDueDate,
  dayNumberFromYmd,
  lunarFromDayNumber,
  openWorkingCalendar,
} from '../../electron/services/calendar';

function time<T>(label: string, work: () => T): { ms: number; result: T } {
  const start = performance.now();
  const result = work();
  const ms = performance.now() - start;
  console.log(`${label.padEnd(48)} ${ms.toFixed(1).padStart(8)} ms`);
  return { ms, result };
}

const first = dayNumberFromYmd(2000, 1, 1);
const last = dayNumberFromYmd(2039, 12, 31);
const days = last - first + 1;

const ours = time(`ours: ${days} days solar→lunar (UTC+7)`, () => {
  let sum = 0;
  for (let jdn = first; jdn <= last; jdn++) sum += lunarFromDayNumber(jdn).day;
  return sum;
});
const icuFormat = new Intl.DateTimeFormat('en-u-ca-chinese', {
  timeZone: 'UTC',
  year: 'numeric',
  month: 'numeric',
  day: 'numeric',
});
const icu = time(`ICU Intl chinese: ${days} days solar→lunar`, () => {
  const out: { month: string; day: number }[] = [];
  for (let jdn = first; jdn <= last; jdn++) {
    const parts = icuFormat.formatToParts(new Date((jdn - 2440588) * 86_400_000 + 43_200_000));
    out.push({
      month: parts.find((p) => p.type === 'month')?.value ?? '',
      day: Number(parts.find((p) => p.type === 'day')?.value),
    });
  }
  return out;
});
let agree = 0;
icu.result.forEach((c, i) => {
  const l = lunarFromDayNumber(first + i, 8);
  if (Number.parseInt(c.month, 10) === l.month && c.day === l.day && /bis/.test(c.month) === l.leap) agree++;
});
console.log(`speed ratio ICU / ours: ${(icu.ms / ours.ms).toFixed(1)}×`);
console.log(
  `agreement with ICU at UTC+8: ${agree}/${days} days (${((100 * agree) / days).toFixed(2)} %; the rest are ` +
    'months whose new moon falls within minutes of midnight, where ICU and Meeus’ formulas differ)',
);

const N = 5000;
const receivedAt = (i: number) => new Date(Date.parse('2026-01-05T01:00:00Z') + i * 3_517_000);
const warmCalendar = openWorkingCalendar();
const warm = time(`warm calendar: ${N} due dates (20 working days)`, () => {
  let sum = 0;
  for (let i = 0; i < N; i++)
    sum += computeDueDate(warmCalendar, {
      received: receivedAt(i),
      amount: 20,
      unit: 'working-days',
    }).due.getTime();
  return sum;
});
const coldN = 200;
const cold = time(`fresh calendar per call: ${coldN} due dates`, () => {
  let sum = 0;
  for (let i = 0; i < coldN; i++)
    sum += computeDueDate(openWorkingCalendar(), {
      received: receivedAt(i),
      amount: 20,
      unit: 'working-days',
    }).due.getTime();
  return sum;
});
const perWarm = (warm.ms / N) * 1000;
const perCold = (cold.ms / coldN) * 1000;
console.log(
  `per due date: warm ${perWarm.toFixed(1)} µs, fresh ${perCold.toFixed(0)} µs (${(perCold / perWarm).toFixed(0)}× slower)`,
);
