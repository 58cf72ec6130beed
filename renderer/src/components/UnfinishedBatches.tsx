import type { ScanBatchView } from '../../../electron/api/desk-api';
import { timeFormat } from '../format';
import { format, t } from '../i18n';

/** Batches an interruption left unfinished: open one to see it, or resume scanning into it. */
export function UnfinishedBatches(props: {
  batches: ScanBatchView[];
  scanning: boolean;
  onOpen: (batchId: string) => void;
  onResume: (batchId: string) => void;
}) {
  if (props.batches.length === 0) return null;
  return (
    <div className="notice" role="status">
      <p>{format(t.scanPanel.unfinished, { count: props.batches.length })}</p>
      <ul>
        {props.batches.map((b) => (
          <li key={b.id}>
            {format(t.scanPanel.unfinishedBatch, {
              scanner: b.scannerLabel,
              count: b.pageCount,
              time: timeFormat.format(new Date(b.createdAt)),
            })}{' '}
            <button type="button" className="secondary" onClick={() => props.onOpen(b.id)}>
              {t.scanPanel.open}
            </button>{' '}
            <button type="button" disabled={props.scanning} onClick={() => props.onResume(b.id)}>
              {t.scanPanel.resume}
            </button>
          </li>
        ))}
      </ul>
    </div>
  );
}
