import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { z } from 'zod';
import { DEFAULT_BLANK_THRESHOLD } from '../imaging/ink';
import { writeFileAtomic } from '../store/files';

/** Desk settings an IT officer may edit in `<data dir>/config.json`. Every field has a working default. */
export const deskConfigSchema = z
  .object({
    /** Mã định danh of the receiving agency, e.g. 000.17.22.H56. */
    agencyCode: z.string().min(1).default('000.00.00.H56'),
    agencyName: z.string().min(1).default('UBND xã (chưa cấu hình)'),
    /** Base URL of the provincial system; null while the desk works alone. */
    provincialServerUrl: z.url().nullable().default(null),
    ocr: z
      .object({
        /** OCR worker count; 0 means one per CPU core. */
        workers: z.number().int().min(0).max(16).default(0),
        // Vietnamese alone: its model reads Latin letters too, and adding eng raised CER on every corpus variant.
        languages: z
          .array(z.enum(['vie', 'eng']))
          .min(1)
          .default(['vie']),
      })
      .default({ workers: 0, languages: ['vie'] }),
    scan: z
      .object({
        /** Drop blank sheets (back sides) from feeder batches; flatbed pages are always kept. */
        removeBlankPages: z.boolean().default(true),
        /** Ink ratio under which a sheet is blank (see imaging/ink.ts). */
        blankThreshold: z.number().min(0).max(0.05).default(DEFAULT_BLANK_THRESHOLD),
        /** PATCH-T and the desk's own separator sheet split a batch into dossier components. */
        detectSeparators: z.boolean().default(true),
      })
      .default({ removeBlankPages: true, blankThreshold: DEFAULT_BLANK_THRESHOLD, detectSeparators: true }),
    ui: z.object({ language: z.enum(['vi']).default('vi') }).default({ language: 'vi' }),
  })
  .strict();

export type DeskConfig = z.infer<typeof deskConfigSchema>;

export const CONFIG_FILE_NAME = 'config.json';

export class ConfigError extends Error {
  constructor(
    message: string,
    readonly file: string,
  ) {
    super(message);
    this.name = 'ConfigError';
  }
}

/** Reads `<dataDir>/config.json` (missing file = all defaults). `MOTCUA_PROVINCIAL_URL` overrides the server. */
export function loadConfig(dataDir: string, env: NodeJS.ProcessEnv = process.env): DeskConfig {
  const file = join(dataDir, CONFIG_FILE_NAME);
  let raw: unknown = {};
  if (existsSync(file)) {
    try {
      raw = JSON.parse(readFileSync(file, 'utf8'));
    } catch (error) {
      throw new ConfigError(`config.json is not valid JSON: ${(error as Error).message}`, file);
    }
  }
  const parsed = deskConfigSchema.safeParse(raw);
  if (!parsed.success) {
    const where = parsed.error.issues.map((i) => `${i.path.join('.') || '(root)'}: ${i.message}`).join('; ');
    throw new ConfigError(`config.json is invalid: ${where}`, file);
  }
  const config = parsed.data;
  const urlOverride = env.MOTCUA_PROVINCIAL_URL?.trim();
  if (urlOverride) config.provincialServerUrl = z.url().parse(urlOverride);
  return config;
}

export function saveConfig(dataDir: string, config: DeskConfig): void {
  writeFileAtomic(
    join(dataDir, CONFIG_FILE_NAME),
    `${JSON.stringify(deskConfigSchema.parse(config), null, 2)}\n`,
  );
}
