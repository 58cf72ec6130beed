import type { DeskStatus } from '../../../electron/api/desk-api';
import { format, t } from '../i18n';

const SCANNER_TEXT = {
  checking: () => t.status.scannerChecking,
  ready: (count: number) => format(t.status.scannerReady, { count }),
  'not-found': () => t.status.scannerNotFound,
  unavailable: () => t.status.scannerUnavailable,
} as const;

const NETWORK_TEXT = {
  'not-configured': t.status.networkNotConfigured,
  checking: t.status.networkChecking,
  online: t.status.networkOnline,
  offline: t.status.networkOffline,
} as const;

/** Scanner, network and sync queue at a glance; `aria-live` so a screen reader hears a change. */
export function StatusBar({ status }: { status: DeskStatus | null }) {
  const scanner = status
    ? SCANNER_TEXT[status.scanner.state](status.scanner.deviceCount)
    : t.status.scannerChecking;
  const network = status ? NETWORK_TEXT[status.network.state] : t.status.networkChecking;
  const queue = !status
    ? '…'
    : status.queue.pending === 0
      ? t.status.queueEmpty
      : format(t.status.queuePending, { count: status.queue.pending });
  return (
    <footer className="status-bar" aria-live="polite">
      <h2 className="visually-hidden">{t.status.region}</h2>
      <span data-state={status?.scanner.state ?? 'checking'} data-testid="status-scanner">
        <strong>{t.status.scanner}:</strong> {scanner}
      </span>
      <span data-state={status?.network.state ?? 'checking'} data-testid="status-network">
        <strong>{t.status.network}:</strong> {network}
      </span>
      <span data-testid="status-queue">
        <strong>{t.status.queue}:</strong> {queue}
        {status &&
          status.queue.failed > 0 &&
          ` · ${format(t.status.queueFailed, { count: status.queue.failed })}`}
      </span>
      {status?.disk.belowReserve && (
        <span data-state="disk-low" data-testid="status-disk" role="alert">
          <strong>{t.status.disk}:</strong> {t.status.diskLow}
        </span>
      )}
      {status && <span className="version">MotCua Desk {status.appVersion}</span>}
    </footer>
  );
}
