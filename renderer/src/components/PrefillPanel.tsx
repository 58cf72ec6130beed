import { useCallback, useEffect, useId, useState } from 'react';
import type { PrefillReportRow } from '../../../electron/api/desk-api';
import { desk } from '../desk-client';
import { format, t } from '../i18n';

const s = t.prefillPanel;
/** The directive: citizens declare at least 20 % less, the rest coming from data already digitized. */
const GOAL_PERCENT = 20;

type Period = 'month' | 'all';

/** This month so far, as Vietnam calendar days (UTC+7 all year: Vietnam has no daylight saving). */
function thisMonth(now = new Date()): { from: string; to: string } {
  const today = new Date(now.getTime() + 7 * 3_600_000).toISOString().slice(0, 10);
  return { from: `${today.slice(0, 8)}01`, to: today };
}

const share = (prefilled: number, typed: number) =>
  prefilled + typed === 0 ? 0 : Math.round((100 * prefilled) / (prefilled + typed));

/**
 * How much of what citizens declare the desk filled in itself (ID-card QR, OCR), per procedure, this month or
 * since the start, against the directive's 20 % goal. Refreshed whenever a dossier changes.
 */
export function PrefillPanel() {
  const [period, setPeriod] = useState<Period>('month');
  const [rows, setRows] = useState<PrefillReportRow[] | null>(null);
  const [error, setError] = useState<string | null>(null);
  const headingId = useId();
  const periodId = useId();

  const load = useCallback(async () => {
    try {
      setRows(await desk.prefillReport(period === 'month' ? thisMonth() : {}));
      setError(null);
    } catch (e) {
      setError((e as Error).message);
    }
  }, [period]);

  useEffect(() => {
    void load();
    return desk.on('dossierChanged', () => void load());
  }, [load]);

  const prefilled = rows?.reduce((n, r) => n + r.prefilled, 0) ?? 0;
  const typed = rows?.reduce((n, r) => n + r.typed, 0) ?? 0;
  const percent = share(prefilled, typed);
  return (
    <section className="panel prefill-panel" aria-labelledby={headingId} data-testid="prefill-panel">
      <h2 id={headingId}>{s.title}</h2>
      <label htmlFor={periodId}>{s.period}</label>{' '}
      <select id={periodId} value={period} onChange={(e) => setPeriod(e.target.value as Period)}>
        <option value="month">{s.thisMonth}</option>
        <option value="all">{s.allTime}</option>
      </select>
      {rows && rows.length === 0 && <p className="muted">{s.empty}</p>}
      {rows && rows.length > 0 && (
        <>
          <p
            className={`message ${percent >= GOAL_PERCENT ? 'ok' : ''}`}
            data-testid="prefill-total"
            aria-live="polite"
          >
            {format(s.total, { prefilled, fields: prefilled + typed, percent })}{' '}
            {format(percent >= GOAL_PERCENT ? s.goalMet : s.goalNotMet, { goal: GOAL_PERCENT })}
          </p>
          <table className="prefill-table">
            <thead>
              <tr>
                <th scope="col">{s.columns.procedure}</th>
                <th scope="col">{s.columns.dossiers}</th>
                <th scope="col">{s.columns.prefilled}</th>
                <th scope="col">{s.columns.typed}</th>
                <th scope="col">{s.columns.share}</th>
              </tr>
            </thead>
            <tbody>
              {rows.map((r) => (
                <tr key={r.procedureCode}>
                  <th scope="row">{r.procedureName}</th>
                  <td>{r.dossiers}</td>
                  <td>{r.prefilled}</td>
                  <td>{r.typed}</td>
                  <td>{share(r.prefilled, r.typed)}%</td>
                </tr>
              ))}
            </tbody>
          </table>
        </>
      )}
      {error && (
        <p role="alert" className="message error">
          {error}
        </p>
      )}
    </section>
  );
}
