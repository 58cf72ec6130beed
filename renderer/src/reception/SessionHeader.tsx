import { type FormEvent, useId, useMemo, useState } from 'react';
import type { ClerkRole } from '../../../electron/api/desk-api';
import { desk } from '../desk-client';
import { format, t } from '../i18n';
import { useAltShortcuts } from '../use-shortcuts';
import { PinInput } from './PinInput';
import { isForbidden, type SignedIn } from './SessionGate';

const ui = t.receptionUi;

/** The signed-in clerk in the header, with lock (Alt+L), sign-out and, for the desk admin, adding a clerk. */
export function SessionHeader({ signedIn }: { signedIn: SignedIn }) {
  const [adding, setAdding] = useState(false);
  const shortcuts = useMemo((): [string, () => void][] => [['KeyL', signedIn.lock]], [signedIn.lock]);
  useAltShortcuts(shortcuts);
  const minutes = Math.round(signedIn.idleLockSeconds / 60);
  return (
    <div className="session">
      <span className="clerk-name" data-testid="clerk-name" title={format(ui.header.idle, { minutes })}>
        {format(ui.header.signedIn, { name: signedIn.clerk.name })}
      </span>
      {signedIn.clerk.role === 'admin' && (
        <button type="button" className="header-button" onClick={() => setAdding(true)}>
          {ui.header.addClerk}
        </button>
      )}
      <button type="button" className="header-button" onClick={signedIn.lock}>
        {ui.header.lock} <kbd>Alt+L</kbd>
      </button>
      <button type="button" className="header-button" onClick={signedIn.signOut}>
        {ui.header.signOut}
      </button>
      {adding && <AddClerkDialog onClose={() => setAdding(false)} onForbidden={signedIn.recheck} />}
    </div>
  );
}

function AddClerkDialog({ onClose, onForbidden }: { onClose: () => void; onForbidden: () => void }) {
  const [name, setName] = useState('');
  const [pin, setPin] = useState('');
  const [role, setRole] = useState<ClerkRole>('clerk');
  const [message, setMessage] = useState<{ kind: 'ok' | 'error'; text: string } | null>(null);
  const ids = { heading: useId(), name: useId(), role: useId() };

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    if (!name.trim()) return setMessage({ kind: 'error', text: ui.signIn.nameRequired });
    try {
      const clerk = await desk.createClerk({ name: name.trim(), pin, role });
      setMessage({ kind: 'ok', text: format(ui.clerks.created, { name: clerk.name }) });
      setName('');
      setPin('');
    } catch (error) {
      if (isForbidden(error)) onForbidden();
      setMessage({ kind: 'error', text: (error as Error).message });
    }
  };

  return (
    <div className="dialog-backdrop">
      <section
        className="panel dialog"
        role="dialog"
        aria-modal="true"
        aria-labelledby={ids.heading}
        onKeyDown={(e) => e.key === 'Escape' && onClose()}
      >
        <h2 id={ids.heading}>{ui.clerks.heading}</h2>
        <form onSubmit={(e) => void submit(e)} noValidate>
          <label htmlFor={ids.name}>{ui.signIn.name}</label>
          <input
            id={ids.name}
            value={name}
            maxLength={120}
            autoComplete="off"
            // biome-ignore lint/a11y/noAutofocus: the dialog opened to take this name
            autoFocus
            onChange={(e) => setName(e.target.value)}
          />
          <PinInput label={ui.signIn.pin} value={pin} onChange={setPin} />
          <label htmlFor={ids.role}>{ui.clerks.role}</label>
          <select id={ids.role} value={role} onChange={(e) => setRole(e.target.value as ClerkRole)}>
            <option value="clerk">{ui.clerks.roles.clerk}</option>
            <option value="admin">{ui.clerks.roles.admin}</option>
          </select>
          <div className="button-row">
            <button type="submit">
              {ui.clerks.create} <kbd>Enter</kbd>
            </button>
            <button type="button" className="secondary" onClick={onClose}>
              {ui.clerks.close} <kbd>Esc</kbd>
            </button>
          </div>
          <p
            role={message?.kind === 'error' ? 'alert' : 'status'}
            className={`message ${message?.kind ?? ''}`}
          >
            {message?.text}
          </p>
        </form>
      </section>
    </div>
  );
}
