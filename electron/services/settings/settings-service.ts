import { z } from 'zod';
import type { SettingSource, SettingValue, SettingView } from '../../api/desk-api';
import { DeskError } from '../../api/errors';
import { format, vi } from '../../api/i18n';
import type { AuditLog } from '../audit/audit-log';
import {
  ConfigError,
  deskConfigSchema,
  getPath,
  layerPolicy,
  loadConfig,
  readDeskConfigFile,
  SETTING_KEYS,
  saveDeskConfigFile,
  setPath,
  settingSchema,
} from '../config/config';
import { type PolicyEntries, policyFilePath, readPolicyFile } from '../config/policy-file';
import type { Logger } from '../logging/logger';

const t = vi.settings;

/** A refused read or change, with the clerk's Vietnamese reason (`clerkMessage`) and an English detail. */
export class SettingsError extends DeskError {
  constructor(code: 'forbidden' | 'invalid-input' | 'not-found', clerkMessage: string, detail: string) {
    super(code, detail, clerkMessage);
    this.name = 'SettingsError';
  }
}

// Keys whose value may hold a secret (a proxy's user:password); shown and exported masked.
const SECRET_KEYS = new Set(['network.proxyUrl']);

/** A value fit for a screen, a log or a diagnostics bundle: credentials in URLs masked. */
export function displayValue(key: string, value: unknown): SettingValue {
  if (SECRET_KEYS.has(key) && typeof value === 'string') {
    try {
      const url = new URL(value);
      if (url.username || url.password) {
        url.username = url.username ? t.secretHidden : '';
        url.password = url.password ? t.secretHidden : '';
      }
      return url.toString();
    } catch {
      return t.secretHidden;
    }
  }
  return value as SettingValue;
}

/** What `motcua settings set KEY VALUE` means by VALUE: JSON when it parses (4, true, null, [...]), else text. */
export function parseSettingText(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return text;
  }
}

export interface SettingsServiceOptions {
  dataDir: string;
  env?: NodeJS.ProcessEnv;
  /** Every change is recorded here (who, which key, the new value unless secret). */
  audit?: AuditLog;
  logger?: Logger;
}

/**
 * The effective value of every setting and where it comes from: a locked policy value, the desk's own
 * config.json, a policy default, the built-in default (in that order). Changes go to config.json only, atomically,
 * after validation by the same schema config.json is loaded with; they apply at the next start of the desk.
 */
export class SettingsService {
  private readonly env: NodeJS.ProcessEnv;

  constructor(private readonly options: SettingsServiceOptions) {
    this.env = options.env ?? process.env;
  }

  list(): SettingView[] {
    const config = loadConfig(this.options.dataDir, this.env) as unknown as Record<string, unknown>;
    const own = readDeskConfigFile(this.options.dataDir);
    const policy = this.policy();
    return SETTING_KEYS.map((key) => ({
      key,
      value: displayValue(key, getPath(config, key)),
      source: sourceOf(key, own, policy),
      locked: policy[key]?.locked === true,
    }));
  }

  get(key: string): SettingView {
    const found = this.list().find((s) => s.key === key);
    if (!found) throw new SettingsError('not-found', format(t.unknownKey, { key }), `unknown setting ${key}`);
    return found;
  }

  /** `actorId`: the admin's clerk id, or `cli:<user>` for IT staff at the command line. */
  set(key: string, value: unknown, actorId: string): SettingView {
    const schema = settingSchema(key);
    if (!schema)
      throw new SettingsError('not-found', format(t.unknownKey, { key }), `unknown setting ${key}`);
    const policy = this.policy();
    if (policy[key]?.locked) {
      this.options.logger?.warn('settings.set-refused', { key, reason: 'policy-locked' });
      throw new SettingsError('forbidden', format(t.locked, { key }), `setting ${key} is locked by policy`);
    }
    z.config(z.locales.vi());
    const checked = schema.safeParse(value);
    if (!checked.success) {
      const reason = checked.error.issues.map((i) => i.message).join('; ');
      throw new SettingsError(
        'invalid-input',
        format(t.invalid, { key, reason }),
        `invalid value for ${key}`,
      );
    }
    const own = readDeskConfigFile(this.options.dataDir);
    setPath(own, key, checked.data);
    // The whole effective config must still hold (a cross-field rule, a policy value beside it).
    const whole = deskConfigSchema.safeParse(layerPolicy(own, policy));
    if (!whole.success) {
      const reason = whole.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ');
      throw new SettingsError(
        'invalid-input',
        format(t.invalid, { key, reason }),
        `invalid config after ${key}`,
      );
    }
    try {
      saveDeskConfigFile(this.options.dataDir, own);
    } catch (error) {
      if (error instanceof ConfigError)
        throw new SettingsError(
          'invalid-input',
          format(t.invalid, { key, reason: error.message }),
          error.message,
        );
      throw error;
    }
    this.audit(actorId, key, checked.data);
    this.options.logger?.info('settings.set', { key });
    return this.get(key);
  }

  private policy(): PolicyEntries {
    return readPolicyFile(policyFilePath(this.env));
  }

  private audit(actorId: string, key: string, value: unknown): void {
    if (!this.options.audit) return;
    const shown = displayValue(key, value);
    const text = typeof shown === 'string' ? shown : JSON.stringify(shown);
    try {
      this.options.audit.append({
        clerkId: actorId,
        action: 'settings.set',
        objects: { key },
        details: { value: text.slice(0, 300) },
      });
    } catch {
      // The audit refuses values that look like ID numbers: record the change without the value then.
      this.options.audit.append({ clerkId: actorId, action: 'settings.set', objects: { key } });
    }
  }
}

function sourceOf(key: string, own: Record<string, unknown>, policy: PolicyEntries): SettingSource {
  if (policy[key]?.locked) return 'policy-locked';
  if (getPath(own, key) !== undefined) return 'desk';
  if (policy[key]) return 'policy-default';
  return 'built-in';
}
