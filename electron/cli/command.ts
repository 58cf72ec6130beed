import type { ParseArgsConfig } from 'node:util';
import { format, vi } from '../api/i18n';
import { toDayNumber } from '../services/calendar/civil-date';

export type OptionSpec = NonNullable<ParseArgsConfig['options']>;

export interface CliIo {
  stdout: (text: string) => void;
  stderr: (text: string) => void;
  env: NodeJS.ProcessEnv;
}

export interface CommandContext<V = Record<string, string | boolean | (string | boolean)[] | undefined>>
  extends CliIo {
  values: V;
  positionals: string[];
}

/** Exit codes: 0 done, 1 the work failed (device error, invalid data), 2 the command line was wrong. */
export const EXIT_OK = 0;
export const EXIT_FAILURE = 1;
export const EXIT_USAGE = 2;

/** Thrown by a command for a command-line mistake (exit 2) with a Vietnamese message. */
export class UsageError extends Error {
  override name = 'UsageError';
}

export interface Command {
  /** One or more words: `doctor`, `cccd parse`. */
  name: string;
  /** One line, Vietnamese, shown by `motcua help`. */
  summary: string;
  usage: string;
  options: OptionSpec;
  /** How many positional arguments the command takes. */
  positionals: { min: number; max: number };
  run(context: CommandContext): Promise<number>;
}

/** Options every command takes. */
export const COMMON_OPTIONS: OptionSpec = {
  json: { type: 'boolean', default: false },
  help: { type: 'boolean', short: 'h', default: false },
};

const DAY = /^\d{4}-\d{2}-\d{2}$/;

/** A `--from`/`--to` option: a real calendar day as YYYY-MM-DD, or a command-line mistake (exit 2). */
export function dayOption(flag: string, value: unknown): string | undefined {
  if (value === undefined) return undefined;
  const bad = () => new UsageError(format(vi.reception.cli.prefillBadDate, { flag }));
  if (typeof value !== 'string' || !DAY.test(value)) throw bad();
  try {
    toDayNumber(value); // a real calendar day within the calendar's range
  } catch {
    throw bad();
  }
  return value;
}
