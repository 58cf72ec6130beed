import { type RefObject, useEffect } from 'react';

/**
 * Alt+<key> moves focus to a field, for the whole window. Keys are `KeyboardEvent.code` values, so they work
 * whatever the keyboard layout or Vietnamese input method (Telex, VNI).
 */
export function useAltFocusShortcuts(targets: Record<string, RefObject<HTMLElement | null>>): void {
  useEffect(() => {
    const onKeyDown = (event: KeyboardEvent) => {
      if (!event.altKey || event.ctrlKey || event.metaKey) return;
      const target = targets[event.code]?.current;
      if (target) {
        event.preventDefault();
        target.focus();
      }
    };
    window.addEventListener('keydown', onKeyDown);
    return () => window.removeEventListener('keydown', onKeyDown);
  }, [targets]);
}
