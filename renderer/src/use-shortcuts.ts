import { useEffect } from 'react';

/**
 * Alt+<key> actions for the whole window, as `[KeyboardEvent.code, action]` pairs: codes work whatever the
 * keyboard layout or Vietnamese input method (Telex, VNI).
 */
export function useAltShortcuts(bindings: readonly [string, () => void][]): void {
  useEffect(() => {
    const actions = new Map(bindings);
    const onKeyDown = (event: KeyboardEvent) => {
      if (!event.altKey || event.ctrlKey || event.metaKey) return;
      const action = actions.get(event.code);
      if (action) {
        event.preventDefault();
        action();
      }
    };
    window.addEventListener('keydown', onKeyDown);
    return () => window.removeEventListener('keydown', onKeyDown);
  }, [bindings]);
}
