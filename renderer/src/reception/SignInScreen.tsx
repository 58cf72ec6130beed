import { type FormEvent, useEffect, useId, useRef, useState } from 'react';
import type { ClerkView, SessionView } from '../../../electron/api/desk-api';
import { desk } from '../desk-client';
import { t } from '../i18n';
import { PinInput } from './PinInput';

const ui = t.receptionUi.signIn;

function GateFrame({ heading, children }: { heading: string; children: React.ReactNode }) {
  const headingId = useId();
  return (
    <div className="gate">
      <section className="panel gate-card" aria-labelledby={headingId}>
        <p className="gate-brand">
          {t.app.name} · {t.app.title}
        </p>
        <h1 id={headingId}>{heading}</h1>
        {children}
      </section>
    </div>
  );
}

function ErrorLine({ id, text }: { id: string; text: string | null }) {
  return (
    <p id={id} role="alert" className="message error">
      {text}
    </p>
  );
}

/** First run: the desk has no clerk, so the first account made is the desk's admin. */
export function SetupAdminScreen({ onSignedIn }: { onSignedIn: (session: SessionView) => void }) {
  const [name, setName] = useState('');
  const [pin, setPin] = useState('');
  const [pinAgain, setPinAgain] = useState('');
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const ids = { name: useId(), error: useId() };

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    if (!name.trim()) return setError(ui.nameRequired);
    if (!pin) return setError(ui.pinDigitsOnly);
    if (pin !== pinAgain) {
      setPinAgain('');
      return setError(ui.pinMismatch);
    }
    setBusy(true);
    try {
      onSignedIn(await desk.setupFirstAdmin({ name: name.trim(), pin }));
    } catch (failure) {
      setError((failure as Error).message);
    } finally {
      setBusy(false);
    }
  };

  return (
    <GateFrame heading={ui.setupHeading}>
      <p className="muted">{ui.setupHint}</p>
      <form onSubmit={(e) => void submit(e)} aria-describedby={ids.error} noValidate>
        <label htmlFor={ids.name}>{ui.name}</label>
        <input
          id={ids.name}
          value={name}
          maxLength={120}
          autoComplete="off"
          placeholder={ui.namePlaceholder}
          // biome-ignore lint/a11y/noAutofocus: first run, the only thing to do is type a name
          autoFocus
          onChange={(e) => setName(e.target.value)}
        />
        <PinInput label={ui.pin} value={pin} onChange={setPin} />
        <PinInput label={ui.pinAgain} value={pinAgain} onChange={setPinAgain} />
        <button type="submit" disabled={busy}>
          {busy ? ui.signingIn : ui.create} <kbd>Enter</kbd>
        </button>
        <ErrorLine id={ids.error} text={error} />
      </form>
    </GateFrame>
  );
}

/** The clerk picks their name and types their PIN; the desk's message says how many tries remain or until when. */
export function SignInScreen({ onSignedIn }: { onSignedIn: (session: SessionView) => void }) {
  const [clerks, setClerks] = useState<ClerkView[] | null>(null);
  const [clerkId, setClerkId] = useState('');
  const [pin, setPin] = useState('');
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const pinInput = useRef<HTMLInputElement>(null);
  const ids = { clerk: useId(), error: useId() };

  useEffect(() => {
    desk.listClerks().then(
      (found) => {
        setClerks(found);
        setClerkId((current) => current || (found[0]?.id ?? ''));
        // One name to pick from: go straight to the PIN.
        if (found.length === 1) setTimeout(() => pinInput.current?.focus());
      },
      (failure: unknown) => setError((failure as Error).message),
    );
  }, []);

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    if (!clerkId || !pin) return;
    setBusy(true);
    try {
      onSignedIn(await desk.signIn({ clerkId, pin }));
    } catch (failure) {
      setPin('');
      setError((failure as Error).message);
      pinInput.current?.focus();
    } finally {
      setBusy(false);
    }
  };

  return (
    <GateFrame heading={ui.heading}>
      <form onSubmit={(e) => void submit(e)} aria-describedby={ids.error} noValidate>
        <label htmlFor={ids.clerk}>{ui.clerk}</label>
        <select
          id={ids.clerk}
          value={clerkId}
          // biome-ignore lint/a11y/noAutofocus: the sign-in screen starts at the clerk's name
          autoFocus={(clerks?.length ?? 0) !== 1}
          onChange={(e) => setClerkId(e.target.value)}
        >
          {clerks === null && <option value="">{ui.loading}</option>}
          {clerks?.map((c) => (
            <option key={c.id} value={c.id}>
              {c.role === 'admin' ? `${c.name} (${ui.admin})` : c.name}
            </option>
          ))}
        </select>
        <PinInput label={ui.pin} value={pin} onChange={setPin} inputRef={pinInput} describedBy={ids.error} />
        <button type="submit" disabled={busy || !clerkId}>
          {busy ? ui.signingIn : ui.signIn} <kbd>Enter</kbd>
        </button>
        <ErrorLine id={ids.error} text={error} />
      </form>
    </GateFrame>
  );
}
