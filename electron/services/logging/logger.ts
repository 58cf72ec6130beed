import { appendFileSync, mkdirSync, readdirSync, renameSync, rmSync, statSync } from 'node:fs';
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
  /** Rotation bounds: a day's file is rotated past `maxFileBytes`, keeping `maxPartsPerDay` parts; older days go. */
  maxFileBytes?: number;
  maxPartsPerDay?: number;
  maxAgeDays?: number;
}

export const LOG_ROTATION = { maxFileBytes: 10 * 1024 * 1024, maxPartsPerDay: 5, maxAgeDays: 30 } as const;
const LOG_NAME = /^desk-(\d{4}-\d{2}-\d{2})(?:\.(\d+))?\.log$/;

/** Deletes log files older than `maxAgeDays` (by the date in their name): logs are bounded in age as in size. */
export function pruneOldLogs(dir: string, now: Date, maxAgeDays: number = LOG_ROTATION.maxAgeDays): void {
  const oldest = new Date(now.getTime() - maxAgeDays * 24 * 60 * 60 * 1000).toISOString().slice(0, 10);
  let names: string[] = [];
  try {
    names = readdirSync(dir);
  } catch {
    return;
  }
  for (const name of names) {
    const day = LOG_NAME.exec(name)?.[1];
    if (day && day < oldest) rmSync(join(dir, name), { force: true });
  }
}

/**
 * Size-bounded daily files: `desk-DAY.log` is the live one; when it would pass the limit it becomes
 * `desk-DAY.1.log` (older parts shift up, the oldest beyond `maxParts` is deleted) and a new file starts.
 */
function rotatingAppender(dir: string, maxFileBytes: number, maxParts: number) {
  const sizes = new Map<string, number>();
  return (day: string, line: string) => {
    const file = join(dir, `desk-${day}.log`);
    let size = sizes.get(file);
    if (size === undefined) {
      try {
        size = statSync(file).size;
      } catch {
        size = 0;
      }
    }
    const bytes = Buffer.byteLength(line);
    if (size > 0 && size + bytes > maxFileBytes) {
      rmSync(join(dir, `desk-${day}.${maxParts}.log`), { force: true });
      for (let part = maxParts - 1; part >= 1; part -= 1) {
        try {
          renameSync(join(dir, `desk-${day}.${part}.log`), join(dir, `desk-${day}.${part + 1}.log`));
        } catch {
          // That part does not exist yet.
        }
      }
      renameSync(file, join(dir, `desk-${day}.1.log`));
      size = 0;
    }
    appendFileSync(file, line);
    sizes.set(file, size + bytes);
  };
}

export function createLogger(options: LoggerOptions = {}): Logger {
  const minRank = LEVEL_RANK[options.level ?? 'info'];
  const clock = options.clock ?? (() => new Date());
  const dir = options.dir;
  let append: ((day: string, line: string) => void) | null = null;
  if (dir) {
    mkdirSync(dir, { recursive: true });
    pruneOldLogs(dir, clock(), options.maxAgeDays);
    append = rotatingAppender(
      dir,
      options.maxFileBytes ?? LOG_ROTATION.maxFileBytes,
      options.maxPartsPerDay ?? LOG_ROTATION.maxPartsPerDay,
    );
  }

  const write = (scope: string, level: LogLevel, event: string, fields?: LogFields) => {
    if (LEVEL_RANK[level] < minRank) return;
    const now = clock();
    const line = scrubPersonalData(
      JSON.stringify({ t: now.toISOString(), level, scope, event, ...redactPersonalFields(fields) }),
    );
    if (append) append(now.toISOString().slice(0, 10), `${line}\n`);
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
