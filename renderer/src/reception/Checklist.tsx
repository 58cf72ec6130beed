import { type KeyboardEvent, useEffect, useId, useRef } from 'react';
import type {
  ReceptionComponentView,
  ReceptionView,
  ReusableDocumentView,
} from '../../../electron/api/desk-api';
import { format, t } from '../i18n';
import { dateText } from './when';

const ui = t.receptionUi;

/** Documents on file for a component that is still missing: what "Dùng lại" (D) would take. */
export function reusableFor(view: ReceptionView, code: string): ReusableDocumentView[] {
  return view.reusable.filter((d) => d.componentCode === code);
}

function reusedText(c: ReceptionComponentView): string | null {
  if (!c.reusedFrom) return null;
  // The desk's own title may already name the dossier it came from.
  return c.reusedFrom.dossierCode && !c.reusedFrom.title.includes(c.reusedFrom.dossierCode)
    ? format(ui.reusedFromDossier, { title: c.reusedFrom.title, code: c.reusedFrom.dossierCode })
    : format(ui.reusedFrom, { title: c.reusedFrom.title });
}

/**
 * The procedure's components as a keyboard list: ↑ ↓ move, Enter scans the focused one, D reuses what is
 * already digitized for it. Each row says required or not, how many originals and copies, and its status.
 */
export function Checklist({
  view,
  focusCode,
  focusNonce,
  busyCode,
  canScan,
  onFocusCode,
  onScan,
  onReuse,
}: {
  view: ReceptionView;
  focusCode: string | null;
  /** Bumped by the screen to move the keyboard focus to `focusCode` (after a scan, a reuse, a start). */
  focusNonce: number;
  busyCode: string | null;
  canScan: boolean;
  onFocusCode: (code: string) => void;
  onScan: (code: string) => void;
  onReuse: (code: string, documentId: string) => void;
}) {
  const rows = useRef(new Map<string, HTMLLIElement>());
  const headingId = useId();
  const hintId = useId();
  const components = [...view.components].sort((a, b) => a.position - b.position);
  const official = new Map(view.procedure.components.map((c) => [c.code, c]));

  // biome-ignore lint/correctness/useExhaustiveDependencies: focus moves only when the screen asks (nonce)
  useEffect(() => {
    if (focusCode) rows.current.get(focusCode)?.focus();
  }, [focusNonce]);

  const onKeyDown = (event: KeyboardEvent, index: number, c: ReceptionComponentView) => {
    if (event.altKey || event.ctrlKey || event.metaKey) return;
    const move = event.key === 'ArrowDown' ? 1 : event.key === 'ArrowUp' ? -1 : 0;
    if (move !== 0 || event.key === 'Home' || event.key === 'End') {
      event.preventDefault();
      const next =
        event.key === 'Home'
          ? 0
          : event.key === 'End'
            ? components.length - 1
            : Math.min(components.length - 1, Math.max(0, index + move));
      const target = components[next];
      if (target) rows.current.get(target.code)?.focus();
    } else if (event.key === 'Enter') {
      event.preventDefault();
      if (canScan && !busyCode) onScan(c.code);
    } else if (event.key.toLowerCase() === 'd') {
      event.preventDefault();
      const doc = reusableFor(view, c.code)[0];
      if (doc && !busyCode) onReuse(c.code, doc.documentId);
    }
  };

  const active = focusCode ?? components[0]?.code;
  return (
    <section className="checklist" aria-labelledby={headingId}>
      <h3 id={headingId}>
        <span className="step-number">3</span> {ui.steps.components}
      </h3>
      <p id={hintId} className="hint">
        {ui.checklistHint}
      </p>
      <ol className="components" aria-labelledby={headingId} aria-describedby={hintId}>
        {components.map((c, index) => {
          const facts = official.get(c.code);
          const offers = c.status === 'missing' ? reusableFor(view, c.code) : [];
          const statusText = ui.componentStatus[c.status];
          return (
            <li
              key={c.code}
              ref={(el) => {
                if (el) rows.current.set(c.code, el);
                else rows.current.delete(c.code);
              }}
              tabIndex={c.code === active ? 0 : -1}
              data-code={c.code}
              data-status={c.status}
              className={`component status-${c.status}${busyCode === c.code ? ' busy' : ''}`}
              aria-label={`${index + 1}. ${c.name} — ${statusText}`}
              onFocus={() => onFocusCode(c.code)}
              onKeyDown={(e) => onKeyDown(e, index, c)}
            >
              <span className="component-index">{index + 1}</span>
              <div className="component-body">
                <p className="component-name">
                  {c.name}{' '}
                  <span className={c.required ? 'required-mark' : 'optional-mark'}>
                    {c.required ? ui.required : ui.optional}
                  </span>
                </p>
                <p className="component-meta">
                  {facts && format(ui.counts, { originals: facts.originals, copies: facts.copies })}
                  {c.pageCount > 0 && ` · ${format(ui.pages, { count: c.pageCount })}`}
                  {c.reusedFrom && ` · ${reusedText(c)}`}
                </p>
                {offers.map((doc) => (
                  <p key={doc.documentId} className="reuse-offer">
                    {format(ui.reusableItem, { title: doc.title, source: ui.sources[doc.source] })}
                    {doc.validUntil && ` · ${format(ui.validUntil, { date: dateText(doc.validUntil) })}`}
                  </p>
                ))}
              </div>
              <span className={`badge component-status status-${c.status}`}>{statusText}</span>
              <div className="component-actions">
                {offers[0] && (
                  <button
                    type="button"
                    className="secondary"
                    tabIndex={-1}
                    disabled={busyCode !== null}
                    onClick={() => offers[0] && onReuse(c.code, offers[0].documentId)}
                  >
                    {ui.reuse} <kbd>D</kbd>
                  </button>
                )}
                <button
                  type="button"
                  className={c.status === 'missing' ? undefined : 'secondary'}
                  tabIndex={-1}
                  disabled={!canScan || busyCode !== null}
                  onClick={() => onScan(c.code)}
                >
                  {ui.scan} <kbd>Enter</kbd>
                </button>
              </div>
            </li>
          );
        })}
      </ol>
    </section>
  );
}
