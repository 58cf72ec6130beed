import type { RefObject } from 'react';
import { useId } from 'react';
import type { DossierSummary, PageSearchHit } from '../../../electron/api/desk-api';
import { timeFormat } from '../format';
import { format, t } from '../i18n';

/** TrangThaiHoSo as the clerk reads it; "Chưa gửi" until the province confirmed the dossier. */
function provinceStatusLabel(status: number | null | undefined): string {
  const labels = t.sync.provinceStatus as Record<string, string>;
  return (status != null && labels[String(status)]) || t.sync.provinceStatus.none;
}

interface Props {
  dossiers: DossierSummary[];
  query: string;
  onQueryChange: (query: string) => void;
  searchInput: RefObject<HTMLInputElement | null>;
  error: string | null;
  pageHits: PageSearchHit[];
  onOpenHit: (hit: PageSearchHit) => void;
}

export function DossierList({
  dossiers,
  query,
  onQueryChange,
  searchInput,
  error,
  pageHits,
  onOpenHit,
}: Props) {
  const searchId = useId();
  const headingId = useId();
  const emptyText = query.trim() ? format(t.home.noMatch, { query: query.trim() }) : t.home.empty;
  const hitsHeading = useId();
  return (
    <section className="panel dossier-list" aria-labelledby={headingId}>
      <div className="list-header">
        <h2 id={headingId}>{t.home.heading}</h2>
        <span className="count">{format(t.home.count, { count: dossiers.length })}</span>
      </div>
      <label htmlFor={searchId}>
        {t.home.search} <kbd>Alt+T</kbd>
      </label>
      <input
        id={searchId}
        ref={searchInput}
        type="search"
        value={query}
        onChange={(e) => onQueryChange(e.target.value)}
        placeholder={t.home.searchPlaceholder}
        autoComplete="off"
      />
      {error && (
        <p role="alert" className="message error">
          {error}
        </p>
      )}
      {dossiers.length === 0 ? (
        <p className="empty">{emptyText}</p>
      ) : (
        <table>
          <thead>
            <tr>
              <th scope="col">{t.home.columns.code}</th>
              <th scope="col">{t.home.columns.procedure}</th>
              <th scope="col">{t.home.columns.applicant}</th>
              <th scope="col">{t.home.columns.status}</th>
              <th scope="col">{t.sync.provinceStatus.column}</th>
              <th scope="col">{t.home.columns.createdAt}</th>
            </tr>
          </thead>
          <tbody>
            {dossiers.map((d) => (
              <tr key={d.id} data-dossier-id={d.id}>
                <td>{d.code ?? <span className="muted">{t.home.noCode}</span>}</td>
                <td>{d.procedureName}</td>
                <td>{d.applicantName}</td>
                <td>
                  <span className={`badge status-${d.status}`}>{t.dossierStatus[d.status]}</span>
                </td>
                <td data-testid="province-status">{provinceStatusLabel(d.provinceStatus)}</td>
                <td>{timeFormat.format(new Date(d.createdAt))}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      {pageHits.length > 0 && (
        <>
          <h3 id={hitsHeading}>{t.search.pagesHeading}</h3>
          <ul className="page-hits" aria-labelledby={hitsHeading}>
            {pageHits.map((hit) => (
              <li key={`${hit.batchId}:${hit.seq}`}>
                <button type="button" className="secondary" onClick={() => onOpenHit(hit)}>
                  {format(t.search.pageHit, {
                    time: timeFormat.format(new Date(hit.scannedAt)),
                    seq: hit.seq,
                  })}
                </button>{' '}
                <span className="snippet">{hit.snippet}</span>
              </li>
            ))}
          </ul>
        </>
      )}
    </section>
  );
}
