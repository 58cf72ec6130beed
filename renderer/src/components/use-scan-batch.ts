import { useCallback, useEffect, useState } from 'react';
import type {
  OcrPageState,
  ScanBatchView,
  ScannerView,
  ScanPageEdit,
  ScanPageView,
  ScanSettingsView,
} from '../../../electron/api/desk-api';
import { desk } from '../desk-client';
import { format, t } from '../i18n';

export type ScanProgress = { pageNumber: number; bytesRead: number; totalBytes: number | null };
export type ScanMessage = { kind: 'ok' | 'error'; text: string } | null;

/** A file's bytes as base64, for the desk API (JSON over IPC or HTTP). */
function toBase64(file: File): Promise<string> {
  return new Promise((resolve, reject) => {
    const reader = new FileReader();
    reader.onload = () => resolve(String(reader.result).replace(/^data:[^,]*,/, ''));
    reader.onerror = () => reject(reader.error);
    reader.readAsDataURL(file);
  });
}

/**
 * The scan panel's state and the desk's events behind it: scanners and settings, the batch on screen with its
 * pages and OCR states, progress, the unfinished batches, and the actions that change them.
 */
export function useScanBatch() {
  const [scanners, setScanners] = useState<ScannerView[] | null>(null);
  const [scannerId, setScannerId] = useState('');
  const [settings, setSettings] = useState<ScanSettingsView | null>(null);
  const [profileName, setProfileName] = useState('');
  const [batchId, setBatchId] = useState<string | null>(null);
  const [pages, setPages] = useState<ScanPageView[]>([]);
  const [scanning, setScanning] = useState(false);
  const [progress, setProgress] = useState<ScanProgress | null>(null);
  const [message, setMessage] = useState<ScanMessage>(null);
  const [unfinished, setUnfinished] = useState<ScanBatchView[]>([]);
  const [ocr, setOcr] = useState<Map<number, OcrPageState>>(new Map());
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

  /** Saves the settings as a named profile; true when it was saved. */
  const saveProfile = async (name: string): Promise<boolean> => {
    if (!scanner || !settings || !name) return false;
    try {
      const updated = await desk.saveScanProfile({ deviceId: scanner.id, name, settings, isDefault: false });
      setScanners((all) => all?.map((s) => (s.id === updated.id ? updated : s)) ?? null);
      setProfileName(name);
      setMessage({ kind: 'ok', text: format(t.scanPanel.profileSaved, { name }) });
      return true;
    } catch (error) {
      fail(error);
      return false;
    }
  };

  const pickScanner = (id: string) => {
    const next = scanners?.find((s) => s.id === id);
    setScannerId(id);
    setProfileName('');
    setSettings(next?.defaults ?? null);
  };

  const pickProfile = (name: string) => {
    setProfileName(name);
    const chosen = scanner?.profiles.find((p) => p.name === name);
    setSettings(chosen ? chosen.settings : (scanner?.defaults ?? null));
  };

  const setSetting = <K extends keyof ScanSettingsView>(key: K, value: ScanSettingsView[K]) =>
    setSettings((current) => (current ? { ...current, [key]: value } : current));

  return {
    scanners,
    scanner,
    scannerId,
    settings,
    profileName,
    batchId,
    pages,
    scanning,
    progress,
    message,
    unfinished,
    ocr,
    blankPages,
    loadScanners,
    showBatch,
    importFiles,
    run,
    startScan,
    edit,
    saveProfile,
    pickScanner,
    pickProfile,
    setSetting,
  };
}
