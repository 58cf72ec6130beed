import type { Store } from '../../store/store';

/** Same prefix as escl/desk-storage.ts: one settings row per `host:port`. */
const PIN_PREFIX = 'escl.certificate-pin:';

/** Every stored certificate pin, by `host:port`: the snapshot a scanner host gets with each list and open. */
export function storedPins(store: Store): Record<string, string> {
  const rows = store.db
    .prepare("SELECT key, value FROM settings WHERE key LIKE 'escl.certificate-pin:%'")
    .all() as { key: string; value: string }[];
  return Object.fromEntries(rows.map((r) => [r.key.slice(PIN_PREFIX.length), r.value]));
}
