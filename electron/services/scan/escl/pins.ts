import type { Store } from '../../store/store';
import type { CertificatePins } from './http';

const KEY_PREFIX = 'escl.certificate-pin:';

/**
 * Certificate pins of network scanners, in the desk's settings table (one row per `host:port`): the SHA-256
 * of the certificate seen on first use. Removing the row (IT officer) lets a replaced scanner be trusted again.
 */
export function storePins(store: Store): CertificatePins {
  return {
    get(origin) {
      const row = store.db.prepare('SELECT value FROM settings WHERE key = ?').get(KEY_PREFIX + origin) as
        | { value: string }
        | undefined;
      return row?.value ?? null;
    },
    set(origin, sha256) {
      store.db
        .prepare(
          'INSERT INTO settings (key, value) VALUES (?, ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value',
        )
        .run(KEY_PREFIX + origin, sha256);
    },
  };
}
