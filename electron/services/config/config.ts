import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { z } from 'zod';
import { format, vi } from '../../api/i18n';
import { DEFAULT_BLANK_THRESHOLD } from '../imaging/ink';
import { writeFileAtomic } from '../store/files';
import { ConfigError, configIssueError, jsonErrorWhere } from './config-error';

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
    /** The desk's data dir on disk. */
    storage: z
      .object({
        /**
         * Free space kept in reserve: below it the desk takes no new scans (the largest thing it writes), so SQLite
         * and the receipts of dossiers in hand never meet a full disk.
         */
        reserveMb: z.number().min(1).max(100_000).default(300),
      })
      .default({ reserveMb: 300 }),
    /** Privacy and access. */
    security: z
      .object({
        /** Days after the province confirmed a dossier before its scans and personal data are purged. */
        retentionDays: z.number().int().min(1).max(3650).default(30),
        /** SHA-256 of the provincial server's SubjectPublicKeyInfo (base64); empty = CA validation only. */
        pinnedSpkiSha256: z
          .array(z.string().regex(/^[A-Za-z0-9+/]{43}=$/))
          .max(8)
          .default([]),
        /** Minutes without a desk call before the clerk's session locks (PIN asked again). */
        idleLockMinutes: z.number().min(0.05).max(240).default(5),
        /** Wrong PINs in a row before a clerk is locked out, and for how long. */
        pinMaxAttempts: z.number().int().min(3).max(20).default(5),
        pinLockoutMinutes: z.number().min(0.05).max(1440).default(5),
      })
      .default({
        retentionDays: 30,
        pinnedSpkiSha256: [],
        idleLockMinutes: 5,
        pinMaxAttempts: 5,
        pinLockoutMinutes: 5,
      }),
    /**
     * The desk's slot in the agency's daily code sequence (0–9), normally given at enrolment with the provincial
     * system; set it here only for a desk that works without one (and never give two desks the same slot).
     */
    deskSlot: z.number().int().min(0).max(9).nullable().default(null),
    /** Sync with the provincial system (the server is `provincialServerUrl`, fixed at enrolment). */
    sync: z
      .object({
        /** tus PATCH size: small enough that a dropped link resends little, large enough to be efficient. */
        chunkBytes: z
          .number()
          .int()
          .min(16 * 1024)
          .max(64 * 1024 * 1024)
          .default(1024 * 1024),
        /** Upload bandwidth cap in bytes per second (shared commune links); null = no cap. */
        maxBytesPerSecond: z.number().int().min(1024).nullable().default(null),
        /** Backoff with full jitter between failed runs: first step and cap. */
        retryBaseMs: z.number().int().min(10).max(600_000).default(1000),
        retryMaxMs: z.number().int().min(10).max(3_600_000).default(300_000),
        /** `motcua sync` gives up after this many runs in a row without progress. */
        giveUpAfter: z.number().int().min(1).max(1000).default(8),
        /** Fail fast: longest wait for the connection (TCP and TLS), then for the server's first byte. */
        connectTimeoutMs: z.number().int().min(100).max(120_000).default(5_000),
        firstByteTimeoutMs: z.number().int().min(100).max(600_000).default(10_000),
      })
      .default({
        chunkBytes: 1024 * 1024,
        maxBytesPerSecond: null,
        retryBaseMs: 1000,
        retryMaxMs: 300_000,
        giveUpAfter: 8,
        connectTimeoutMs: 5_000,
        firstByteTimeoutMs: 10_000,
      }),
  })
  .strict();

export type DeskConfig = z.infer<typeof deskConfigSchema>;

export const CONFIG_FILE_NAME = 'config.json';

export { ConfigError };

/** Reads `<dataDir>/config.json` (missing file = all defaults). `MOTCUA_PROVINCIAL_URL` overrides the server. */
export function loadConfig(dataDir: string, env: NodeJS.ProcessEnv = process.env): DeskConfig {
  const file = join(dataDir, CONFIG_FILE_NAME);
  let raw: unknown = {};
  if (existsSync(file)) {
    let text: string;
    try {
      // Windows Notepad starts UTF-8 files with a byte-order mark, which JSON.parse refuses: drop it.
      text = readFileSync(file, 'utf8').replace(/^\uFEFF/, '');
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code ?? 'error';
      throw new ConfigError(
        `config.json cannot be read: ${code}`,
        file,
        format(vi.config.unreadable, { file, reason: code }),
      );
    }
    try {
      raw = JSON.parse(text);
    } catch (error) {
      throw new ConfigError(
        `config.json is not valid JSON: ${(error as Error).message}`,
        file,
        format(vi.config.notJson, { file, where: jsonErrorWhere(text, error as Error) }),
      );
    }
  }
  const parsed = deskConfigSchema.safeParse(raw);
  if (!parsed.success) throw configIssueError(file, parsed.error.issues, raw);
  const config = parsed.data;
  const urlOverride = provincialUrlOverride(env);
  if (urlOverride) config.provincialServerUrl = urlOverride;
  return config;
}

const HTTP_URL = z.url({ protocol: /^https?$/ });

/**
 * `MOTCUA_PROVINCIAL_URL`, checked: the server address that wins over config.json and over the one enrolled
 * with (sync, doctor, the status bar). Null when unset; a bad value is a ConfigError naming the variable.
 */
export function provincialUrlOverride(env: NodeJS.ProcessEnv = process.env): string | null {
  const value = env.MOTCUA_PROVINCIAL_URL?.trim();
  if (!value) return null;
  const parsed = HTTP_URL.safeParse(value);
  if (parsed.success) return parsed.data;
  const shown = value.length > 120 ? `${value.slice(0, 120)}…` : value;
  throw new ConfigError(
    'MOTCUA_PROVINCIAL_URL is not an http(s) URL',
    'MOTCUA_PROVINCIAL_URL',
    format(vi.syncBackoff.urlOverrideInvalid, { value: shown }),
  );
}

export function saveConfig(dataDir: string, config: DeskConfig): void {
  writeFileAtomic(
    join(dataDir, CONFIG_FILE_NAME),
    `${JSON.stringify(deskConfigSchema.parse(config), null, 2)}\n`,
  );
}
