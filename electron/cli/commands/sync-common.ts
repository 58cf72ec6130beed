import type { SyncStateView } from '../../api/desk-api';
import { format, vi } from '../../api/i18n';

export function formatBytes(bytes: number): string {
  if (bytes < 1024) return `${bytes} B`;
  if (bytes < 1024 * 1024) return `${(bytes / 1024).toFixed(1)} KB`;
  return `${(bytes / 1024 / 1024).toFixed(1)} MB`;
}

export function queueLine(state: SyncStateView): string {
  return format(vi.sync.queueSummary, {
    pending: state.pending,
    bytes: formatBytes(state.bytesPending),
    parked: state.parked,
    last: state.lastSuccessAt ?? vi.sync.never,
  });
}
