import {
  type ComponentProps,
  type FormEvent,
  type RefObject,
  useEffect,
  useId,
  useRef,
  useState,
} from 'react';
import type { ApplicantInput } from '../../../electron/api/desk-api';
import { desk } from '../desk-client';
import { format, t } from '../i18n';
import { dateText } from './when';

const ui = t.receptionUi;

type Field = 'fullName' | 'idNumber' | 'dateOfBirth' | 'sex' | 'address' | 'phone' | 'email';
const FIELDS: Field[] = ['fullName', 'idNumber', 'dateOfBirth', 'sex', 'address', 'phone', 'email'];
type Values = Record<Field, string>;
const EMPTY: Values = {
  fullName: '',
  idNumber: '',
  dateOfBirth: '',
  sex: '',
  address: '',
  phone: '',
  email: '',
};

/** A value the desk read from a page's OCR text, offered for the clerk to confirm. */
export interface OcrName {
  name: string;
  /** Changes on every offer, so the same name offered twice still fills the field again. */
  nonce: number;
}

/** YYYY-MM-DD of a typed d/m/yyyy date; undefined when it is not a calendar date. */
function isoDate(text: string): string | undefined {
  const m = /^(\d{1,2})[/.-](\d{1,2})[/.-](\d{4})$/.exec(text.trim());
  if (!m) return undefined;
  const [day, month, year] = [Number(m[1]), Number(m[2]), Number(m[3])];
  const date = new Date(Date.UTC(year, month - 1, day));
  if (date.getUTCFullYear() !== year || date.getUTCMonth() !== month - 1 || date.getUTCDate() !== day)
    return undefined;
  return date.toISOString().slice(0, 10);
}

/** Fields the desk filled (QR, OCR) and the clerk left as they were count as pre-filled (issue #4). */
function countPrefill(values: Values, filled: Partial<Values>) {
  let prefilled = 0;
  let typed = 0;
  for (const field of FIELDS) {
    const value = values[field].trim();
    if (!value) continue;
    if (filled[field] !== undefined && filled[field] === values[field]) prefilled++;
    else typed++;
  }
  return { prefilled, typed };
}

/**
 * Who is applying: the ID card's QR (a handheld reader types it and presses Enter) fills name, ID number, date
 * of birth, sex and address; the clerk checks, adds a phone number, and Enter goes on.
 */
