import { appendFileSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';

export type LogLevel = 'debug' | 'info' | 'warn' | 'error';
/** Only plain, non-personal facts go into a log: ids, counts, codes, timings, English messages. */
export type LogFields = Record<string, string | number | boolean | null | undefined>;

export interface Logger {
  debug(event: string, fields?: LogFields): void;
  info(event: string, fields?: LogFields): void;
  warn(event: string, fields?: LogFields): void;
  error(event: string, fields?: LogFields): void;
  child(scope: string): Logger;
}

const LEVEL_RANK: Record<LogLevel, number> = { debug: 10, info: 20, warn: 30, error: 40 };

// Belt and braces: even if a caller slips, ID-card numbers (9 or 12 digits) never reach the log file.
const ID_NUMBER = /(?<!\d)(\d{12}|\d{9})(?!\d)/g;
export function scrubPersonalData(text: string): string {
  return text.replace(ID_NUMBER, '[số giấy tờ]');
}

// Fields whose very name says they hold personal data: their value is dropped, whatever it is.
const PERSONAL_FIELD = /^(applicant|full|citizen|holder)?name$|address|idnumber|phone|birth|fullname/i;
export function redactPersonalFields(fields: LogFields | undefined): LogFields | undefined {
  if (!fields) return fields;
  let out: LogFields | undefined;
  for (const key of Object.keys(fields)) {
    if (!PERSONAL_FIELD.test(key) || fields[key] === null || fields[key] === undefined) continue;
    out ??= { ...fields };
    out[key] = '[redacted]';
  }
  return out ?? fields;
}

export interface LoggerOptions {
  /** Folder for `desk-YYYY-MM-DD.log`; omit to log to stderr only. */
  dir?: string;
  level?: LogLevel;
  scope?: string;
  /** Also echo to stderr (CLI and dev). */
  echo?: boolean;
  clock?: () => Date;
}

export function createLogger(options: LoggerOptions = {}): Logger {
  const minRank = LEVEL_RANK[options.level ?? 'info'];
  const clock = options.clock ?? (() => new Date());
  if (options.dir) mkdirSync(options.dir, { recursive: true });

  const write = (scope: string, level: LogLevel, event: string, fields?: LogFields) => {
    if (LEVEL_RANK[level] < minRank) return;
    const now = clock();
    const line = scrubPersonalData(
      JSON.stringify({ t: now.toISOString(), level, scope, event, ...redactPersonalFields(fields) }),
    );
    if (options.dir) {
      appendFileSync(join(options.dir, `desk-${now.toISOString().slice(0, 10)}.log`), `${line}\n`);
    }
    if (options.echo ?? !options.dir) process.stderr.write(`${line}\n`);
  };

  const make = (scope: string): Logger => ({
    debug: (e, f) => write(scope, 'debug', e, f),
    info: (e, f) => write(scope, 'info', e, f),
    warn: (e, f) => write(scope, 'warn', e, f),
    error: (e, f) => write(scope, 'error', e, f),
    child: (sub) => make(scope ? `${scope}.${sub}` : sub),
  });
  return make(options.scope ?? 'desk');
}

/** A logger that drops everything: for tests that assert on other things. */
export const silentLogger: Logger = createLogger({
  level: 'error',
  echo: false,
  dir: undefined,
  scope: 'silent',
});
