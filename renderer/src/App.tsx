import { useCallback, useEffect, useMemo, useRef, useState } from 'react';
import type { DeskStatus, DossierSummary, PageSearchHit } from '../../electron/api/desk-api';
import { DossierList } from './components/DossierList';
import { PageViewer } from './components/PageViewer';
import { PrefillPanel } from './components/PrefillPanel';
import { ScanPanel } from './components/ScanPanel';
import { StatusBar } from './components/StatusBar';
import { SyncPanel } from './components/SyncPanel';
import { desk } from './desk-client';
import { t } from './i18n';
import { DueLists } from './quality/DueLists';
import { QualityDashboard } from './quality/QualityDashboard';
import type { OcrName } from './reception/ApplicantForm';
import { ReceptionScreen } from './reception/ReceptionScreen';
import { SessionGate, type SignedIn } from './reception/SessionGate';
import { SessionHeader } from './reception/SessionHeader';
import { useAltShortcuts } from './use-shortcuts';

/** Nothing of the desk shows before a clerk signs in; the reception flow replaced the old "new dossier" form. */
export function App() {
  return <SessionGate>{(signedIn) => <DeskHome signedIn={signedIn} />}</SessionGate>;
}

function DeskHome({ signedIn }: { signedIn: SignedIn }) {
  const [status, setStatus] = useState<DeskStatus | null>(null);
  const [dossiers, setDossiers] = useState<DossierSummary[]>([]);
  const [pageHits, setPageHits] = useState<PageSearchHit[]>([]);
  const [viewingHit, setViewingHit] = useState<PageSearchHit | null>(null);
  const [ocrName, setOcrName] = useState<OcrName | null>(null);
  const fillApplicantName = useCallback((name: string) => setOcrName({ name, nonce: Date.now() }), []);
  const clearOcrName = useCallback(() => setOcrName(null), []);
  const [query, setQuery] = useState('');
  const [loadError, setLoadError] = useState<string | null>(null);
  const [showQuality, setShowQuality] = useState(false);
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
      ['KeyT', () => searchInput.current?.focus()],
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
        <button type="button" className="secondary no-print" onClick={() => setShowQuality((v) => !v)}>
          {showQuality ? t.quality.dashboard.close : t.quality.dashboard.open}
        </button>
        <SessionHeader signedIn={signedIn} />
      </header>
      {showQuality ? (
        <main id="main" className="desk-main quality-main">
          <QualityDashboard clerk={signedIn.clerk} />
        </main>
      ) : null}
      <main id={showQuality ? undefined : 'main'} className="desk-main reception-layout" hidden={showQuality}>
        <ReceptionScreen
          procedureInput={procedureInput}
          ocrName={ocrName}
          onOcrConsumed={clearOcrName}
          onForbidden={signedIn.recheck}
          onChanged={() => void reload(searchInput.current?.value ?? '')}
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
        <SyncPanel />
        <PrefillPanel />
        <DueLists />
      </main>
      <StatusBar status={status} />
    </div>
  );
}
