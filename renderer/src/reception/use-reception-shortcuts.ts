import { type RefObject, useEffect, useMemo, useRef } from 'react';
import { useAltShortcuts } from '../use-shortcuts';

type Panel = 'supplement' | 'refusal' | 'none';

/** What the shortcuts read of the screen's stage. */
type ShortcutStage<R> =
  | { kind: 'draft'; procedure: unknown }
  | { kind: 'checklist'; panel: Panel }
  | { kind: 'result'; result: R };

/** `R` is the screen's reception result: Alt+P hands it back to `print`. */
export interface ReceptionShortcutActions<R = unknown> {
  stage: ShortcutStage<R>;
  reset: () => void;
  changeProcedure: () => void;
  openPanel: (panel: Panel) => void;
  complete: () => Promise<void>;
  print: (result: R) => Promise<void>;
  download: () => void;
}

/**
 * The reception screen's keyboard: Alt+N new dossier (or another procedure), Alt+Q the card's QR, Alt+B/Alt+R
 * the supplement and refusal notices, Alt+P print, Alt+V download; Ctrl+Enter receives from anywhere on the
 * checklist and Esc closes a notice form.
 */
export function useReceptionShortcuts<R>(
  latest: ReceptionShortcutActions<R>,
  procedureInput: RefObject<HTMLInputElement | null>,
  qrInput: RefObject<HTMLInputElement | null>,
): void {
  // The latest handlers for the window shortcuts, without re-binding them on every render.
  const actions = useRef(latest);
  actions.current = latest;
  const shortcuts = useMemo(
    (): [string, () => void][] => [
      [
        'KeyN',
        () => {
          const a = actions.current;
          if (a.stage.kind !== 'draft') a.reset();
          else if (a.stage.procedure) a.changeProcedure();
          else procedureInput.current?.focus();
        },
      ],
      ['KeyQ', () => qrInput.current?.focus()],
      ['KeyB', () => actions.current.openPanel('supplement')],
      ['KeyR', () => actions.current.openPanel('refusal')],
      [
        'KeyP',
        () => {
          const { stage: s } = actions.current;
          if (s.kind === 'result') void actions.current.print(s.result);
        },
      ],
      ['KeyV', () => actions.current.download()],
    ],
    [procedureInput, qrInput],
  );
  useAltShortcuts(shortcuts);

  useEffect(() => {
    const onKey = (event: KeyboardEvent) => {
      const { stage: s } = actions.current;
      if (s.kind !== 'checklist') return;
      if (event.key === 'Enter' && event.ctrlKey && s.panel === 'none') {
        event.preventDefault();
        void actions.current.complete();
      } else if (event.key === 'Escape' && s.panel !== 'none') {
        actions.current.openPanel('none');
      }
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, []);
}
