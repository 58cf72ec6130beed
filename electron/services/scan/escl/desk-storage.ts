import type { Store } from '../../store/store';
import { esclDeviceId } from './escl-driver';
import type { CertificatePins } from './http';

const PIN_PREFIX = 'escl.certificate-pin:';
const ADDRESSES_KEY = 'escl.addresses';

function readSetting(store: Store, key: string): string | null {
  const row = store.db.prepare('SELECT value FROM settings WHERE key = ?').get(key) as
    | { value: string }
    | undefined;
  return row?.value ?? null;
}

function writeSetting(store: Store, key: string, value: string): void {
  store.db
    .prepare(
      'INSERT INTO settings (key, value) VALUES (?, ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value',
    )
    .run(key, value);
}

/**
 * Certificate pins of network scanners, in the desk's settings table (one row per `host:port`): the SHA-256
 * of the certificate seen on first use. Removing the row (IT officer) lets a replaced scanner be trusted again.
 */
export function storePins(store: Store): CertificatePins {
  return {
    get: (origin) => readSetting(store, PIN_PREFIX + origin),
    set: (origin, sha256) => writeSetting(store, PIN_PREFIX + origin, sha256),
  };
}

/** Network scanners added by address on this desk (their `escl:` device ids), in the order added. */
export function storedEsclAddresses(store: Store): string[] {
  try {
    const list: unknown = JSON.parse(readSetting(store, ADDRESSES_KEY) ?? '[]');
    return Array.isArray(list) ? list.filter((a): a is string => typeof a === 'string') : [];
  } catch {
    return [];
  }
}

/** Remembers a scanner added by IP address or URL; returns its device id. Throws `escl-bad-address`. */
export function addStoredEsclAddress(store: Store, address: string): string {
  const id = esclDeviceId(address);
  const list = storedEsclAddresses(store);
  if (!list.includes(id)) writeSetting(store, ADDRESSES_KEY, JSON.stringify([...list, id]));
  return id;
}
