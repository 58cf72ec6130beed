import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { z } from 'zod';
import { format, vi } from '../../api/i18n';
import { writeFileAtomic } from '../disk/durable-write';
import { ConfigError, configIssueError, jsonErrorWhere } from './config-error';
import { type PolicyEntries, policyFilePath, readPolicyFile } from './policy-file';

export { ConfigError };

/**
 * Ink ratio under which a sheet counts as blank: the same number as imaging's `DEFAULT_BLANK_THRESHOLD`
 * (a unit test keeps them equal). Written out here because config sits below imaging on the floors.
 */
const BLANK_THRESHOLD_DEFAULT = 0.0002;

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
        blankThreshold: z.number().min(0).max(0.05).default(BLANK_THRESHOLD_DEFAULT),
        /** PATCH-T and the desk's own separator sheet split a batch into dossier components. */
        detectSeparators: z.boolean().default(true),
      })
      .default({ removeBlankPages: true, blankThreshold: BLANK_THRESHOLD_DEFAULT, detectSeparators: true }),
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
    /** Privacy and access (issue #7). */
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
    /** The way out to the provincial network: a fixed proxy and the intranet's own CA certificates (PEM files). */
    network: z
      .object({
        proxyUrl: z
          .url({ protocol: /^https?$/ })
          .nullable()
          .default(null),
        extraCaFiles: z.array(z.string().min(1).max(1024)).max(16).default([]),
      })
      .default({ proxyUrl: null, extraCaFiles: [] }),
    /** Verified updates (electron/services/update): where releases come from and when they may be installed. */
    update: z
      .object({
        channel: z.enum(['stable', 'beta']).default('stable'),
        /** Feed folders (latest.yml), tried in order: normally the provincial mirror, then a fallback. */
        feedUrls: z
          .array(z.url({ protocol: /^https?$/ }))
          .max(4)
          .default([]),
        /** Install an older release than the running one (IT rolls a bad release back). */
        allowRollback: z.boolean().default(false),
        /** Local time HH:MM at which a downloaded update may be installed; null = only when the app closes. */
        installAt: z
          .string()
          .regex(/^([01]\d|2[0-3]):[0-5]\d$/)
          .nullable()
          .default(null),
      })
      .default({ channel: 'stable', feedUrls: [], allowRollback: false, installAt: null }),
  })
  .strict();

export type DeskConfig = z.infer<typeof deskConfigSchema>;

/** One setting's schema, taken from the config schema itself: one definition for config.json, policy and API. */
type AnySchema = z.ZodType;
function unwrapDefault(schema: AnySchema): AnySchema {
  return schema instanceof z.ZodDefault ? (schema.unwrap() as AnySchema) : schema;
}

/** Every setting key: the dotted path of each leaf of the config (`agencyCode`, `ocr.workers`…). */
export const SETTING_KEYS: readonly string[] = (() => {
  const keys: string[] = [];
  const walk = (shape: Record<string, AnySchema>, prefix: string) => {
    for (const [name, field] of Object.entries(shape)) {
      const inner = unwrapDefault(field);
      if (inner instanceof z.ZodObject) walk(inner.shape as Record<string, AnySchema>, `${prefix}${name}.`);
      else keys.push(`${prefix}${name}`);
    }
  };
  walk(deskConfigSchema.shape as Record<string, AnySchema>, '');
  return keys;
})();

/** The schema of one setting (without its default), or null for a key that does not exist. */
export function settingSchema(key: string): AnySchema | null {
  if (!SETTING_KEYS.includes(key)) return null;
  let node: AnySchema = deskConfigSchema;
  for (const part of key.split('.')) {
    const object = unwrapDefault(node);
    if (!(object instanceof z.ZodObject)) return null;
    const next = (object.shape as Record<string, AnySchema>)[part];
    if (!next) return null;
    node = next;
  }
  return unwrapDefault(node);
}

export const CONFIG_FILE_NAME = 'config.json';

