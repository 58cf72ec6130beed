import { type FormEvent, useId, useState } from 'react';
import type { ClerkView, SessionView } from '../../../electron/api/desk-api';
import { desk } from '../desk-client';
import { format, t } from '../i18n';
import { PinInput } from './PinInput';

const ui = t.receptionUi.lock;

/** The idle lock: only the same clerk's PIN opens the desk again; anyone else signs the clerk out first. */
export function LockScreen({
  clerk,
  onUnlocked,
  onOtherClerk,
}: {
  clerk: ClerkView;
  onUnlocked: (session: SessionView) => void;
  onOtherClerk: () => void;
}) {
  const [pin, setPin] = useState('');
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const ids = { heading: useId(), error: useId() };

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    if (!pin) return;
    setBusy(true);
    try {
      onUnlocked(await desk.signIn({ clerkId: clerk.id, pin }));
    } catch (failure) {
      setPin('');
      setError((failure as Error).message);
    } finally {
      setBusy(false);
    }
  };

  return (
    <div className="gate lock-screen">
      <section className="panel gate-card" aria-labelledby={ids.heading} data-testid="lock-screen">
        <p className="gate-brand">
          {t.app.name} · {t.app.title}
        </p>
        <h1 id={ids.heading}>{ui.heading}</h1>
        <p className="muted">{format(ui.hint, { name: clerk.name })}</p>
        <form onSubmit={(e) => void submit(e)} aria-describedby={ids.error} noValidate>
          <PinInput
            label={t.receptionUi.signIn.pin}
            value={pin}
            onChange={setPin}
            autoFocus
            describedBy={ids.error}
          />
          <div className="button-row">
            <button type="submit" disabled={busy}>
              {ui.unlock} <kbd>Enter</kbd>
            </button>
            <button type="button" className="secondary" onClick={onOtherClerk}>
              {ui.other}
            </button>
          </div>
          <p id={ids.error} role="alert" className="message error">
            {error}
          </p>
        </form>
      </section>
    </div>
  );
}
