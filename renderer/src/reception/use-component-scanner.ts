import { useCallback, useEffect, useRef, useState } from 'react';
import type { DeskEvents, ScannerView } from '../../../electron/api/desk-api';
import { desk } from '../desk-client';

export type ScanEnded = DeskEvents['scanEnded'];

/**
 * One scan of one dossier component with the desk's first scanner and its default profile (the scan panel is
 * where profiles are chosen). The end event can arrive before `startScan` answers, so every end is kept until
 * its batch is claimed.
 */
export function useComponentScanner(wanted: boolean) {
  const [scanner, setScanner] = useState<ScannerView | null | undefined>(undefined);
  const [activeBatch, setActiveBatch] = useState<string | null>(null);
  const ended = useRef(new Map<string, ScanEnded>());
  const waiting = useRef(new Map<string, (end: ScanEnded) => void>());

  /**
   * Asked only when a checklist needs it, not when the screen opens: the scan panel lists scanners on mount,
   * and two enumerations at once find the device busy. A busy or empty answer is asked again a few times.
   * A scan asked for meanwhile waits for this answer instead of being lost.
   */
  const loading = useRef<Promise<ScannerView | null> | null>(null);
  const load = useCallback(() => {
    loading.current ??= (async () => {
      for (let attempt = 0; attempt < 4; attempt++) {
        if (attempt > 0) await new Promise((resolve) => setTimeout(resolve, 1500));
        try {
          const first = (await desk.listScanners())[0];
          if (first) return first;
        } catch {
          // busy or not ready: try again
        }
      }
      return null;
    })().then((found) => {
      setScanner(found);
      return found;
    });
    return loading.current;
  }, []);

  useEffect(() => {
    if (wanted) void load();
  }, [wanted, load]);

  useEffect(() => {
    return desk.on('scanEnded', (end) => {
      const resolve = waiting.current.get(end.batchId);
      if (resolve) {
        waiting.current.delete(end.batchId);
        resolve(end);
      } else ended.current.set(end.batchId, end);
    });
  }, []);

  // Esc stops this scan from anywhere on the screen, as in the scan panel.
  useEffect(() => {
    if (!activeBatch) return;
    const onKey = (event: KeyboardEvent) => {
      if (event.key === 'Escape') void desk.cancelScan({ batchId: activeBatch });
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, [activeBatch]);

  const scan = useCallback(async (): Promise<ScanEnded | null> => {
    const device = await load();
    if (!device) return null;
    const { batchId } = await desk.startScan({ deviceId: device.id, settings: device.defaults });
    setActiveBatch(batchId);
    try {
      return await new Promise<ScanEnded>((resolve) => {
        const early = ended.current.get(batchId);
        if (early) {
          ended.current.delete(batchId);
          resolve(early);
        } else waiting.current.set(batchId, resolve);
      });
    } finally {
      setActiveBatch(null);
    }
  }, [load]);

  const profile = scanner?.profiles.find((p) => p.isDefault)?.name ?? null;
  return { scanner, profile, scanning: activeBatch !== null, scan };
}
