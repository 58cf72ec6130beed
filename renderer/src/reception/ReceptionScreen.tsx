import { type RefObject, useCallback, useEffect, useId, useRef, useState } from 'react';
import type { ApplicantInput, ProcedureView, ReceptionView } from '../../../electron/api/desk-api';
import { desk } from '../desk-client';
import { format, t } from '../i18n';
import { ApplicantForm, type OcrName } from './ApplicantForm';
import { Checklist } from './Checklist';
import { RefusalForm, SupplementForm } from './NoticeForms';
import { ProcedurePicker, procedureFacts, SampleBadge } from './ProcedurePicker';
import { downloadPdf, printForm } from './print';
import { type FormKind, type ReceptionResult, ResultPanel } from './ResultPanel';
import { isForbidden } from './SessionGate';
import { useComponentScanner } from './use-component-scanner';
import { useReceptionShortcuts } from './use-reception-shortcuts';
import { appointmentText } from './when';

const ui = t.receptionUi;

/** While a draft, the procedure and the applicant can come in either order (the card is often handed first). */
type Stage =
  | { kind: 'draft'; procedure: ProcedureView | null }
  | { kind: 'checklist'; view: ReceptionView; panel: 'none' | 'supplement' | 'refusal' }
  | { kind: 'result'; result: ReceptionResult };

type Message = { kind: 'ok' | 'error'; text: string } | null;

const FILE_NAMES: Record<FormKind, string> = {
  receipt: 'phieu-tiep-nhan',
  supplement: 'phieu-bo-sung',
  refusal: 'phieu-tu-choi',
};

/**
 * The component to work on after `afterCode`: a missing required one first (down the list, then from the top),
 * else any missing one the same way; null when nothing is missing.
 */
function nextMissing(view: ReceptionView, afterCode: string | null): string | null {
  const ordered = [...view.components].sort((a, b) => a.position - b.position);
  const from = afterCode ? ordered.findIndex((c) => c.code === afterCode) : -1;
  const rotated = [...ordered.slice(from + 1), ...ordered.slice(0, from + 1)];
  const missing = rotated.filter((c) => c.status === 'missing');
  return (missing.find((c) => c.required) ?? missing[0])?.code ?? null;
}

/**
 * Receiving one dossier on one keyboard-driven screen: (1) procedure, (2) applicant, (3) components — scanned
 * or reused — (4) the appointment, then the receipt printed. Supplement request and refusal are one key away.
 */
