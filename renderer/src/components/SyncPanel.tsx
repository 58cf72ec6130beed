import { useCallback, useEffect, useId, useState } from 'react';
import type { SyncStateView } from '../../../electron/api/desk-api';
import { desk } from '../desk-client';
import { timeFormat } from '../format';
import { format, t } from '../i18n';

const s = t.sync.panel;

function formatBytes(bytes: number): string {
  if (bytes < 1024) return `${bytes} B`;
  if (bytes < 1024 * 1024) return `${(bytes / 1024).toFixed(1)} KB`;
  return `${(bytes / 1024 / 1024).toFixed(1)} MB`;
}

const when = (iso: string | null) => (iso ? timeFormat.format(new Date(iso)) : t.sync.never);

/**
 * Sync with the provincial system at a glance: queue length, bytes still to send, dossiers that need a person,
 * last success, last error (Vietnamese) and the "Đồng bộ ngay" button (Alt+D). Live from `syncState` events.
 */
export function SyncPanel() {
  const [state, setState] = useState<SyncStateView | null>(null);
  const [error, setError] = useState<string | null>(null);
  const headingId = useId();

  useEffect(() => {
    desk.getSyncState().then(setState, (e: Error) => setError(e.message));
    return desk.on('syncState', setState);
  }, []);

  const syncNow = useCallback(async () => {
    try {
      setState(await desk.syncNow());
      setError(null);
    } catch (e) {
      setError((e as Error).message);
    }
  }, []);

  useEffect(() => {
    const onKey = (event: KeyboardEvent) => {
      if (event.altKey && event.code === 'KeyD') {
        event.preventDefault();
        void syncNow();
      }
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, [syncNow]);

  const canSync = !!state && state.enrolled && !state.revoked && !state.running;
  return (
    <section className="panel sync-panel" aria-labelledby={headingId} data-testid="sync-panel">
      <h2 id={headingId}>{s.title}</h2>
      {state && !state.enrolled && <p className="message">{s.notEnrolled}</p>}
      {state?.revoked && (
        <p role="alert" className="message error">
          {s.revoked}
        </p>
      )}
      {state && (
        <dl className="sync-facts" aria-live="polite">
          <dt>{s.pending}</dt>
          <dd data-testid="sync-pending">{state.pending}</dd>
          <dt>{s.bytesPending}</dt>
          <dd data-testid="sync-bytes">{formatBytes(state.bytesPending)}</dd>
          <dt>{s.parked}</dt>
          <dd data-testid="sync-parked">{state.parked}</dd>
          <dt>{s.lastSuccess}</dt>
          <dd data-testid="sync-last-success">{when(state.lastSuccessAt)}</dd>
          {state.nextAttemptAt && !state.running && (
            <>
              <dt>{s.nextAttempt}</dt>
              <dd data-testid="sync-next-attempt">
                {state.lastError ? <RetryCountdown at={state.nextAttemptAt} /> : when(state.nextAttemptAt)}
              </dd>
            </>
          )}
        </dl>
      )}
      {state?.running && (
        <p className="message" role="status">
          {s.running}
          <progress aria-label={s.running} />
        </p>
      )}
      {state?.lastError && (
        <p className="message error" data-testid="sync-last-error">
          <strong>{s.lastError}:</strong> {state.lastError.clerkMessage}
        </p>
      )}
      {error && (
        <p role="alert" className="message error">
          {error}
        </p>
      )}
      <button type="button" onClick={() => void syncNow()} disabled={!canSync} aria-keyshortcuts="Alt+D">
        {s.syncNow} <kbd>Alt+D</kbd>
      </button>
    </section>
  );
}

/** The backoff after a failed attempt, counted down each second, so the clerk sees the desk is not stuck. */
function RetryCountdown({ at }: { at: string }) {
  const [now, setNow] = useState(() => Date.now());
  useEffect(() => {
    const timer = setInterval(() => setNow(Date.now()), 1000);
    return () => clearInterval(timer);
  }, []);
  const seconds = Math.ceil((Date.parse(at) - now) / 1000);
  if (seconds <= 0) return <>{t.syncBackoff.retryNow}</>;
  return <>{format(t.syncBackoff.retryIn, { seconds, time: when(at) })}</>;
}
