import { type KeyboardEvent, type RefObject, useEffect, useId, useRef, useState } from 'react';
import type { ProcedureView } from '../../../electron/api/desk-api';
import { desk } from '../desk-client';
import { format, t } from '../i18n';

const ui = t.receptionUi;

/** "1 ngày làm việc · Lệ phí: miễn phí": what the clerk tells the citizen about a procedure. */
export function procedureFacts(p: ProcedureView): string {
  const time = format(ui.processingTime, {
    amount: p.processingTime.amount,
    unit: ui.units[p.processingTime.unit],
  });
  const fees =
    p.fees.length === 0 || p.fees.every((f) => f.amountVnd === 0)
      ? ui.free
      : p.fees.map((f) => format(ui.vnd, { amount: f.amountVnd.toLocaleString('vi-VN') })).join(', ');
  return `${time} · ${format(ui.fee, { fees })}`;
}

export function SampleBadge({ procedure }: { procedure: ProcedureView }) {
  return procedure.sample ? (
    <span className="badge sample" title={ui.sampleTitle}>
      {ui.sample}
    </span>
  ) : null;
}

/**
 * Type to search the catalog (diacritics optional), ↑ ↓ to move, Enter to take: an ARIA combobox, so the
 * focus stays in the text box while the highlighted option is announced.
 */
export function ProcedurePicker({
  inputRef,
  onPick,
}: {
  inputRef: RefObject<HTMLInputElement | null>;
  onPick: (procedure: ProcedureView) => void;
}) {
  const [query, setQuery] = useState('');
  const [results, setResults] = useState<ProcedureView[]>([]);
  const [active, setActive] = useState(0);
  const [error, setError] = useState<string | null>(null);
  const ids = { input: useId(), list: useId(), hint: useId() };
  const latest = useRef(0);
  /** The query the shown list answers: Enter before the answer to what was typed last waits for it. */
  const [answered, setAnswered] = useState<string | null>(null);
  const [pickWhenAnswered, setPickWhenAnswered] = useState(false);

  useEffect(() => {
    const ticket = ++latest.current;
    desk.searchProcedures({ query, limit: 8 }).then(
      (found) => {
        // Answers can overtake each other while the clerk types; only the newest counts.
        if (ticket !== latest.current) return;
        setResults(found);
        setActive(0);
        setAnswered(query);
        setError(null);
      },
      (failure: unknown) => {
        if (ticket !== latest.current) return;
        setResults([]);
        setAnswered(query);
        // Nothing typed yet: no list to show is not an error worth the clerk's attention.
        setError(query.trim() ? (failure as Error).message : null);
      },
    );
  }, [query]);

  // A fast typist's Enter arrives before the last answer: take the first match of what was really typed.
  useEffect(() => {
    if (!pickWhenAnswered || answered !== query) return;
    setPickWhenAnswered(false);
    const first = results[0];
    if (first) onPick(first);
  }, [pickWhenAnswered, answered, query, results, onPick]);

  const onKeyDown = (event: KeyboardEvent) => {
    if (event.key === 'ArrowDown' || event.key === 'ArrowUp') {
      event.preventDefault();
      if (results.length === 0) return;
      const step = event.key === 'ArrowDown' ? 1 : -1;
      setActive((i) => (i + step + results.length) % results.length);
    } else if (event.key === 'Enter') {
      event.preventDefault();
      if (answered !== query) {
        setPickWhenAnswered(true);
        return;
      }
      const chosen = results[active];
      if (chosen) onPick(chosen);
    } else if (event.key === 'Escape') {
      setQuery('');
    }
  };

  const optionId = (i: number) => `${ids.list}-${i}`;
  return (
    <div className="procedure-picker">
      <label htmlFor={ids.input}>
        {ui.procedureSearch} <kbd>Alt+N</kbd>
      </label>
      <input
        id={ids.input}
        ref={inputRef}
        role="combobox"
        aria-expanded={results.length > 0}
        aria-controls={ids.list}
        aria-activedescendant={results[active] ? optionId(active) : undefined}
        aria-describedby={ids.hint}
        aria-autocomplete="list"
        value={query}
        placeholder={ui.procedurePlaceholder}
        autoComplete="off"
        spellCheck={false}
        maxLength={200}
        onChange={(e) => setQuery(e.target.value)}
        onKeyDown={onKeyDown}
      />
      <p id={ids.hint} className="hint">
        {ui.procedureHint}
      </p>
      {error && (
        <p role="alert" className="message error">
          {error}
        </p>
      )}
      {results.length === 0 && query.trim() && !error ? (
        <p className="empty">{format(ui.noProcedure, { query: query.trim() })}</p>
      ) : (
        <div id={ids.list} role="listbox" className="procedure-options" aria-label={ui.steps.procedure}>
          {results.map((p, i) => (
            // biome-ignore lint/a11y/useKeyWithClickEvents: the keyboard works through the combobox input
            <div
              key={p.code}
              id={optionId(i)}
              role="option"
              tabIndex={-1}
              aria-selected={i === active}
              className={i === active ? 'active' : undefined}
              onMouseEnter={() => setActive(i)}
              onClick={() => onPick(p)}
            >
              <span className="procedure-name">{p.name}</span>
              <span className="procedure-meta">
                <code>{p.code}</code>
                {p.field && <span>{p.field}</span>}
                <SampleBadge procedure={p} />
              </span>
            </div>
          ))}
        </div>
      )}
    </div>
  );
}
