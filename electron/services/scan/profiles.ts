import type { Database } from 'better-sqlite3';
import type { Store } from '../store/store';
import { parseScanSettings, scanSettingsSchema } from './settings';
import type { ScannerDevice, ScanSettings } from './types';

export interface ScanProfile {
  id: number;
  vendor: string;
  model: string;
  name: string;
  settings: ScanSettings;
  isDefault: boolean;
  /** The device id the profile was last used with; informative only, never used to match. */
  lastDeviceId: string | null;
  createdAt: string;
  updatedAt: string;
}

interface ProfileRow {
  id: number;
  vendor: string;
  model: string;
  name: string;
  settings_json: string;
  is_default: number;
  last_device_id: string | null;
  created_at: string;
  updated_at: string;
}

/** Vendor and model as a match key: drivers differ in case and spacing ("HP", "Hewlett-Packard " …). */
export const modelKey = (text: string): string =>
  text.normalize('NFC').replace(/\s+/g, ' ').trim().toLowerCase();

const toProfile = (row: ProfileRow): ScanProfile => ({
  id: row.id,
  vendor: row.vendor,
  model: row.model,
  name: row.name,
  settings: parseScanSettings(row.settings_json),
  isDefault: row.is_default === 1,
  lastDeviceId: row.last_device_id,
  createdAt: row.created_at,
  updatedAt: row.updated_at,
});

type DeviceIdentity = Pick<ScannerDevice, 'vendor' | 'model'> & { id?: string };

/** Scan profiles per scanner model, so a replugged scanner (new device id) keeps its settings. */
export class ScanProfiles {
  private readonly db: Database;

  constructor(
    store: Store,
    private readonly clock: () => Date = () => new Date(),
  ) {
    this.db = store.db;
  }

  /** Creates or replaces the profile `name` of this model; `isDefault` makes it the only default. */
  save(device: DeviceIdentity, name: string, settings: ScanSettings, options: { isDefault?: boolean } = {}) {
    const valid = scanSettingsSchema.parse(settings);
    const now = this.clock().toISOString();
    const vendorKey = modelKey(device.vendor);
    const key = modelKey(device.model);
    const cleanName = name.normalize('NFC').trim();
    if (!cleanName) throw new RangeError('profile name is empty');
    this.db.transaction(() => {
      if (options.isDefault)
        this.db
          .prepare('UPDATE scan_profiles SET is_default = 0 WHERE vendor_key = ? AND model_key = ?')
          .run(vendorKey, key);
      this.db
        .prepare(
          `INSERT INTO scan_profiles (vendor_key, model_key, vendor, model, name, settings_json, is_default,
             last_device_id, created_at, updated_at)
           VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
           ON CONFLICT (vendor_key, model_key, name) DO UPDATE SET
             settings_json = excluded.settings_json,
             is_default = CASE WHEN excluded.is_default = 1 THEN 1 ELSE scan_profiles.is_default END,
             last_device_id = COALESCE(excluded.last_device_id, scan_profiles.last_device_id),
             updated_at = excluded.updated_at`,
        )
        .run(
          vendorKey,
          key,
          device.vendor.trim(),
          device.model.trim(),
          cleanName,
          JSON.stringify(valid),
          options.isDefault ? 1 : 0,
          device.id ?? null,
          now,
          now,
        );
    })();
    return this.find(device, cleanName) as ScanProfile;
  }

  /** Every profile of the device's model, the default first. */
  forDevice(device: DeviceIdentity): ScanProfile[] {
    const rows = this.db
      .prepare(
        'SELECT * FROM scan_profiles WHERE vendor_key = ? AND model_key = ? ORDER BY is_default DESC, name',
      )
      .all(modelKey(device.vendor), modelKey(device.model)) as ProfileRow[];
    return rows.map(toProfile);
  }

  find(device: DeviceIdentity, name: string): ScanProfile | null {
    return this.forDevice(device).find((p) => p.name === name.normalize('NFC').trim()) ?? null;
  }

  defaultFor(device: DeviceIdentity): ScanProfile | null {
    return this.forDevice(device).find((p) => p.isDefault) ?? null;
  }

  /** Remembers which device id used the profile last (for display; matching stays by model). */
  touch(profileId: number, deviceId: string): void {
    this.db
      .prepare('UPDATE scan_profiles SET last_device_id = ?, updated_at = ? WHERE id = ?')
      .run(deviceId, this.clock().toISOString(), profileId);
  }

  remove(profileId: number): boolean {
    return this.db.prepare('DELETE FROM scan_profiles WHERE id = ?').run(profileId).changes > 0;
  }
}
