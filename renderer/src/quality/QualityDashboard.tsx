import { useEffect, useId, useState } from 'react';
import type { ClerkView } from '../../../electron/api/desk-api';
import type { QualityFigure, QualityReport } from '../../../electron/api/quality-api';
import { desk } from '../desk-client';
import { format, t } from '../i18n';
import { DueLists } from './DueLists';
import { figuresCsv } from './figures-csv';

const s = t.quality.dashboard;
const TREND_MONTHS = 6;
const pct = (ratio: number) => `${(ratio * 100).toFixed(2).replace('.', ',')} %`;
const num = (value: number) => value.toFixed(2).replace('.', ',');

/** YYYY-MM of Vietnam's clock, `back` months before now. */
function monthOf(now: Date, back = 0): string {
  const local = new Date(now.getTime() + 7 * 3_600_000);
  const d = new Date(Date.UTC(local.getUTCFullYear(), local.getUTCMonth() - back, 1));
  return d.toISOString().slice(0, 7);
}

/** The ratio against the threshold: the bar fills to 100 % of the track, a mark shows where full points start. */
function ThresholdBar({ figure }: { figure: QualityFigure }) {
  if (figure.ratio === null || figure.fullAt === null) return null;
  const width = Math.min(100, figure.ratio * 100);
  const met = figure.ratio * 100 >= figure.fullAt;
  return (
    <svg
      viewBox="0 0 100 12"
      width="160"
      height="16"
      role="img"
      aria-label={`${pct(figure.ratio)} / ${figure.fullAt} %`}
    >
      <rect x="0" y="2" width="100" height="8" fill="#e3e7ee" />
      <rect x="0" y="2" width={width} height="8" fill={met ? '#1e7b34' : '#b3261e'} />
      <line x1={figure.fullAt} x2={figure.fullAt} y1="0" y2="12" stroke="#222" strokeWidth="1" />
    </svg>
  );
}

/** Bars for the eye (hidden from screen readers) and the same numbers in a table for everyone. */
function Trend({ months }: { months: { month: string; points: number; max: number }[] }) {
  const id = useId();
  const max = Math.max(1, ...months.map((m) => m.max));
  return (
    <section aria-labelledby={id} className="quality-trend">
      <h3 id={id}>{format(s.trendHeading, { months: months.length })}</h3>
      <svg
        viewBox={`0 0 ${months.length * 40} 110`}
        width={months.length * 60}
        height="150"
        aria-hidden="true"
      >
        {months.map((m, i) => {
          const h = (m.points / max) * 90;
          return (
            <g key={m.month}>
              <rect x={i * 40 + 8} y={95 - h} width="24" height={h} fill="#2457a6" />
              <text x={i * 40 + 20} y="108" fontSize="8" textAnchor="middle">
                {m.month.slice(5)}/{m.month.slice(2, 4)}
              </text>
              <text x={i * 40 + 20} y={92 - h} fontSize="8" textAnchor="middle">
                {num(m.points)}
              </text>
            </g>
          );
        })}
      </svg>
      <ul className="quality-trend-values">
        {months.map((m) => (
          <li key={m.month}>{format(s.trendBar, { month: m.month, points: num(m.points) })}</li>
        ))}
      </ul>
    </section>
  );
}

function download(report: QualityReport) {
  const blob = new Blob([figuresCsv(report)], { type: 'text/csv;charset=utf-8' });
  const link = document.createElement('a');
  link.href = URL.createObjectURL(blob);
  link.download = `chi-so-766-${report.period.from}-${report.period.to}.csv`;
  link.click();
  setTimeout(() => URL.revokeObjectURL(link.href), 1000);
}

/**
 * The 766 figures as a person wants them: a table with each ratio against its threshold, the points, a trend
 * of the last months and the dossiers at risk. A clerk sees their own figures (the desk scopes the call), the
 * admin the desk's. Printable on A4 and exportable as CSV.
 */
