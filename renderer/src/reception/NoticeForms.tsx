import { type FormEvent, type KeyboardEvent, useId, useState } from 'react';
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
  const ids = { heading: useId(), note: useId(), message: useId() };

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
    <form
      className="notice-form"
      onSubmit={submit}
      onKeyDown={submitOnCtrlEnter}
      aria-labelledby={ids.heading}
      noValidate
    >
      <h3 id={ids.heading}>{ui.supplementHeading}</h3>
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
      <label htmlFor={ids.note}>{ui.supplementNote}</label>
      <textarea
        id={ids.note}
        rows={2}
        maxLength={1000}
        value={note}
        onChange={(e) => setNote(e.target.value)}
      />
      <div className="button-row">
        <button type="submit" disabled={busy}>
          {ui.supplementIssue} <kbd>Ctrl+Enter</kbd>
        </button>
        <button type="button" className="secondary" onClick={onBack}>
          {ui.back} <kbd>Esc</kbd>
        </button>
      </div>
      <p id={ids.message} role="alert" className="message error">
        {problem ?? error}
      </p>
    </form>
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
  const ids = { heading: useId(), reason: useId() };

  const submit = (event: FormEvent) => {
    event.preventDefault();
    if (!reason.trim()) return setProblem(ui.refuseReasonRequired);
    setProblem(null);
    onIssue(reason.trim());
  };

  return (
    <form
      className="notice-form"
      onSubmit={submit}
      onKeyDown={submitOnCtrlEnter}
      aria-labelledby={ids.heading}
      noValidate
    >
      <h3 id={ids.heading}>{ui.refuseHeading}</h3>
      <label htmlFor={ids.reason}>{ui.refuseReason}</label>
      <textarea
        id={ids.reason}
        rows={3}
        maxLength={1000}
        value={reason}
        // biome-ignore lint/a11y/noAutofocus: the form opened to take this reason
        autoFocus
        onChange={(e) => setReason(e.target.value)}
      />
      <div className="button-row">
        <button type="submit" className="danger" disabled={busy}>
          {ui.refuseIssue} <kbd>Ctrl+Enter</kbd>
        </button>
        <button type="button" className="secondary" onClick={onBack}>
          {ui.back} <kbd>Esc</kbd>
        </button>
      </div>
      <p role="alert" className="message error">
        {problem ?? error}
      </p>
    </form>
  );
}
