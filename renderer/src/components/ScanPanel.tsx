import { type RefObject, useId, useState } from 'react';
import type { ScanPageView } from '../../../electron/api/desk-api';
import { desk } from '../desk-client';
import { format, t } from '../i18n';
import { PageGrid } from './PageGrid';
import { PageViewer } from './PageViewer';
import { ProfileForm, ScannerSettings } from './ScannerSettings';
import { UnfinishedBatches } from './UnfinishedBatches';
import { useScanBatch } from './use-scan-batch';

/** Scanner and profile pickers, live thumbnails as pages arrive, page arrangement, resume after an interruption. */
export function ScanPanel({
  startButton,
  onUseName,
}: {
  startButton: RefObject<HTMLButtonElement | null>;
  onUseName: (name: string) => void;
}) {
  const heading = useId();
  const scan = useScanBatch();
  const { scanner, scanning, batchId, progress, message, pages } = scan;
  const [profileDraft, setProfileDraft] = useState<string | null>(null);
  const [viewing, setViewing] = useState<ScanPageView | null>(null);

  const percent =
    progress?.totalBytes && progress.totalBytes > 0
      ? Math.min(100, Math.round((progress.bytesRead / progress.totalBytes) * 100))
      : undefined;

  return (
    <section className="panel scan-panel" aria-labelledby={heading}>
      <h2 id={heading}>
        {t.scanPanel.heading} <kbd>Alt+S</kbd>
      </h2>
      <UnfinishedBatches
        batches={scan.unfinished}
        scanning={scanning}
        onOpen={(id) => void scan.showBatch(id)}
        onResume={(id) => void scan.run(() => desk.resumeScan({ batchId: id }))}
      />
      <ScannerSettings
        scanners={scan.scanners}
        scanner={scanner}
        scannerId={scan.scannerId}
        profileName={scan.profileName}
        settings={scan.settings}
        onPickScanner={scan.pickScanner}
        onPickProfile={scan.pickProfile}
        onSet={scan.setSetting}
      />
      <div className="scan-actions">
        <button type="button" ref={startButton} onClick={scan.startScan} disabled={!scanner || scanning}>
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
        <button
          type="button"
          className="secondary"
          disabled={scanning}
          onClick={() => void scan.loadScanners()}
        >
          {t.scanPanel.refresh}
        </button>
        <label className="button secondary file-button">
          {t.scanPanel.importFiles}
          <input
            type="file"
            multiple
            accept="image/png,image/jpeg,image/tiff"
            onChange={(e) => {
              void scan.importFiles(e.target.files);
              e.target.value = '';
            }}
          />
        </label>
        <button
          type="button"
          className="secondary"
          disabled={!scanner}
          onClick={() => setProfileDraft(scan.profileName || '')}
        >
          {t.scanPanel.saveProfile}
        </button>
      </div>
      {profileDraft !== null && (
        <ProfileForm
          draft={profileDraft}
          onDraft={setProfileDraft}
          onSave={(name) =>
            void scan.saveProfile(name).then((saved) => {
              if (saved) setProfileDraft(null);
            })
          }
        />
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
      <PageGrid
        batchId={batchId}
        pages={pages}
        ocr={scan.ocr}
        blankPages={scan.blankPages}
        canRescan={!scanning && scanner !== null}
        onEdit={(seq, change) => void scan.edit(seq, change)}
        onView={setViewing}
        onRescan={(seq) =>
          scanner && batchId && void scan.run(() => desk.rescanPage({ batchId, seq, deviceId: scanner.id }))
        }
      />
    </section>
  );
}
