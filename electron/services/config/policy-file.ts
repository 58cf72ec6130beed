import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { z } from 'zod';

/**
 * The machine policy an IT officer drops for every account on the PC: `{ "<setting key>": { "value": …,
 * "locked": true|false } }`. A locked value wins over the desk's own settings and cannot be changed from the
 * desk; an unlocked one is only a default. Keys and values are checked against config.json's schema by
 * config.ts (`loadConfig`); this file only reads the shape, so it imports nothing of the config.
 */
export interface PolicyEntry {
  value: unknown;
  locked: boolean;
}
export type PolicyEntries = Record<string, PolicyEntry>;

export class PolicyError extends Error {
  constructor(
    message: string,
    readonly file: string,
  ) {
    super(message);
    this.name = 'PolicyError';
  }
}

const policySchema = z.record(
  z.string().regex(/^[a-zA-Z][a-zA-Z0-9]*(\.[a-zA-Z][a-zA-Z0-9]*)*$/),
  z.object({ value: z.unknown(), locked: z.boolean().default(false) }).strict(),
);

/** `MOTCUA_POLICY_FILE`, else `%ProgramData%\MotCua Desk\policy.json` (Windows) or `/etc/motcua-desk/policy.json`. */
export function policyFilePath(
  env: NodeJS.ProcessEnv = process.env,
  platform: NodeJS.Platform = process.platform,
): string {
  const explicit = env.MOTCUA_POLICY_FILE?.trim();
  if (explicit) return explicit;
  if (platform === 'win32') return join(env.ProgramData ?? 'C:\\ProgramData', 'MotCua Desk', 'policy.json');
  return '/etc/motcua-desk/policy.json';
}

/** No file = no policy. An unreadable or malformed file stops the desk (IT must see it), naming the problem. */
export function readPolicyFile(file: string): PolicyEntries {
  if (!existsSync(file)) return {};
  let parsed: unknown;
  try {
    parsed = JSON.parse(readFileSync(file, 'utf8'));
  } catch (error) {
    const reason = (error as NodeJS.ErrnoException).code ?? (error as Error).message;
    throw new PolicyError(`policy.json cannot be read: ${reason}`, file);
  }
  const result = policySchema.safeParse(parsed);
  if (!result.success) {
    const where = result.error.issues.map((i) => `${i.path.join('.') || '(root)'}: ${i.message}`).join('; ');
    throw new PolicyError(`policy.json is invalid: ${where}`, file);
  }
  return result.data as PolicyEntries;
}
