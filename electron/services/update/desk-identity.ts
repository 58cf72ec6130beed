import { randomUUID } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { writeFileAtomic } from '../store/files';
import type { Store } from '../store/store';

const INSTALL_ID_FILE = 'install-id';

/**
 * The id staged rollout hashes: the device id the province gave at enrolment (the same on every account and
 * after a reinstall), else a random id kept in the data dir. Not personal data.
 */
export function rolloutDeskId(dataDir: string, store?: Store): string {
  if (store) {
    try {
      const row = store.db.prepare('SELECT device_id FROM sync_credentials LIMIT 1').get() as
        | { device_id: string }
        | undefined;
      if (row?.device_id) return String(row.device_id);
    } catch {
      // No sync tables yet: fall back to the local id.
    }
  }
  const file = join(dataDir, INSTALL_ID_FILE);
  if (existsSync(file)) {
    const id = readFileSync(file, 'utf8').trim();
    if (id) return id;
  }
  const id = randomUUID();
  writeFileAtomic(file, `${id}\n`);
  return id;
}
