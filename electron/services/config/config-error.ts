import type { z } from 'zod';
import { format, vi } from '../../api/i18n';

const t = vi.config;

/** A config.json (or override) the desk cannot use: English `message` for logs, `clerkMessage` for IT staff. */
export class ConfigError extends Error {
  override name = 'ConfigError';
  constructor(
    message: string,
    readonly file: string,
    readonly clerkMessage: string = message,
  ) {
    super(message);
  }
}

/** "mã định danh cơ quan (agencyCode)": the field as IT staff know it, then its key in the file. */
export function fieldLabel(path: readonly PropertyKey[]): string {
  const key = path
    .map((p) => (typeof p === 'number' ? `[${p}]` : String(p)))
    .join('.')
    .replace(/\.\[/g, '[');
  const name = (t.fields as Record<string, string>)[path.filter((p) => typeof p !== 'number').join('.')];
  return name ? `${name} (${key})` : key;
}

function typeName(expected: unknown): string {
  return (t.types as Record<string, string>)[String(expected)] ?? String(expected);
}

/** One zod issue in IT staff's words. */
function reason(issue: z.core.$ZodIssue): string {
  switch (issue.code) {
    case 'invalid_type':
      return format(t.reasons.type, { expected: typeName(issue.expected) });
    case 'too_small':
      if (issue.origin === 'string' || issue.origin === 'array') return t.reasons.minLength;
      return format(t.reasons.min, { minimum: String(issue.minimum) });
    case 'too_big':
      return format(t.reasons.max, { maximum: String(issue.maximum) });
    case 'invalid_format':
      return issue.format === 'url' ? t.reasons.url : t.reasons.pattern;
    case 'invalid_value':
      return format(t.reasons.oneOf, { values: issue.values.map(String).join(', ') });
    default:
      return t.reasons.other;
  }
}

/** The first problem of a failed parse, field named in Vietnamese; the English detail lists them all. */
export function configIssueError(
  file: string,
  issues: readonly z.core.$ZodIssue[],
  raw: unknown,
): ConfigError {
  const detail = issues.map((i) => `${i.path.join('.') || '(root)'}: ${i.message}`).join('; ');
  const first = issues[0];
  let clerkMessage = format(t.invalidField, { file, field: '?', reason: t.reasons.other });
  if (first?.code === 'unrecognized_keys') {
    clerkMessage = format(t.unknownField, { file, field: [...first.path, first.keys[0] ?? ''].join('.') });
  } else if (first && first.path.length === 0 && first.code === 'invalid_type') {
    const found = raw === null ? 'null' : Array.isArray(raw) ? 'array' : typeof raw;
    clerkMessage = format(t.notObject, { file, found: typeName(found) });
  } else if (first) {
    clerkMessage = format(t.invalidField, { file, field: fieldLabel(first.path), reason: reason(first) });
  }
  return new ConfigError(`config.json is invalid: ${detail}`, file, clerkMessage);
}

/** Where in the text a JSON.parse error points, as "dòng 3, cột 7" when Node tells the position. */
export function jsonErrorWhere(text: string, error: Error): string {
  if (text.trim() === '') return t.emptyFile;
  const position = /position (\d+)/.exec(error.message)?.[1];
  if (position === undefined) return t.notJsonText;
  const before = text.slice(0, Number(position));
  const line = before.split('\n').length;
  const column = Number(position) - before.lastIndexOf('\n');
  return `dòng ${line}, cột ${column}`;
}