export function ApplicantForm({
  qrRef,
  ocrName,
  onOcrUsed,
  busy,
  error,
  onStart,
}: {
  qrRef: RefObject<HTMLInputElement | null>;
  ocrName: OcrName | null;
  /** The offered name is in the form now: it must not fill the next applicant's form again. */
  onOcrUsed: () => void;
  busy: boolean;
  error: string | null;
  onStart: (applicant: ApplicantInput, prefill: { prefilled: number; typed: number }) => void;
}) {
  const [values, setValues] = useState<Values>(EMPTY);
  const [filled, setFilled] = useState<Partial<Values>>({});
  /** Where each filled value came from, for the tag beside its label. */
  const [fromPage, setFromPage] = useState<Partial<Record<Field, boolean>>>({});
  const [qr, setQr] = useState('');
  const [message, setMessage] = useState<{ kind: 'ok' | 'error'; text: string } | null>(null);
  const phoneInput = useRef<HTMLInputElement>(null);
  const nameInput = useRef<HTMLInputElement>(null);
  const baseId = useId();
  const id = (field: string) => `${baseId}-${field}`;

  useEffect(() => {
    if (!ocrName) return;
    setValues((v) => ({ ...v, fullName: ocrName.name }));
    setFilled((f) => ({ ...f, fullName: ocrName.name }));
    setFromPage((p) => ({ ...p, fullName: true }));
    setMessage({ kind: 'ok', text: format(ui.ocrFilled, { name: ocrName.name }) });
    nameInput.current?.focus();
    onOcrUsed();
  }, [ocrName, onOcrUsed]);

  // The desk's refusal (e.g. a bad ID number) shows where the clerk is looking, and what was typed stays.
  useEffect(() => {
    if (error) setMessage({ kind: 'error', text: error });
  }, [error]);

  const set = (field: Field, value: string) => setValues((v) => ({ ...v, [field]: value }));

  const readQr = async () => {
    try {
      const card = await desk.readCccdQr({ payload: qr });
      const fromCard: Partial<Values> = {
        fullName: card.fullName,
        idNumber: card.idNumber,
        dateOfBirth: dateText(card.dateOfBirth),
        sex: card.sex,
        address: card.address,
      };
      setValues((v) => ({ ...v, ...fromCard }));
      setFilled((f) => ({ ...f, ...fromCard }));
      setFromPage({});
      setQr('');
      setMessage({ kind: 'ok', text: format(ui.qrFilled, { count: Object.keys(fromCard).length }) });
      // What the card cannot say comes next: the phone number.
      phoneInput.current?.focus();
    } catch (failure) {
      setQr('');
      setMessage({ kind: 'error', text: (failure as Error).message });
    }
  };

  const submit = (event: FormEvent) => {
    event.preventDefault();
    const missing = !values.fullName.trim() ? ui.fullName : !values.idNumber.trim() ? ui.idNumber : null;
    if (missing) {
      setMessage({ kind: 'error', text: format(ui.applicantRequired, { field: missing.toLowerCase() }) });
      return;
    }
    if (!/^(\d{12}|\d{9})$/.test(values.idNumber.trim())) {
      setMessage({ kind: 'error', text: ui.idNumberFormat });
      return;
    }
    const born = values.dateOfBirth.trim() ? isoDate(values.dateOfBirth) : null;
    if (born === undefined) {
      setMessage({ kind: 'error', text: ui.dateFormat });
      return;
    }
    const applicant: ApplicantInput = { fullName: values.fullName.trim(), idNumber: values.idNumber.trim() };
    if (born) applicant.dateOfBirth = born;
    for (const field of ['sex', 'address', 'phone', 'email'] as const) {
      const value = values[field].trim();
      if (value) applicant[field] = value;
    }
    onStart(applicant, countPrefill(values, filled));
  };

  const counts = countPrefill(values, filled);
  const tag = (field: Field) =>
    filled[field] !== undefined && filled[field] === values[field] && values[field] ? (
      <span className="filled-tag">{fromPage[field] ? ui.fromPage : ui.fromQr}</span>
    ) : null;
  const text = (field: Field, label: string, extra: ComponentProps<'input'> = {}) => (
    <div className={`field field-${field}`}>
      <label htmlFor={id(field)}>
        {label} {tag(field)}
      </label>
      <input
        id={id(field)}
        value={values[field]}
        autoComplete="off"
        spellCheck={false}
        onChange={(e) => set(field, e.target.value)}
        {...extra}
      />
    </div>
  );

  const shown = message;
  return (
    <form className="applicant-form" onSubmit={submit} noValidate aria-describedby={id('message')}>
      <div className="field field-qr">
        <label htmlFor={id('qr')}>
          {ui.qr} <kbd>Alt+Q</kbd>
        </label>
        <input
          id={id('qr')}
          ref={qrRef}
          value={qr}
          placeholder={ui.qrPlaceholder}
          autoComplete="off"
          spellCheck={false}
          onChange={(e) => setQr(e.target.value)}
          onKeyDown={(e) => {
            // The reader ends the payload with Enter: read the card instead of submitting the form.
            // Enter in the empty box submits, so a card read before the procedure was picked needs no Tab.
            if (e.key === 'Enter' && qr.trim()) {
              e.preventDefault();
              void readQr();
            }
          }}
        />
      </div>
      <div className="applicant-grid">
        {text('fullName', ui.fullName, { maxLength: 120, ref: nameInput })}
        {text('idNumber', ui.idNumber, { maxLength: 12, inputMode: 'numeric' })}
        {text('dateOfBirth', ui.dateOfBirth, { maxLength: 10, placeholder: ui.datePlaceholder })}
        <div className="field field-sex">
          <label htmlFor={id('sex')}>
            {ui.sex} {tag('sex')}
          </label>
          <select id={id('sex')} value={values.sex} onChange={(e) => set('sex', e.target.value)}>
            <option value="" />
            <option value="Nam">{ui.sexes.Nam}</option>
            <option value="Nữ">{ui.sexes.Nữ}</option>
          </select>
        </div>
        {text('phone', ui.phone, { maxLength: 15, inputMode: 'tel', ref: phoneInput })}
        {text('address', ui.address, { maxLength: 300 })}
        {text('email', ui.email, { maxLength: 120, type: 'email' })}
      </div>
      <div className="form-footer">
        <button type="submit" disabled={busy}>
          {busy ? ui.starting : ui.start} <kbd>Enter</kbd>
        </button>
        <span className="muted" data-testid="prefill-count">
          {format(ui.prefillCount, counts)}
        </span>
      </div>
      <p
        id={id('message')}
        role={shown?.kind === 'error' ? 'alert' : 'status'}
        className={`message ${shown?.kind ?? ''}`}
      >
        {shown?.text}
      </p>
    </form>
  );
}