export function ReceptionScreen({
  procedureInput,
  ocrName,
  onOcrConsumed,
  onForbidden,
  onChanged,
}: {
  procedureInput: RefObject<HTMLInputElement | null>;
  ocrName: OcrName | null;
  onOcrConsumed: () => void;
  onForbidden: () => void;
  onChanged: () => void;
}) {
  const [stage, setStage] = useState<Stage>({ kind: 'draft', procedure: null });
  const [busy, setBusy] = useState(false);
  const [busyCode, setBusyCode] = useState<string | null>(null);
  const [message, setMessage] = useState<Message>(null);
  const [focusCode, setFocusCode] = useState<string | null>(null);
  const [focusNonce, setFocusNonce] = useState(0);
  const [printing, setPrinting] = useState(false);
  const [printMessage, setPrintMessage] = useState<Message>(null);
  const qrInput = useRef<HTMLInputElement>(null);
  const completeButton = useRef<HTMLButtonElement>(null);
  const printButton = useRef<HTMLButtonElement>(null);
  const scanner = useComponentScanner(stage.kind === 'checklist');
  const headingId = useId();

  const fail = useCallback(
    (error: unknown) => {
      if (isForbidden(error)) onForbidden();
      setMessage({ kind: 'error', text: (error as Error).message });
    },
    [onForbidden],
  );

  const focusComponent = (code: string | null) => {
    if (code) {
      setFocusCode(code);
      setFocusNonce((n) => n + 1);
    } else setTimeout(() => completeButton.current?.focus());
  };

  const reset = useCallback(() => {
    setStage({ kind: 'draft', procedure: null });
    setMessage(null);
    setPrintMessage(null);
    setBusyCode(null);
    setTimeout(() => procedureInput.current?.focus());
  }, [procedureInput]);

  const pickProcedure = (procedure: ProcedureView) => {
    setStage({ kind: 'draft', procedure });
    setMessage(null);
    setTimeout(() => qrInput.current?.focus());
  };

  const changeProcedure = () => {
    setStage({ kind: 'draft', procedure: null });
    setTimeout(() => procedureInput.current?.focus());
  };

  const start = async (applicant: ApplicantInput, prefill: { prefilled: number; typed: number }) => {
    if (stage.kind !== 'draft') return;
    if (!stage.procedure) {
      setMessage({ kind: 'error', text: ui.procedureRequired });
      procedureInput.current?.focus();
      return;
    }
    setBusy(true);
    try {
      const view = await desk.startReception({ procedureCode: stage.procedure.code, applicant, prefill });
      setStage({ kind: 'checklist', view, panel: 'none' });
      setMessage(null);
      focusComponent(nextMissing(view, null));
      onChanged();
    } catch (error) {
      fail(error);
    } finally {
      setBusy(false);
    }
  };

  const update = (view: ReceptionView) => setStage({ kind: 'checklist', view, panel: 'none' });

  const scanComponent = async (code: string) => {
    if (stage.kind !== 'checklist' || busyCode) return;
    const { view } = stage;
    const name = view.components.find((c) => c.code === code)?.name ?? code;
    setBusyCode(code);
    setMessage({ kind: 'ok', text: format(ui.scanning, { name }) });
    try {
      const end = await scanner.scan();
      if (!end) {
        setMessage({ kind: 'error', text: ui.noScanner });
        focusComponent(code);
        return;
      }
      if (end.endedBy !== 'completed') {
        setMessage({ kind: 'error', text: format(ui.scanStopped, { name, message: end.message ?? '' }) });
        focusComponent(code);
        return;
      }
      if (end.pageCount === 0) {
        setMessage({ kind: 'error', text: format(ui.scanEmpty, { name }) });
        focusComponent(code);
        return;
      }
      const next = await desk.attachScan({
        dossierId: view.dossierId,
        componentCode: code,
        batchId: end.batchId,
      });
      update(next);
      const pages = next.components.find((c) => c.code === code)?.pageCount ?? end.pageCount;
      setMessage({ kind: 'ok', text: format(ui.scanned, { name, count: pages }) });
      focusComponent(nextMissing(next, code));
    } catch (error) {
      fail(error);
      focusComponent(code);
    } finally {
      setBusyCode(null);
    }
  };

  const reuse = async (code: string, documentId: string) => {
    if (stage.kind !== 'checklist' || busyCode) return;
    const { view } = stage;
    setBusyCode(code);
    try {
      const next = await desk.reuseDocument({ dossierId: view.dossierId, componentCode: code, documentId });
      update(next);
      const component = next.components.find((c) => c.code === code);
      const title = view.reusable.find((d) => d.documentId === documentId)?.title ?? '';
      setMessage({ kind: 'ok', text: format(ui.reused, { title, name: component?.name ?? code }) });
      focusComponent(nextMissing(next, code));
    } catch (error) {
      fail(error);
      focusComponent(code);
    } finally {
      setBusyCode(null);
    }
  };

  const print = useCallback(async (result: ReceptionResult) => {
    setPrinting(true);
    setPrintMessage(null);
    try {
      const outcome = await printForm({ dossierId: result.view.dossierId, form: result.form });
      const text = {
        printed: ui.printed,
        cancelled: ui.printCancelled,
        opened: ui.printOpened,
        blocked: ui.printBlocked,
      }[outcome];
      setPrintMessage({ kind: outcome === 'blocked' ? 'error' : 'ok', text });
    } catch (error) {
      setPrintMessage({ kind: 'error', text: format(ui.printFailed, { message: (error as Error).message }) });
    } finally {
      setPrinting(false);
    }
  }, []);

  const finish = (result: ReceptionResult) => {
    setStage({ kind: 'result', result });
    setMessage(null);
    onChanged();
    setTimeout(() => printButton.current?.focus());
    // The receipt goes to the printer at once: the citizen is waiting at the desk for it.
    void print(result);
  };

  const complete = async () => {
    if (stage.kind !== 'checklist' || busy || busyCode) return;
    const { view } = stage;
    const missing = view.components.filter((c) => c.required && c.status === 'missing');
    if (missing.length > 0) {
      setMessage({
        kind: 'error',
        text: format(ui.missingRequired, {
          count: missing.length,
          names: missing.map((c) => c.name).join('; '),
        }),
      });
      focusComponent(missing[0]?.code ?? null);
      return;
    }
    setBusy(true);
    try {
      const done = await desk.completeReception({ dossierId: view.dossierId });
      finish({ form: 'receipt', view: done.view, pdfBase64: done.receiptPdfBase64 });
    } catch (error) {
      fail(error);
    } finally {
      setBusy(false);
    }
  };

  const requestSupplement = async (componentCodes: string[], note: string) => {
    if (stage.kind !== 'checklist') return;
    setBusy(true);
    try {
      const done = await desk.requestSupplement({
        dossierId: stage.view.dossierId,
        componentCodes,
        ...(note ? { note } : {}),
      });
      finish({
        form: 'supplement',
        view: done.view,
        pdfBase64: done.pdfBase64,
        countsAsOverdue: done.countsAsOverdue,
      });
    } catch (error) {
      fail(error);
    } finally {
      setBusy(false);
    }
  };

  const refuse = async (reason: string) => {
    if (stage.kind !== 'checklist') return;
    setBusy(true);
    try {
      const done = await desk.refuseDossier({ dossierId: stage.view.dossierId, reason });
      finish({ form: 'refusal', view: done.view, pdfBase64: done.pdfBase64 });
    } catch (error) {
      fail(error);
    } finally {
      setBusy(false);
    }
  };

  const openPanel = (panel: 'supplement' | 'refusal' | 'none') => {
    if (stage.kind !== 'checklist' || busyCode) return;
    setStage({ ...stage, panel });
    setMessage(null);
    if (panel === 'none') focusComponent(focusCode ?? nextMissing(stage.view, null));
  };

  const download = () => {
    if (stage.kind !== 'result') return;
    const { result } = stage;
    downloadPdf(
      result.pdfBase64,
      `${FILE_NAMES[result.form]}-${result.view.code ?? result.view.dossierId}.pdf`,
    );
  };

  useReceptionShortcuts(
    { reset, openPanel, download, print, stage, complete, changeProcedure },
    procedureInput,
    qrInput,
  );

  useEffect(() => {
    procedureInput.current?.focus();
  }, [procedureInput]);

  const procedure =
    stage.kind === 'draft'
      ? stage.procedure
      : stage.kind === 'checklist'
        ? stage.view.procedure
        : stage.kind === 'result'
          ? stage.result.view.procedure
          : null;
  const view = stage.kind === 'checklist' ? stage.view : null;
  const applicant =
    stage.kind === 'checklist'
      ? stage.view.applicant
      : stage.kind === 'result'
        ? stage.result.view.applicant
        : null;

  return (
    <section className="panel reception" aria-labelledby={headingId} data-stage={stage.kind}>
      <h2 id={headingId}>
        {ui.heading} <kbd>Alt+N</kbd>
      </h2>

      <section className={`step ${procedure ? 'step-done' : 'step-current'}`} aria-label={ui.steps.procedure}>
        <h3>
          <span className="step-number">1</span> {ui.steps.procedure}
        </h3>
        {procedure ? (
          <div className="summary">
            <p className="summary-title">
              {procedure.name} <code>{procedure.code}</code> <SampleBadge procedure={procedure} />
            </p>
            <p className="muted">{procedureFacts(procedure)}</p>
            {stage.kind === 'draft' && (
              <button type="button" className="secondary small" onClick={changeProcedure}>
                {ui.change} <kbd>Alt+N</kbd>
              </button>
            )}
          </div>
        ) : (
          <ProcedurePicker inputRef={procedureInput} onPick={pickProcedure} />
        )}
      </section>

      {
        <section
          className={`step ${applicant ? 'step-done' : 'step-current'}`}
          aria-label={ui.steps.applicant}
        >
          <h3>
            <span className="step-number">2</span> {ui.steps.applicant}
          </h3>
          {applicant ? (
            <div className="summary">
              <p className="summary-title">{applicant.fullName}</p>
              <p className="muted">
                {[applicant.idNumber, applicant.phone, applicant.address].filter(Boolean).join(' · ')}
              </p>
            </div>
          ) : (
            <ApplicantForm
              qrRef={qrInput}
              ocrName={ocrName}
              onOcrUsed={onOcrConsumed}
              busy={busy}
              error={message?.kind === 'error' ? message.text : null}
              onStart={(a, p) => void start(a, p)}
            />
          )}
        </section>
      }

      {view && stage.kind === 'checklist' && (
        <>
          {stage.panel === 'none' ? (
            <div className="step step-current">
              <Checklist
                view={view}
                focusCode={focusCode}
                focusNonce={focusNonce}
                busyCode={busyCode}
                canScan={scanner.scanner !== null}
                onFocusCode={setFocusCode}
                onScan={(code) => void scanComponent(code)}
                onReuse={(code, doc) => void reuse(code, doc)}
              />
              <p className="muted scanner-line">
                {scanner.scanner
                  ? scanner.profile
                    ? format(ui.scannerProfile, { label: scanner.scanner.label, profile: scanner.profile })
                    : format(ui.scanner, { label: scanner.scanner.label })
                  : scanner.scanner === null
                    ? ui.noScanner
                    : ''}
              </p>
            </div>
          ) : stage.panel === 'supplement' ? (
            <SupplementForm
              view={view}
              busy={busy}
              error={message?.kind === 'error' ? message.text : null}
              onIssue={(codes, note) => void requestSupplement(codes, note)}
              onBack={() => openPanel('none')}
            />
          ) : (
            <RefusalForm
              busy={busy}
              error={message?.kind === 'error' ? message.text : null}
              onIssue={(reason) => void refuse(reason)}
              onBack={() => openPanel('none')}
            />
          )}

          <section className="step appointment" aria-label={ui.steps.appointment}>
            <h3>
              <span className="step-number">4</span> {ui.steps.appointment}
            </h3>
            <p className="due-date" data-testid="due-preview">
              {appointmentText(view.dueAt)}
            </p>
            <p className="hint">{ui.duePreview}</p>
          </section>

          {stage.panel === 'none' && (
            <>
              <div className="button-row actions">
                <button
                  type="button"
                  ref={completeButton}
                  disabled={busy || busyCode !== null}
                  onClick={() => void complete()}
                >
                  {busy ? ui.completing : ui.complete} <kbd>Ctrl+Enter</kbd>
                </button>
                <button type="button" className="secondary" onClick={() => openPanel('supplement')}>
                  {ui.supplement} <kbd>Alt+B</kbd>
                </button>
                <button type="button" className="secondary danger-text" onClick={() => openPanel('refusal')}>
                  {ui.refuse} <kbd>Alt+R</kbd>
                </button>
              </div>
              <p
                role={message?.kind === 'error' ? 'alert' : 'status'}
                className={`message ${message?.kind ?? ''}`}
              >
                {message?.text}
              </p>
            </>
          )}
        </>
      )}

      {stage.kind === 'result' && (
        <ResultPanel
          result={stage.result}
          printButton={printButton}
          printMessage={printMessage}
          printing={printing}
          onPrint={() => void print(stage.result)}
          onDownload={download}
          onNext={reset}
        />
      )}
      <p className="shortcuts">{ui.shortcuts}</p>
    </section>
  );
}
