import { useEffect, useId, useRef, useState } from 'react';
import type { ExtractedFieldView, PageTextView } from '../../../electron/api/desk-api';
import { desk } from '../desk-client';
import { format, t } from '../i18n';

interface Props {
  batchId: string;
  seq: number;
  position: number;
  onClose: () => void;
  /** Puts a name read on the page into the reception form, for the clerk to confirm. */
  onUseName: (name: string) => void;
}

/** The page image beside its OCR text; words the engine was unsure of are highlighted in both. */
export function PageViewer({ batchId, seq, position, onClose, onUseName }: Props) {
  const [view, setView] = useState<PageTextView | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [fields, setFields] = useState<ExtractedFieldView[]>([]);
  const headingId = useId();
  const closeButton = useRef<HTMLButtonElement>(null);

  useEffect(() => {
    let live = true;
    const load = () =>
      Promise.all([desk.getPageText({ batchId, seq }), desk.extractFromPage({ batchId, seq })]).then(
        ([v, f]) => {
          if (!live) return;
          setView(v);
          setFields(f);
        },
        (e: Error) => live && setError(e.message),
      );
    void load();
    const off = desk.on('ocrProgress', (p) => {
      if (p.batchId === batchId && p.seq === seq && p.status !== 'running') void load();
    });
    closeButton.current?.focus();
    return () => {
      live = false;
      off();
    };
  }, [batchId, seq]);

  const low = view?.words.filter((w) => w.low) ?? [];
  return (
    <section
      className="panel page-viewer"
      aria-labelledby={headingId}
      onKeyDown={(e) => e.key === 'Escape' && onClose()}
    >
      <div className="list-header">
        <h2 id={headingId}>{format(t.pageViewer.heading, { position })}</h2>
        <button type="button" className="secondary" ref={closeButton} onClick={onClose}>
          {t.pageViewer.close} <kbd>Esc</kbd>
        </button>
      </div>
      {error && (
        <p role="alert" className="message error">
          {error}
        </p>
      )}
      {view && (
        <div className="viewer-body">
          <div className="viewer-image">
            <img src={view.image} alt={format(t.scanPanel.pageLabel, { position })} />
            {low.map((w, i) => (
              <span
                // biome-ignore lint/suspicious/noArrayIndexKey: boxes have no identity beyond their order
                key={i}
                className="low-box"
                style={{
                  left: `${(w.x0 / view.width) * 100}%`,
                  top: `${(w.y0 / view.height) * 100}%`,
                  width: `${((w.x1 - w.x0) / view.width) * 100}%`,
                  height: `${((w.y1 - w.y0) / view.height) * 100}%`,
                }}
              />
            ))}
          </div>
          <div className="viewer-text">
            {view.status !== 'done' ? (
              <p className="muted">{t.pageViewer.notReady}</p>
            ) : view.words.length === 0 ? (
              <p className="muted">{t.pageViewer.noText}</p>
            ) : (
              <>
                <p className="muted">
                  {format(t.pageViewer.confidence, { confidence: Math.round(view.confidence ?? 0) })} ·{' '}
                  {format(t.pageViewer.lowWords, { count: low.length })}
                </p>
                <h3>{t.pageViewer.fields}</h3>
                {fields.length === 0 ? (
                  <p className="muted">{t.pageViewer.noFields}</p>
                ) : (
                  <dl className="fields" data-testid="page-fields">
                    {fields.map((f) => (
                      <div key={`${f.kind}:${f.value}`}>
                        <dt>{f.label}</dt>
                        <dd>
                          {f.value} <span className="muted">({Math.round(f.confidence * 100)}%)</span>
                          {f.kind === 'fullName' && (
                            <button
                              type="button"
                              className="secondary inline"
                              onClick={() => onUseName(f.value)}
                            >
                              {t.pageViewer.useAsApplicant}
                            </button>
                          )}
                        </dd>
                      </div>
                    ))}
                  </dl>
                )}
                <h3>{t.pageViewer.text}</h3>
                <p className="ocr-text" data-testid="ocr-text">
                  {view.words.map((w, i) => (
                    // biome-ignore lint/suspicious/noArrayIndexKey: words repeat; their order is their identity
                    <span key={i}>
                      {w.low ? <mark title={`${Math.round(w.confidence)}%`}>{w.text}</mark> : w.text}{' '}
                    </span>
                  ))}
                </p>
              </>
            )}
          </div>
        </div>
      )}
    </section>
  );
}
