import { useCallback, useEffect, useId, useState } from 'react';
import type { DueDossiersView, DueDossierView } from '../../../electron/api/quality-api';
import { desk } from '../desk-client';
import { format, t } from '../i18n';

const s = t.quality.due;

/** "hh:mm dd/mm/yyyy" on Vietnam's clock, as the receipt prints it. */
export function vietnamDateTime(iso: string): string {
  const local = new Date(new Date(iso).getTime() + 7 * 3_600_000).toISOString();
  return `${local.slice(11, 16)} ${local.slice(8, 10)}/${local.slice(5, 7)}/${local.slice(0, 4)}`;
}

function List({ title, items, tone }: { title: string; items: DueDossierView[]; tone: string }) {
  const id = useId();
  return (
    <section aria-labelledby={id} className={`due-list due-${tone}`}>
      <h3 id={id}>{format(title, { count: items.length })}</h3>
      {items.length === 0 ? (
        <p>{s.none}</p>
      ) : (
        <ul>
          {items.map((d) => (
            <li key={d.dossierId}>
              {format(s.item, {
                code: d.code,
                procedure: d.procedureName,
                applicant: d.applicantMasked,
                due: vietnamDateTime(d.dueAt),
              })}
            </li>
          ))}
        </ul>
      )}
    </section>
  );
}

/** Home screen: overdue, due today, due within two working days; refreshed when a dossier changes. */
export function DueLists() {
  const [view, setView] = useState<DueDossiersView | null>(null);
  const [error, setError] = useState<string | null>(null);
  const headingId = useId();
  const load = useCallback(() => {
    desk.dueDossiers().then(
      (next) => {
        setView(next);
        setError(null);
      },
      (failure: Error) => setError(failure.message),
    );
  }, []);
  useEffect(() => {
    load();
    return desk.on('dossierChanged', load);
  }, [load]);
  return (
    <section className="panel due-lists" aria-labelledby={headingId}>
      <h2 id={headingId}>{s.heading}</h2>
      {error ? (
        <p role="alert" className="message error">
          {error}
        </p>
      ) : null}
      {view ? (
        <>
          <List title={s.overdue} items={view.overdue} tone="overdue" />
          <List title={s.today} items={view.dueToday} tone="today" />
          <List title={s.soon} items={view.dueSoon} tone="soon" />
        </>
      ) : null}
    </section>
  );
}
