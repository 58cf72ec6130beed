import { type FormEvent, type KeyboardEvent, type RefObject, useEffect, useId, useState } from 'react';
import { desk } from '../desk-client';
import { format, t } from '../i18n';

/** A value the desk read for the clerk (card QR, OCR'd page): shown in the form, saved only when confirmed. */
export interface ApplicantPrefill {
  name: string;
  source: 'qr' | 'ocr';
}

interface Props {
  firstInput: RefObject<HTMLInputElement | null>;
  qrInput: RefObject<HTMLInputElement | null>;
  prefill: ApplicantPrefill | null;
  onCreated: () => void;
}

/** Receives a dossier with the two facts the foundation needs; Enter saves, Esc clears, nothing typed is lost on error. */
export function NewDossierForm({ firstInput, qrInput, prefill, onCreated }: Props) {
  const [procedureName, setProcedureName] = useState('');
  const [applicantName, setApplicantName] = useState('');
  const [saving, setSaving] = useState(false);
  const [message, setMessage] = useState<{ kind: 'ok' | 'error'; text: string } | null>(null);
  const ids = { procedure: useId(), applicant: useId(), message: useId(), qr: useId() };
  const [qrPayload, setQrPayload] = useState('');
  /** Which name the desk filled in; if the clerk edits it, it counts as typed. */
  const [filledName, setFilledName] = useState<string | null>(null);

  useEffect(() => {
    if (!prefill) return;
    setApplicantName(prefill.name);
    setFilledName(prefill.name);
    setMessage({ kind: 'ok', text: format(t.home.ocrFilled, { name: prefill.name }) });
  }, [prefill]);

  const readQr = async () => {
    try {
      const card = await desk.readCccdQr({ payload: qrPayload });
      setApplicantName(card.fullName);
      setFilledName(card.fullName);
      setQrPayload('');
      setMessage({ kind: 'ok', text: format(t.home.qrFilled, { name: card.fullName }) });
    } catch (error) {
      setMessage({ kind: 'error', text: (error as Error).message });
    }
  };

  const prefilledCount = filledName !== null && filledName === applicantName ? 1 : 0;

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
      setFilledName(null);
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
        <label htmlFor={ids.qr}>
          {t.home.qr} <kbd>Alt+Q</kbd>
        </label>
        <input
          id={ids.qr}
          ref={qrInput}
          value={qrPayload}
          onChange={(e) => setQrPayload(e.target.value)}
          onKeyDown={(e) => {
            // The reader types the payload and presses Enter: read it instead of saving the form.
            if (e.key === 'Enter') {
              e.preventDefault();
              if (qrPayload.trim()) void readQr();
            }
          }}
          placeholder={t.home.qrPlaceholder}
          autoComplete="off"
          spellCheck={false}
        />
        <p className="muted prefill-count" data-testid="prefill-count">
          {format(t.home.prefilledCount, { prefilled: prefilledCount, total: 2, typed: 2 - prefilledCount })}
        </p>
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
