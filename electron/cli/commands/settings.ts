import { userInfo } from 'node:os';
import { format, vi } from '../../api/i18n';
import { AuditLog } from '../../services/audit/audit-log';
import { ConfigError } from '../../services/config/config';
import { resolveDataDir } from '../../services/config/data-dir';
import { PolicyError } from '../../services/settings/policy-file';
import { parseSettingText, SettingsError, SettingsService } from '../../services/settings/settings-service';
import { openStore } from '../../services/store/store';
import { type Command, type CommandContext, EXIT_FAILURE, EXIT_OK } from '../command';

const t = vi.settings;

function showValue(value: unknown): string {
  return typeof value === 'string' ? value : JSON.stringify(value);
}

/** A config.json or policy.json that cannot be read is IT's to fix: say which file and what is wrong. */
function fileProblem(error: unknown): string | null {
  if (error instanceof ConfigError || error instanceof PolicyError)
    return format(t.policyInvalid, { file: error.file, detail: error.message });
  return null;
}

async function runGet({ values, positionals, env, stdout, stderr }: CommandContext): Promise<number> {
  const service = new SettingsService({ dataDir: resolveDataDir(env), env });
  try {
    const key = positionals[0];
    const shown = key ? [service.get(key)] : service.list();
    if (values.json) stdout(`${JSON.stringify(key ? shown[0] : shown)}\n`);
    else for (const s of shown) stdout(`${s.key} = ${showValue(s.value)}  (${t.sources[s.source]})\n`);
    return EXIT_OK;
  } catch (error) {
    if (error instanceof SettingsError) {
      stderr(`${error.clerkMessage}\n`);
      return EXIT_FAILURE;
    }
    const problem = fileProblem(error);
    if (!problem) throw error;
    stderr(`${problem}\n`);
    return EXIT_FAILURE;
  }
}

async function runSet({ values, positionals, env, stdout, stderr }: CommandContext): Promise<number> {
  const [key, text] = positionals as [string, string];
  const dataDir = resolveDataDir(env);
  const store = openStore(dataDir);
  try {
    const service = new SettingsService({ dataDir, env, audit: new AuditLog(store.db) });
    const saved = service.set(key, parseSettingText(text), `cli:${userInfo().username}`);
    if (values.json) stdout(`${JSON.stringify(saved)}\n`);
    else stdout(`${format(t.saved, { key, value: showValue(saved.value) })}\n`);
    return EXIT_OK;
  } catch (error) {
    if (error instanceof SettingsError) {
      stderr(`${error.clerkMessage}\n`);
      return EXIT_FAILURE;
    }
    const problem = fileProblem(error);
    if (!problem) throw error;
    stderr(`${problem}\n`);
    return EXIT_FAILURE;
  } finally {
    store.close();
  }
}

export const settingsGetCommand: Command = {
  name: 'settings get',
  summary: t.getSummary,
  usage: 'motcua settings get [KHÓA] [--json]   (nguồn: policy-locked, desk, policy-default, built-in)',
  options: {},
  positionals: { min: 0, max: 1 },
  run: runGet,
};

export const settingsSetCommand: Command = {
  name: 'settings set',
  summary: t.setSummary,
  usage:
    'motcua settings set KHÓA GIÁ_TRỊ [--json]   (ví dụ: motcua settings set ocr.workers 2; \'["https://…"]\' cho danh sách)',
  options: {},
  positionals: { min: 2, max: 2 },
  run: runSet,
};
