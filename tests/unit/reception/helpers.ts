import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach } from 'vitest';
import { openStore, type Store } from '../../../electron/services/store/store';

/** A fresh store in a scratch folder, closed and removed after the test. */
export function scratchStores(): () => Store {
  const opened: { store: Store; dir: string }[] = [];
  afterEach(() => {
    for (const { store, dir } of opened.splice(0)) {
      store.close();
      rmSync(dir, { recursive: true, force: true });
    }
  });
  return () => {
    const dir = mkdtempSync(join(tmpdir(), 'motcua-reception-'));
    const store = openStore(dir);
    opened.push({ store, dir });
    return store;
  };
}

/** A clock the test moves by hand. */
export function manualClock(start: string) {
  let now = new Date(start).getTime();
  const clock = () => new Date(now);
  return Object.assign(clock, {
    set: (iso: string) => {
      now = new Date(iso).getTime();
    },
    advance: (ms: number) => {
      now += ms;
    },
  });
}