export function QualityDashboard({ clerk }: { clerk: ClerkView }) {
  const [month, setMonth] = useState(() => monthOf(new Date()));
  const [report, setReport] = useState<QualityReport | null>(null);
  const [trend, setTrend] = useState<{ month: string; points: number; max: number }[]>([]);
  const [error, setError] = useState<string | null>(null);
  const headingId = useId();
  const monthId = useId();

  useEffect(() => {
    let live = true;
    desk.qualityReport({ period: month }).then(
      (next) => {
        if (!live) return;
        setReport(next);
        setError(null);
      },
      (failure: Error) => live && setError(failure.message),
    );
    const [y, m] = month.split('-').map(Number) as [number, number];
    const anchor = new Date(Date.UTC(y, m - 1, 15));
    const months = Array.from({ length: TREND_MONTHS }, (_, i) => monthOf(anchor, TREND_MONTHS - 1 - i));
    Promise.all(months.map((p) => desk.qualityReport({ period: p }))).then(
      (reports) =>
        live &&
        setTrend(reports.map((r, i) => ({ month: months[i] ?? '', points: r.points, max: r.maxPoints }))),
      () => undefined,
    );
    return () => {
      live = false;
    };
  }, [month]);

  const local = report?.figures.find((f) => f.indicator === '5.4')?.local;
  return (
    <section className="quality-dashboard" aria-labelledby={headingId}>
      <h2 id={headingId}>{s.heading}</h2>
      <p>{clerk.role === 'admin' ? s.scopeDesk : format(s.scopeClerk, { name: clerk.name })}</p>
      <div className="quality-controls no-print">
        <label htmlFor={monthId}>{s.month}</label>
        <input
          id={monthId}
          type="month"
          value={month}
          onChange={(e) => e.target.value && setMonth(e.target.value)}
        />
        <button type="button" onClick={() => window.print()}>
          {s.print}
        </button>
        <button type="button" disabled={!report} onClick={() => report && download(report)}>
          {s.exportCsv}
        </button>
      </div>
      {error ? (
        <p role="alert" className="message error">
          {error}
        </p>
      ) : null}
      {!report ? (
        <p role="status">{s.loading}</p>
      ) : (
        <>
          <p>
            {format(s.period, {
              from: report.period.from,
              to: report.period.to,
              dossiers: report.dossierCount,
            })}
            <br />
            {format(s.formulaSet, { title: report.formulaSet.title, id: report.formulaSet.id })}
          </p>
          <table className="quality-table">
            <thead>
              <tr>
                <th scope="col">{s.columns.indicator}</th>
                <th scope="col">{s.columns.counts}</th>
                <th scope="col">{s.columns.ratio}</th>
                <th scope="col">{s.columns.threshold}</th>
                <th scope="col">{s.columns.points}</th>
                <th scope="col">{s.columns.bar}</th>
              </tr>
            </thead>
            <tbody>
              {report.figures.map((f) => (
                <tr key={f.indicator} data-indicator={f.indicator}>
                  <th scope="row">
                    {f.indicator} {t.quality.indicatorNames[f.indicator]}
                  </th>
                  <td>
                    {f.indicator === '2.2' ? num(f.numerator) : f.numerator} / {f.denominator}
                  </td>
                  <td>
                    {f.ratio === null
                      ? s.noData
                      : f.indicator === '2.2'
                        ? format(s.averageDays, { days: num(f.ratio) })
                        : pct(f.ratio)}
                  </td>
                  <td>{f.fullAt === null ? '—' : `${f.fullAt} %`}</td>
                  <td>{f.points === null ? s.notScored : `${num(f.points)}/${f.maxPoints}`}</td>
                  <td>
                    <ThresholdBar figure={f} />
                  </td>
                </tr>
              ))}
            </tbody>
            <tfoot>
              <tr>
                <th scope="row" colSpan={6}>
                  {format(s.total, { points: num(report.points), max: report.maxPoints })}
                </th>
              </tr>
            </tfoot>
          </table>
          {local && local.dissatisfiedRatings > 0 ? (
            <p className="quality-local">{format(s.localWarning, { count: local.dissatisfiedRatings })}</p>
          ) : null}
        </>
      )}
      {trend.length > 0 ? <Trend months={trend} /> : null}
      <h3>{s.atRiskHeading}</h3>
      <DueLists />
    </section>
  );
}
