import { type FormEvent, type KeyboardEvent, type ReactNode, useId, useState } from 'react';
import type { ReceptionView } from '../../../electron/api/desk-api';
import { t } from '../i18n';

const ui = t.receptionUi;

/** Ctrl+Enter submits from anywhere in the form: in a text area Enter is a new line, on a check box it is nothing. */
const submitOnCtrlEnter = (event: KeyboardEvent<HTMLFormElement>) => {
  if (event.key === 'Enter' && event.ctrlKey) {
    event.preventDefault();
    event.currentTarget.requestSubmit();
  }
};

/** The frame both notice forms share: heading, Ctrl+Enter to issue, Esc back, one message line. */
function NoticeFormShell({
  heading,
  issueLabel,
  danger = false,
  busy,
  message,
  onSubmit,
  onBack,
  children,
}: {
  heading: string;
  issueLabel: string;
  danger?: boolean;
  busy: boolean;
  message: string | null;
  onSubmit: (event: FormEvent) => void;
  onBack: () => void;
  children: ReactNode;
}) {
  const headingId = useId();
  return (
    <form
      className="notice-form"
      onSubmit={onSubmit}
      onKeyDown={submitOnCtrlEnter}
      aria-labelledby={headingId}
      noValidate
    >
      <h3 id={headingId}>{heading}</h3>
      {children}
      <div className="button-row">
        <button type="submit" className={danger ? 'danger' : undefined} disabled={busy}>
          {issueLabel} <kbd>Ctrl+Enter</kbd>
        </button>
        <button type="button" className="secondary" onClick={onBack}>
          {ui.back} <kbd>Esc</kbd>
        </button>
      </div>
      <p role="alert" className="message error">
        {message}
      </p>
    </form>
  );
}

/**
 * Form 02: one complete list of what is missing (a second request counts as overdue under Decision 766),
 * so every missing component starts ticked.
 */
export function SupplementForm({
  view,
  busy,
  error,
  onIssue,
  onBack,
}: {
  view: ReceptionView;
  busy: boolean;
  error: string | null;
  onIssue: (componentCodes: string[], note: string) => void;
  onBack: () => void;
}) {
  const [chosen, setChosen] = useState(
    () => new Set(view.components.filter((c) => c.status === 'missing').map((c) => c.code)),
  );
  const [note, setNote] = useState('');
  const [problem, setProblem] = useState<string | null>(null);
  const noteId = useId();

  const submit = (event: FormEvent) => {
    event.preventDefault();
    const codes = view.components.filter((c) => chosen.has(c.code)).map((c) => c.code);
    if (codes.length === 0) return setProblem(ui.supplementNone);
    setProblem(null);
    onIssue(codes, note.trim());
  };

  const toggle = (code: string, on: boolean) =>
    setChosen((current) => {
      const next = new Set(current);
      if (on) next.add(code);
      else next.delete(code);
      return next;
    });

  return (
    <NoticeFormShell
      heading={ui.supplementHeading}
      issueLabel={ui.supplementIssue}
      busy={busy}
      message={problem ?? error}
      onSubmit={submit}
      onBack={onBack}
    >
      <p className="hint">{ui.supplementHint}</p>
      <fieldset>
        <legend className="visually-hidden">{ui.steps.components}</legend>
        {view.components.map((c, i) => (
          <label key={c.code} className="check">
            <input
              type="checkbox"
              checked={chosen.has(c.code)}
              // biome-ignore lint/a11y/noAutofocus: the form opened to pick these
              autoFocus={i === 0}
              onChange={(e) => toggle(c.code, e.target.checked)}
            />
            <span>
              {c.name} <span className="muted">({ui.componentStatus[c.status]})</span>
            </span>
          </label>
        ))}
      </fieldset>
      <label htmlFor={noteId}>{ui.supplementNote}</label>
      <textarea
        id={noteId}
        rows={2}
        maxLength={1000}
        value={note}
        onChange={(e) => setNote(e.target.value)}
      />
    </NoticeFormShell>
  );
}

/** Form 03: refusing a dossier needs a specific reason, written for the citizen. */
export function RefusalForm({
  busy,
  error,
  onIssue,
  onBack,
}: {
  busy: boolean;
  error: string | null;
  onIssue: (reason: string) => void;
  onBack: () => void;
}) {
  const [reason, setReason] = useState('');
  const [problem, setProblem] = useState<string | null>(null);
  const reasonId = useId();

  const submit = (event: FormEvent) => {
    event.preventDefault();
    if (!reason.trim()) return setProblem(ui.refuseReasonRequired);
    setProblem(null);
    onIssue(reason.trim());
  };

  return (
    <NoticeFormShell
      heading={ui.refuseHeading}
      issueLabel={ui.refuseIssue}
      danger
      busy={busy}
      message={problem ?? error}
      onSubmit={submit}
      onBack={onBack}
    >
      <label htmlFor={reasonId}>{ui.refuseReason}</label>
      <textarea
        id={reasonId}
        rows={3}
        maxLength={1000}
        value={reason}
        // biome-ignore lint/a11y/noAutofocus: the form opened to take this reason
        autoFocus
        onChange={(e) => setReason(e.target.value)}
      />
    </NoticeFormShell>
  );
}
