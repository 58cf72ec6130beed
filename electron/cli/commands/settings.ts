import type { SettingValue } from '../../api/desk-api';
import { format, vi } from '../../api/i18n';
import { ConfigError } from '../../services/config/config';
import { PolicyError } from '../../services/config/policy-file';
import { parseSettingText } from '../../services/settings/settings-service';
import { type Command, type CommandContext, EXIT_FAILURE, EXIT_OK } from '../command';
import { type CliDesk, gatedCommand, withDesk } from '../desk-session';

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

async function runGet(context: CommandContext): Promise<number> {
  const { values, positionals, env, stdout, stderr } = context;
  try {
    // No personal data in settings (a proxy's credentials are masked): read without sign-in, as doctor does.
    const all = await withDesk(env, (desk) => desk.call('getSettings'));
    const key = positionals[0];
    const shown = key ? all.filter((s) => s.key === key) : all;
    if (key && shown.length === 0) {
      stderr(`${format(t.unknownKey, { key })}\n`);
      return EXIT_FAILURE;
    }
    if (values.json) stdout(`${JSON.stringify(key ? shown[0] : shown)}\n`);
    else for (const s of shown) stdout(`${s.key} = ${showValue(s.value)}  (${t.sources[s.source]})\n`);
    return EXIT_OK;
  } catch (error) {
    const problem = fileProblem(error);
    if (!problem) throw error;
    stderr(`${problem}\n`);
    return EXIT_FAILURE;
  }
}

/** A change is the signed-in admin's, audited as that account by the desk's setSetting call. */
async function runSet(context: CommandContext, desk: CliDesk): Promise<number> {
  const { values, positionals, stdout } = context;
  const [key, text] = positionals as [string, string];
  const saved = await desk.call('setSetting', { key, value: parseSettingText(text) as SettingValue });
  if (values.json) stdout(`${JSON.stringify(saved)}\n`);
  else stdout(`${format(t.saved, { key, value: showValue(saved.value) })}\n`);
  return EXIT_OK;
}

export const settingsGetCommand: Command = {
  name: 'settings get',
  summary: t.getSummary,
  usage: 'motcua settings get [KHÓA] [--json]   (nguồn: policy-locked, desk, policy-default, built-in)',
  options: {},
  positionals: { min: 0, max: 1 },
  run: runGet,
};

export const settingsSetCommand = gatedCommand({
  name: 'settings set',
  summary: t.setSummary,
  usage:
    'motcua settings set KHÓA GIÁ_TRỊ [--json]   (ví dụ: motcua settings set ocr.workers 2; \'["https://…"]\' cho danh sách)',
  options: {},
  positionals: { min: 2, max: 2 },
  run: runSet,
});
