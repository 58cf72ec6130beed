import {
  type FormEvent,
  type KeyboardEvent,
  type RefObject,
  useCallback,
  useEffect,
  useId,
  useState,
} from 'react';
import type {
  OcrPageState,
  ScanBatchView,
  ScannerView,
  ScanPageEdit,
  ScanPageView,
  ScanSettingsView,
} from '../../../electron/api/desk-api';
import { desk } from '../desk-client';
import { timeFormat } from '../format';
import { format, t } from '../i18n';
import { PageViewer } from './PageViewer';

type Progress = { pageNumber: number; bytesRead: number; totalBytes: number | null };
type Message = { kind: 'ok' | 'error'; text: string } | null;

/** Scanner and profile pickers, live thumbnails as pages arrive, page arrangement, resume after an interruption. */
export function ScanPanel({
  startButton,
  onUseName,
}: {
  startButton: RefObject<HTMLButtonElement | null>;
  onUseName: (name: string) => void;
}) {
  const ids = { heading: useId(), scanner: useId(), profile: useId(), profileName: useId() };
  const [scanners, setScanners] = useState<ScannerView[] | null>(null);
  const [scannerId, setScannerId] = useState('');
  const [settings, setSettings] = useState<ScanSettingsView | null>(null);
  const [profileName, setProfileName] = useState('');
  const [batchId, setBatchId] = useState<string | null>(null);
  const [pages, setPages] = useState<ScanPageView[]>([]);
  const [scanning, setScanning] = useState(false);
  const [progress, setProgress] = useState<Progress | null>(null);
  const [message, setMessage] = useState<Message>(null);
  const [unfinished, setUnfinished] = useState<ScanBatchView[]>([]);
  const [profileDraft, setProfileDraft] = useState<string | null>(null);
  const [ocr, setOcr] = useState<Map<number, OcrPageState>>(new Map());
  const [viewing, setViewing] = useState<ScanPageView | null>(null);
  const [blankPages, setBlankPages] = useState(0);
  const scanner = scanners?.find((s) => s.id === scannerId) ?? null;

  const fail = useCallback(
    (error: unknown) => setMessage({ kind: 'error', text: (error as Error).message }),
    [],
  );

  const loadScanners = useCallback(async () => {
    setScanners(null);
    try {
      const found = await desk.listScanners();
      setScanners(found);
      const first = found[0];
      if (first) {
        setScannerId((current) => (found.some((s) => s.id === current) ? current : first.id));
        setSettings((current) => current ?? first.defaults);
      }
      setUnfinished(await desk.listUnfinishedScans());
    } catch (error) {
      setScanners([]);
      fail(error);
    }
  }, [fail]);

  const showBatch = useCallback(async (id: string) => {
    const [{ pages: laidOut, batch }, states] = await Promise.all([
      desk.getScanBatch({ batchId: id }),
      desk.getOcrStatus({ batchId: id }),
    ]);
    setBatchId(id);
    setBlankPages(batch.blankPages);
    setPages(laidOut);
    setOcr(new Map(states.map((s) => [s.seq, s])));
  }, []);

  useEffect(
    () =>
      desk.on('ocrProgress', (p) => {
        if (p.batchId !== batchId) return;
        const state = { seq: p.seq, status: p.status, confidence: p.confidence, message: p.message };
        setOcr((current) => new Map(current).set(p.seq, state));
      }),
    [batchId],
  );

  const importFiles = async (files: FileList | null) => {
    // Copied at once: the input is cleared right after, which empties its live FileList.
    const chosen = [...(files ?? [])];
    if (chosen.length === 0) return;
    setMessage({ kind: 'ok', text: t.scanPanel.importing });
    try {
      const encoded = await Promise.all(
        chosen.map(async (file) => ({ name: file.name, base64: await toBase64(file) })),
      );
      const { batchId: imported } = await desk.importPages({ files: encoded });
      await showBatch(imported);
      setMessage({ kind: 'ok', text: format(t.scanPanel.imported, { count: chosen.length }) });
    } catch (error) {
      fail(error);
    }
  };

  useEffect(() => {
    void loadScanners();
  }, [loadScanners]);

  // Esc stops the scan from anywhere in the window: the clerk's hands are on the paper, not the mouse.
  useEffect(() => {
    if (!scanning || !batchId) return;
    const onKey = (event: globalThis.KeyboardEvent) => {
      if (event.key === 'Escape') void desk.cancelScan({ batchId });
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, [scanning, batchId]);

  useEffect(() => {
    const offProgress = desk.on('scanProgress', (p) => {
      if (p.batchId === batchId) setProgress(p);
    });
    const offPage = desk.on('scanPage', (p) => {
      if (p.batchId === batchId) void showBatch(p.batchId);
    });
    const offEnded = desk.on('scanEnded', (e) => {
      if (e.batchId !== batchId) return;
      setScanning(false);
      setProgress(null);
      void showBatch(e.batchId);
      desk.listUnfinishedScans().then(setUnfinished, fail);
      const count = e.pageCount;
      if (e.endedBy === 'completed')
        setMessage({ kind: 'ok', text: format(t.scanPanel.completed, { count }) });
      else if (e.endedBy === 'cancelled')
        setMessage({ kind: 'ok', text: format(t.scanPanel.cancelled, { count }) });
      else
        setMessage({
          kind: 'error',
          text: format(t.scanPanel.failedKept, { message: e.message ?? '', count }),
        });
    });
    return () => {
      offProgress();
      offPage();
      offEnded();
    };
  }, [batchId, showBatch, fail]);

  const run = async (start: () => Promise<{ batchId: string }>) => {
    setMessage(null);
    setScanning(true);
    try {
      const started = await start();
      setBatchId(started.batchId);
      await showBatch(started.batchId);
    } catch (error) {
      setScanning(false);
      fail(error);
    }
  };

  const startScan = () => {
    if (!scanner || !settings || scanning) return;
    setPages([]);
    void run(() =>
      desk.startScan({ deviceId: scanner.id, settings, ...(profileName ? { profileName } : {}) }),
    );
  };

  const edit = async (seq: number, change: ScanPageEdit) => {
    if (!batchId) return;
    try {
      setPages(await desk.editScanPage({ batchId, seq, edit: change }));
    } catch (error) {
      fail(error);
    }
  };

  const onPageKey = (event: KeyboardEvent, page: ScanPageView) => {
    const change: ScanPageEdit | 'view' | null =
      event.altKey && event.key === 'ArrowLeft'
        ? 'move-earlier'
        : event.altKey && event.key === 'ArrowRight'
          ? 'move-later'
          : event.key === 'Enter'
            ? 'view'
            : event.key === 'Delete'
              ? 'delete'
              : event.key.toLowerCase() === 'r'
                ? 'rotate-right'
                : event.key.toLowerCase() === 'l'
                  ? 'rotate-left'
                  : null;
    if (!change) return;
    event.preventDefault();
    if (change === 'view') setViewing(page);
    else void edit(page.seq, change);
  };

  const saveProfile = async (event: FormEvent) => {
    event.preventDefault();
    const name = profileDraft?.trim();
    if (!scanner || !settings || !name) return;
    try {
      const updated = await desk.saveScanProfile({ deviceId: scanner.id, name, settings, isDefault: false });
      setScanners((all) => all?.map((s) => (s.id === updated.id ? updated : s)) ?? null);
      setProfileName(name);
      setProfileDraft(null);
      setMessage({ kind: 'ok', text: format(t.scanPanel.profileSaved, { name }) });
    } catch (error) {
      fail(error);
    }
  };

  const pickProfile = (name: string) => {
    setProfileName(name);
    const chosen = scanner?.profiles.find((p) => p.name === name);
    setSettings(chosen ? chosen.settings : (scanner?.defaults ?? null));
  };

  const set = <K extends keyof ScanSettingsView>(key: K, value: ScanSettingsView[K]) =>
    setSettings((current) => (current ? { ...current, [key]: value } : current));

  const componentCount = pages.reduce((most, p) => Math.max(most, p.component), 0);

  const percent =
    progress?.totalBytes && progress.totalBytes > 0
      ? Math.min(100, Math.round((progress.bytesRead / progress.totalBytes) * 100))
      : undefined;

  return (
    <section className="panel scan-panel" aria-labelledby={ids.heading}>
      <h2 id={ids.heading}>
        {t.scanPanel.heading} <kbd>Alt+S</kbd>
      </h2>
      {unfinished.length > 0 && (
        <div className="notice" role="status">
          <p>{format(t.scanPanel.unfinished, { count: unfinished.length })}</p>
          <ul>
            {unfinished.map((b) => (
              <li key={b.id}>
                {format(t.scanPanel.unfinishedBatch, {
                  scanner: b.scannerLabel,
                  count: b.pageCount,
                  time: timeFormat.format(new Date(b.createdAt)),
                })}{' '}
                <button type="button" className="secondary" onClick={() => void showBatch(b.id)}>
                  {t.scanPanel.open}
                </button>{' '}
                <button
                  type="button"
                  disabled={scanning}
                  onClick={() => void run(() => desk.resumeScan({ batchId: b.id }))}
                >
                  {t.scanPanel.resume}
                </button>
              </li>
            ))}
          </ul>
        </div>
      )}
      {scanners === null ? (
        <p className="muted">{t.scanPanel.searching}</p>
      ) : scanners.length === 0 ? (
        <p className="muted">{t.scanPanel.none}</p>
      ) : (
        <div className="scan-controls">
          <div>
            <label htmlFor={ids.scanner}>{t.scanPanel.scanner}</label>
            <select
              id={ids.scanner}
              value={scannerId}
              onChange={(e) => {
                const next = scanners.find((s) => s.id === e.target.value);
                setScannerId(e.target.value);
                setProfileName('');
                setSettings(next?.defaults ?? null);
              }}
            >
              {scanners.map((s) => (
                <option key={s.id} value={s.id}>
                  {s.label}
                </option>
              ))}
            </select>
          </div>
          <div>
            <label htmlFor={ids.profile}>{t.scanPanel.profile}</label>
            <select id={ids.profile} value={profileName} onChange={(e) => pickProfile(e.target.value)}>
              <option value="">{t.scanPanel.noProfile}</option>
              {scanner?.profiles.map((p) => (
                <option key={p.name} value={p.name}>
                  {p.name}
                </option>
              ))}
            </select>
          </div>
          {scanner && settings && (
            <>
              <Choice
                label={t.scanPanel.source}
                value={settings.source}
                options={scanner.capabilities.sources.map((v) => [v, t.scanPanel.sources[v]])}
                onChange={(v) => set('source', v)}
              />
              <Choice
                label={t.scanPanel.mode}
                value={settings.mode}
                options={scanner.capabilities.modes.map((v) => [v, t.scanPanel.modes[v]])}
                onChange={(v) => set('mode', v)}
              />
              <Choice
                label={t.scanPanel.resolution}
                value={String(settings.resolution)}
                options={scanner.capabilities.resolutions.map((v) => [String(v), String(v)])}
                onChange={(v) => set('resolution', Number(v))}
              />
              <Choice
                label={t.scanPanel.pageSize}
                value={settings.pageSize}
                options={scanner.capabilities.pageSizes.map((v) => [v, v])}
                onChange={(v) => set('pageSize', v)}
              />
            </>
          )}
        </div>
      )}
      <div className="scan-actions">
        <button type="button" ref={startButton} onClick={startScan} disabled={!scanner || scanning}>
          {t.scanPanel.start}
        </button>
        <button
          type="button"
          className="secondary"
          disabled={!scanning || !batchId}
          onClick={() => batchId && void desk.cancelScan({ batchId })}
        >
          {t.scanPanel.cancel} <kbd>Esc</kbd>
        </button>
        <button type="button" className="secondary" disabled={scanning} onClick={() => void loadScanners()}>
          {t.scanPanel.refresh}
        </button>
        <label className="button secondary file-button">
          {t.scanPanel.importFiles}
          <input
            type="file"
            multiple
            accept="image/png,image/jpeg,image/tiff"
            onChange={(e) => {
              void importFiles(e.target.files);
              e.target.value = '';
            }}
          />
        </label>
        <button
          type="button"
          className="secondary"
          disabled={!scanner}
          onClick={() => setProfileDraft(profileName || '')}
        >
          {t.scanPanel.saveProfile}
        </button>
      </div>
      {profileDraft !== null && (
        <form className="profile-form" onSubmit={(e) => void saveProfile(e)}>
          <label htmlFor={ids.profileName}>{t.scanPanel.profileName}</label>
          <input
            id={ids.profileName}
            value={profileDraft}
            maxLength={60}
            onChange={(e) => setProfileDraft(e.target.value)}
            onKeyDown={(e) => e.key === 'Escape' && setProfileDraft(null)}
            // biome-ignore lint/a11y/noAutofocus: the clerk just asked to name the profile
            autoFocus
          />
          <button type="submit">{t.home.save}</button>
        </form>
      )}
      {scanning && (
        <div className="scan-progress">
          <span>{format(t.scanPanel.scanningPage, { page: progress?.pageNumber ?? pages.length + 1 })}</span>
          <progress aria-label={t.scanPanel.progress} max={100} value={percent} />
        </div>
      )}
      <p role={message?.kind === 'error' ? 'alert' : 'status'} className={`message ${message?.kind ?? ''}`}>
        {message?.text}
      </p>
      {viewing && batchId && (
        <PageViewer
          batchId={batchId}
          seq={viewing.seq}
          position={viewing.position}
          onClose={() => setViewing(null)}
          onUseName={onUseName}
        />
      )}
      {pages.length === 0 ? (
        <p className="muted">{t.scanPanel.empty}</p>
      ) : (
        <>
          <p className="muted" data-testid="batch-summary">
            {[
              format(t.scanPanel.pages, { count: pages.length }),
              componentCount > 1 ? format(t.scanPanel.components, { count: componentCount }) : null,
              blankPages > 0 ? format(t.scanPanel.blankDropped, { count: blankPages }) : null,
              t.scanPanel.shortcuts,
            ]
              .filter(Boolean)
              .join(' · ')}
          </p>
          <ol className="thumbnails" data-batch-id={batchId ?? undefined}>
            {pages.map((page) => (
              <li key={page.seq} data-seq={page.seq}>
                <figure
                  // biome-ignore lint/a11y/noNoninteractiveTabindex: pages are focusable so the keyboard can arrange them
                  tabIndex={0}
                  onKeyDown={(e) => onPageKey(e, page)}
                  aria-label={format(t.scanPanel.pageLabel, { position: page.position })}
                >
                  <img
                    src={page.thumbnail}
                    alt={format(t.scanPanel.pageLabel, { position: page.position })}
                  />
                  <figcaption>
                    {format(t.scanPanel.pageLabel, { position: page.position })}
                    {componentCount > 1 &&
                      ` · ${format(t.scanPanel.componentLabel, { number: page.component })}`}
                    <OcrBadge state={ocr.get(page.seq)} />
                  </figcaption>
                </figure>
                <div className="page-tools">
                  <PageButton
                    label={t.scanPanel.rotateLeft}
                    symbol="⟲"
                    onClick={() => void edit(page.seq, 'rotate-left')}
                  />
                  <PageButton
                    label={t.scanPanel.rotateRight}
                    symbol="⟳"
                    onClick={() => void edit(page.seq, 'rotate-right')}
                  />
                  <PageButton
                    label={t.scanPanel.moveEarlier}
                    symbol="←"
                    onClick={() => void edit(page.seq, 'move-earlier')}
                  />
                  <PageButton
                    label={t.scanPanel.moveLater}
                    symbol="→"
                    onClick={() => void edit(page.seq, 'move-later')}
                  />
                  <PageButton
                    label={t.scanPanel.delete}
                    symbol="✕"
                    onClick={() => void edit(page.seq, 'delete')}
                  />
                  <PageButton label={t.scanPanel.viewText} symbol="Aa" onClick={() => setViewing(page)} />
                  <PageButton
                    label={t.scanPanel.rescan}
                    symbol="↻"
                    disabled={scanning || !scanner}
                    onClick={() =>
                      scanner &&
                      batchId &&
                      void run(() => desk.rescanPage({ batchId, seq: page.seq, deviceId: scanner.id }))
                    }
                  />
                </div>
              </li>
            ))}
          </ol>
        </>
      )}
    </section>
  );
}

function OcrBadge({ state }: { state: OcrPageState | undefined }) {
  if (!state) return null;
  const text =
    state.status === 'done'
      ? format(t.scanPanel.ocrDone, { confidence: Math.round(state.confidence ?? 0) })
      : state.status === 'failed'
        ? t.scanPanel.ocrFailed
        : state.status === 'running'
          ? t.scanPanel.ocrRunning
          : t.scanPanel.ocrPending;
  return (
    <span
      className={`ocr-badge ocr-${state.status}`}
      title={state.message ?? undefined}
      data-ocr={state.status}
    >
      {text}
    </span>
  );
}

/** A file's bytes as base64, for the desk API (JSON over IPC or HTTP). */
function toBase64(file: File): Promise<string> {
  return new Promise((resolve, reject) => {
    const reader = new FileReader();
    reader.onload = () => resolve(String(reader.result).replace(/^data:[^,]*,/, ''));
    reader.onerror = () => reject(reader.error);
    reader.readAsDataURL(file);
  });
}

function Choice<V extends string>(props: {
  label: string;
  value: V;
  options: [V, string][];
  onChange: (value: V) => void;
}) {
  const id = useId();
  return (
    <div>
      <label htmlFor={id}>{props.label}</label>
      <select id={id} value={props.value} onChange={(e) => props.onChange(e.target.value as V)}>
        {props.options.map(([value, text]) => (
          <option key={value} value={value}>
            {text}
          </option>
        ))}
      </select>
    </div>
  );
}

function PageButton(props: { label: string; symbol: string; onClick: () => void; disabled?: boolean }) {
  return (
    <button
      type="button"
      className="icon"
      title={props.label}
      aria-label={props.label}
      onClick={props.onClick}
      disabled={props.disabled}
    >
      {props.symbol}
    </button>
  );
}
