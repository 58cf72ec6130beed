import type { KeyboardEvent } from 'react';
import type { OcrPageState, ScanPageEdit, ScanPageView } from '../../../electron/api/desk-api';
import { format, t } from '../i18n';

/** The batch's pages as thumbnails with their tools; arranged by keyboard (Alt+←/→, R, L, Delete, Enter). */
export function PageGrid(props: {
  batchId: string | null;
  pages: ScanPageView[];
  ocr: Map<number, OcrPageState>;
  blankPages: number;
  /** False while scanning or without a scanner. */
  canRescan: boolean;
  onEdit: (seq: number, change: ScanPageEdit) => void;
  onView: (page: ScanPageView) => void;
  onRescan: (seq: number) => void;
}) {
  const { pages, onEdit: edit } = props;
  if (pages.length === 0) return <p className="muted">{t.scanPanel.empty}</p>;
  const componentCount = pages.reduce((most, p) => Math.max(most, p.component), 0);

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
    if (change === 'view') props.onView(page);
    else edit(page.seq, change);
  };

  return (
    <>
      <p className="muted" data-testid="batch-summary">
        {[
          format(t.scanPanel.pages, { count: pages.length }),
          componentCount > 1 ? format(t.scanPanel.components, { count: componentCount }) : null,
          props.blankPages > 0 ? format(t.scanPanel.blankDropped, { count: props.blankPages }) : null,
          t.scanPanel.shortcuts,
        ]
          .filter(Boolean)
          .join(' · ')}
      </p>
      <ol className="thumbnails" data-batch-id={props.batchId ?? undefined}>
        {pages.map((page) => (
          <li key={page.seq} data-seq={page.seq}>
            <figure
              // biome-ignore lint/a11y/noNoninteractiveTabindex: pages are focusable so the keyboard can arrange them
              tabIndex={0}
              onKeyDown={(e) => onPageKey(e, page)}
              aria-label={format(t.scanPanel.pageLabel, { position: page.position })}
            >
              <img src={page.thumbnail} alt={format(t.scanPanel.pageLabel, { position: page.position })} />
              <figcaption>
                {format(t.scanPanel.pageLabel, { position: page.position })}
                {componentCount > 1 && ` · ${format(t.scanPanel.componentLabel, { number: page.component })}`}
                <OcrBadge state={props.ocr.get(page.seq)} />
              </figcaption>
            </figure>
            <div className="page-tools">
              <PageButton
                label={t.scanPanel.rotateLeft}
                symbol="⟲"
                onClick={() => edit(page.seq, 'rotate-left')}
              />
              <PageButton
                label={t.scanPanel.rotateRight}
                symbol="⟳"
                onClick={() => edit(page.seq, 'rotate-right')}
              />
              <PageButton
                label={t.scanPanel.moveEarlier}
                symbol="←"
                onClick={() => edit(page.seq, 'move-earlier')}
              />
              <PageButton
                label={t.scanPanel.moveLater}
                symbol="→"
                onClick={() => edit(page.seq, 'move-later')}
              />
              <PageButton label={t.scanPanel.delete} symbol="✕" onClick={() => edit(page.seq, 'delete')} />
              <PageButton label={t.scanPanel.viewText} symbol="Aa" onClick={() => props.onView(page)} />
              <PageButton
                label={t.scanPanel.rescan}
                symbol="↻"
                disabled={!props.canRescan}
                onClick={() => props.onRescan(page.seq)}
              />
            </div>
          </li>
        ))}
      </ol>
    </>
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
