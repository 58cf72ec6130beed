import { type RefObject, useId } from 'react';
import type { ReceptionView } from '../../../electron/api/desk-api';
import { t } from '../i18n';
import { appointmentText, timeText } from './when';

const ui = t.receptionUi;

export type FormKind = 'receipt' | 'supplement' | 'refusal';

export interface ReceptionResult {
  form: FormKind;
  view: ReceptionView;
  pdfBase64: string;
  countsAsOverdue?: boolean;
}

const HEADINGS: Record<FormKind, string> = {
  receipt: ui.receiptHeading,
  supplement: ui.supplementDone,
  refusal: ui.refuseDone,
};

/** What was just issued, as the clerk reads it back to the citizen, with print, save and next. */
export function ResultPanel({
  result,
  printButton,
  printMessage,
  printing,
  onPrint,
  onDownload,
  onNext,
}: {
  result: ReceptionResult;
  printButton: RefObject<HTMLButtonElement | null>;
  printMessage: { kind: 'ok' | 'error'; text: string } | null;
  printing: boolean;
  onPrint: () => void;
  onDownload: () => void;
  onNext: () => void;
}) {
  const { view, form } = result;
  const headingId = useId();
  const received = view.components.filter((c) => c.status !== 'missing');
  return (
    <section className={`result result-${form}`} aria-labelledby={headingId} data-testid="reception-result">
      <h3 id={headingId}>
        {HEADINGS[form]}
        {view.code && (
          <>
            {' '}
            <span className="dossier-code" data-testid="dossier-code">
              {view.code}
            </span>
          </>
        )}
      </h3>
      {result.countsAsOverdue && (
        <p className="message error" role="alert">
          {ui.supplementOverdue}
        </p>
      )}
      <dl className="fields result-facts">
        <div>
          <dt>{ui.receiptApplicant}</dt>
          <dd>{view.applicant.fullName}</dd>
        </div>
        <div>
          <dt>{ui.receiptProcedure}</dt>
          <dd>
            {view.procedure.name} <code>{view.procedure.code}</code>
          </dd>
        </div>
        {form === 'receipt' && (
          <div className="due">
            <dt>{ui.receiptDue}</dt>
            <dd data-testid="due-at">{appointmentText(view.dueAt)}</dd>
          </div>
        )}
        {view.receivedAt && (
          <div>
            <dt>{ui.receivedLabel}</dt>
            <dd>{timeText(view.receivedAt)}</dd>
          </div>
        )}
        {form === 'receipt' && (
          <div>
            <dt>{ui.receiptComponents}</dt>
            <dd>
              <ul className="plain">
                {received.map((c) => (
                  <li key={c.code}>
                    {c.name} <span className="muted">({ui.componentStatus[c.status]})</span>
                  </li>
                ))}
              </ul>
            </dd>
          </div>
        )}
      </dl>
      <div className="button-row">
        <button type="button" ref={printButton} onClick={onPrint} disabled={printing}>
          {printing ? ui.printing : ui.print} <kbd>Alt+P</kbd>
        </button>
        <button type="button" className="secondary" onClick={onDownload}>
          {ui.download} <kbd>Alt+V</kbd>
        </button>
        <button type="button" className="secondary" onClick={onNext}>
          {ui.next} <kbd>Alt+N</kbd>
        </button>
      </div>
      <p
        role={printMessage?.kind === 'error' ? 'alert' : 'status'}
        className={`message ${printMessage?.kind ?? ''}`}
      >
        {printMessage?.text}
      </p>
    </section>
  );
}
