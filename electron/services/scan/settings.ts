import { z } from 'zod';
import type { ScanSettings } from './types';

/** Validates settings from a profile row, a desk call or the CLI. */
export const scanSettingsSchema = z.object({
  source: z.enum(['flatbed', 'adf', 'duplex']),
  resolution: z.number().positive().max(4800),
  mode: z.enum(['color', 'gray', 'bw']),
  pageSize: z.enum(['A4', 'A5', 'Letter']),
  deviceOptions: z.record(z.string(), z.union([z.string(), z.number(), z.boolean()])).optional(),
});

export const partialScanSettingsSchema = scanSettingsSchema.partial();

export function parseScanSettings(json: string): ScanSettings {
  return scanSettingsSchema.parse(JSON.parse(json)) as ScanSettings;
}
