import { useCallback, useEffect, useMemo, useRef, useState } from 'react';
import type { DeskStatus, DossierSummary, PageSearchHit } from '../../electron/api/desk-api';
import { DossierList } from './components/DossierList';
import { type ApplicantPrefill, NewDossierForm } from './components/NewDossierForm';
import { PageViewer } from './components/PageViewer';
import { ScanPanel } from './components/ScanPanel';
import { StatusBar } from './components/StatusBar';
import { desk } from './desk-client';
import { t } from './i18n';
import { useAltShortcuts } from './use-shortcuts';

export function App() {
  const [status, setStatus] = useState<DeskStatus | null>(null);
  const [dossiers, setDossiers] = useState<DossierSummary[]>([]);
  const [pageHits, setPageHits] = useState<PageSearchHit[]>([]);
  const [viewingHit, setViewingHit] = useState<PageSearchHit | null>(null);
  const [prefill, setPrefill] = useState<ApplicantPrefill | null>(null);
  const qrInput = useRef<HTMLInputElement>(null);
  const fillApplicantName = useCallback((name: string) => {
    setPrefill({ name, source: 'ocr' });
    procedureInput.current?.focus();
  }, []);
  const [query, setQuery] = useState('');
  const [loadError, setLoadError] = useState<string | null>(null);
  const procedureInput = useRef<HTMLInputElement>(null);
  const searchInput = useRef<HTMLInputElement>(null);

  const reload = useCallback(async (text: string) => {
    try {
      if (text.trim()) {
        const found = await desk.searchDocuments({ query: text });
        setDossiers(found.dossiers);
        setPageHits(found.pages);
      } else {
        setDossiers(await desk.listDossiers({}));
        setPageHits([]);
      }
      setLoadError(null);
    } catch (error) {
      setLoadError((error as Error).message);
    }
  }, []);

  useEffect(() => {
    void reload(query);
  }, [query, reload]);

  useEffect(() => {
    desk.getStatus().then(setStatus, () => undefined);
    const offStatus = desk.on('status', setStatus);
    const offDossier = desk.on('dossierChanged', () => void reload(searchInput.current?.value ?? ''));
    return () => {
      offStatus();
      offDossier();
    };
  }, [reload]);

  const scanButton = useRef<HTMLButtonElement>(null);
  const shortcuts = useMemo(
    (): [string, () => void][] => [
      ['KeyN', () => procedureInput.current?.focus()],
      ['KeyT', () => searchInput.current?.focus()],
      ['KeyQ', () => qrInput.current?.focus()],
      ['KeyS', () => scanButton.current?.click()],
    ],
    [],
  );
  useAltShortcuts(shortcuts);

  return (
    <div className="desk">
      <a className="skip-link" href="#main">
        {t.app.skipToContent}
      </a>
      <header className="desk-header">
        <h1>{t.app.title}</h1>
        <span className="agency">{status?.agencyName}</span>
      </header>
      <main id="main" className="desk-main">
        <NewDossierForm
          firstInput={procedureInput}
          qrInput={qrInput}
          prefill={prefill}
          onCreated={() => void reload(query)}
        />
        <DossierList
          dossiers={dossiers}
          query={query}
          onQueryChange={setQuery}
          searchInput={searchInput}
          error={loadError}
          pageHits={pageHits}
          onOpenHit={setViewingHit}
        />
        {viewingHit && (
          <div className="hit-viewer">
            <PageViewer
              batchId={viewingHit.batchId}
              seq={viewingHit.seq}
              position={viewingHit.seq}
              onClose={() => setViewingHit(null)}
              onUseName={fillApplicantName}
            />
          </div>
        )}
        <ScanPanel startButton={scanButton} onUseName={fillApplicantName} />
      </main>
      <StatusBar status={status} />
    </div>
  );
}