/**
 * The effective settings: config.json over the machine policy's defaults, under its locked values (see
 * config/policy-file.ts); missing files = built-in defaults. `MOTCUA_PROVINCIAL_URL` overrides the server.
 */
export function loadConfig(dataDir: string, env: NodeJS.ProcessEnv = process.env): DeskConfig {
  const file = join(dataDir, CONFIG_FILE_NAME);
  const policyFile = policyFilePath(env);
  const policy = readPolicyFile(policyFile);
  for (const [key, entry] of Object.entries(policy)) {
    const schema = settingSchema(key);
    if (!schema) throw new ConfigError(`policy.json names an unknown setting ${key}`, policyFile);
    const checked = schema.safeParse(entry.value);
    if (!checked.success)
      throw new ConfigError(
        `policy.json is invalid: ${key}: ${checked.error.issues[0]?.message}`,
        policyFile,
      );
  }
  const merged = layerPolicy(readDeskConfigFile(dataDir), policy);
  const parsed = deskConfigSchema.safeParse(merged);
  if (!parsed.success) throw configIssueError(file, parsed.error.issues, merged);
  const config = parsed.data;
  const urlOverride = provincialUrlOverride(env);
  if (urlOverride) config.provincialServerUrl = urlOverride;
  return config;
}

/** The desk's own config.json as written (no defaults, no policy): `{}` when there is none. */
export function readDeskConfigFile(dataDir: string): Record<string, unknown> {
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
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) {
    const found = raw === null ? 'null' : Array.isArray(raw) ? 'array' : typeof raw;
    throw new ConfigError(
      'config.json is invalid: (root): expected an object',
      file,
      format(vi.config.notObject, {
        file,
        found: (vi.config.types as Record<string, string>)[found] ?? found,
      }),
    );
  }
  return raw as Record<string, unknown>;
}

/** Precedence, lowest first: policy defaults, the desk's own values, locked policy values. */
export function layerPolicy(desk: Record<string, unknown>, policy: PolicyEntries): Record<string, unknown> {
  const merged: Record<string, unknown> = {};
  for (const [key, entry] of Object.entries(policy)) if (!entry.locked) setPath(merged, key, entry.value);
  mergeInto(merged, structuredClone(desk));
  for (const [key, entry] of Object.entries(policy)) if (entry.locked) setPath(merged, key, entry.value);
  return merged;
}

/** Writes `config.json` as given (only the keys the desk set), validated against the schema first. */
export function saveDeskConfigFile(dataDir: string, desk: Record<string, unknown>): void {
  const parsed = deskConfigSchema.safeParse(desk);
  if (!parsed.success) throw new ConfigError('config.json would be invalid', join(dataDir, CONFIG_FILE_NAME));
  writeFileAtomic(join(dataDir, CONFIG_FILE_NAME), `${JSON.stringify(desk, null, 2)}\n`);
}

export function getPath(object: Record<string, unknown>, dotted: string): unknown {
  let node: unknown = object;
  for (const part of dotted.split('.')) {
    if (typeof node !== 'object' || node === null || !Object.hasOwn(node, part)) return undefined;
    node = (node as Record<string, unknown>)[part];
  }
  return node;
}

export function setPath(object: Record<string, unknown>, dotted: string, value: unknown): void {
  const parts = dotted.split('.');
  let node = object;
  for (const part of parts.slice(0, -1)) {
    const next = node[part];
    if (typeof next !== 'object' || next === null || Array.isArray(next)) node[part] = {};
    node = node[part] as Record<string, unknown>;
  }
  node[parts[parts.length - 1] as string] = value;
}

function mergeInto(target: Record<string, unknown>, source: Record<string, unknown>): void {
  for (const [key, value] of Object.entries(source)) {
    const existing = target[key];
    const bothObjects =
      typeof value === 'object' &&
      value !== null &&
      !Array.isArray(value) &&
      typeof existing === 'object' &&
      existing !== null &&
      !Array.isArray(existing);
    if (bothObjects) mergeInto(existing as Record<string, unknown>, value as Record<string, unknown>);
    else target[key] = value;
  }
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
