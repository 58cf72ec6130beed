import { type FormEvent, type KeyboardEvent, type RefObject, useId, useState } from 'react';
import { desk } from '../desk-client';
import { format, t } from '../i18n';

interface Props {
  firstInput: RefObject<HTMLInputElement | null>;
  onCreated: () => void;
}

/** Receives a dossier with the two facts the foundation needs; Enter saves, Esc clears, nothing typed is lost on error. */
export function NewDossierForm({ firstInput, onCreated }: Props) {
  const [procedureName, setProcedureName] = useState('');
  const [applicantName, setApplicantName] = useState('');
  const [saving, setSaving] = useState(false);
  const [message, setMessage] = useState<{ kind: 'ok' | 'error'; text: string } | null>(null);
  const ids = { procedure: useId(), applicant: useId(), message: useId() };

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    const missing = !procedureName.trim()
      ? t.home.procedureName
      : !applicantName.trim()
        ? t.home.applicantName
        : null;
    if (missing) {
      setMessage({ kind: 'error', text: format(t.home.required, { field: missing.toLowerCase() }) });
      return;
    }
    setSaving(true);
    try {
      const dossier = await desk.createDossier({ procedureName, applicantName });
      setMessage({ kind: 'ok', text: format(t.home.saved, { name: dossier.applicantName }) });
      setProcedureName('');
      setApplicantName('');
      onCreated();
      firstInput.current?.focus();
    } catch (error) {
      // Keep what the clerk typed: the error says what to fix, the form stays filled.
      setMessage({ kind: 'error', text: (error as Error).message });
    } finally {
      setSaving(false);
    }
  };

  const onKeyDown = (event: KeyboardEvent) => {
    if (event.key === 'Escape') {
      setProcedureName('');
      setApplicantName('');
      setMessage(null);
      firstInput.current?.focus();
    }
  };

  return (
    <section className="panel new-dossier" aria-labelledby={`${ids.procedure}-heading`}>
      <h2 id={`${ids.procedure}-heading`}>
        {t.home.newDossier} <kbd>Alt+N</kbd>
      </h2>
      <form onSubmit={submit} onKeyDown={onKeyDown} aria-describedby={ids.message} noValidate>
        <label htmlFor={ids.procedure}>{t.home.procedureName}</label>
        <input
          id={ids.procedure}
          ref={firstInput}
          value={procedureName}
          onChange={(e) => setProcedureName(e.target.value)}
          placeholder={t.home.procedurePlaceholder}
          maxLength={300}
          autoComplete="off"
          required
        />
        <label htmlFor={ids.applicant}>{t.home.applicantName}</label>
        <input
          id={ids.applicant}
          value={applicantName}
          onChange={(e) => setApplicantName(e.target.value)}
          placeholder={t.home.applicantPlaceholder}
          maxLength={300}
          autoComplete="off"
          required
        />
        <button type="submit" disabled={saving}>
          {saving ? t.home.saving : t.home.save}
        </button>
        <p
          id={ids.message}
          role={message?.kind === 'error' ? 'alert' : 'status'}
          className={`message ${message?.kind ?? ''}`}
        >
          {message?.text}
        </p>
      </form>
      <p className="shortcuts">{t.home.shortcuts}</p>
    </section>
  );
}
