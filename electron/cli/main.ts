import { parseArgs } from 'node:util';
import { format, vi } from '../api/i18n';
import { startupErrorMessage } from '../services/desk/startup-error';
import { APP_VERSION } from '../services/version';
import {
  type CliIo,
  COMMON_OPTIONS,
  type Command,
  EXIT_FAILURE,
  EXIT_OK,
  EXIT_USAGE,
  UsageError,
} from './command';
import { commands } from './commands';

function helpText(): string {
  const width = Math.max(...commands.map((c) => c.name.length));
  const lines = commands.map((c) => `  ${c.name.padEnd(width)}  ${c.summary}`);
  return [
    `motcua ${APP_VERSION}`,
    vi.cli.usage,
    '',
    ...lines,
    `  ${'--version'.padEnd(width)}  In phiên bản`,
    '',
  ].join('\n');
}

/** Longest command name that prefixes the arguments, so `cccd parse X` finds `cccd parse`. */
function findCommand(args: string[]): { command: Command; rest: string[] } | null {
  const candidates = commands
    .map((command) => ({ command, words: command.name.split(' ') }))
    .filter(({ words }) => words.every((w, i) => args[i] === w))
    .sort((a, b) => b.words.length - a.words.length);
  const best = candidates[0];
  return best ? { command: best.command, rest: args.slice(best.words.length) } : null;
}

function translateParseError(command: Command, error: Error & { code?: string }): string {
  const option = /'([^']+)'/.exec(error.message)?.[1] ?? '';
  switch (error.code) {
    case 'ERR_PARSE_ARGS_UNKNOWN_OPTION':
      return format(vi.cli.unknownOption, { command: command.name, option });
    case 'ERR_PARSE_ARGS_INVALID_OPTION_VALUE':
      return format(vi.cli.missingValue, { option });
    case 'ERR_PARSE_ARGS_UNEXPECTED_POSITIONAL':
      return format(vi.cli.unexpectedArgument, { command: command.name, argument: option });
    default:
      return error.message;
  }
}

export async function runCli(argv: string[], io: CliIo): Promise<number> {
  const [first] = argv;
  if (first === '--version' || first === '-v' || first === 'version') {
    io.stdout(`${APP_VERSION}\n`);
    return EXIT_OK;
  }
  if (first === undefined || first === 'help' || first === '--help' || first === '-h') {
    io.stdout(helpText());
    return first === undefined ? EXIT_USAGE : EXIT_OK;
  }
  const found = findCommand(argv);
  if (!found) {
    io.stderr(`${format(vi.cli.unknownCommand, { command: first })}\n${vi.cli.usage}\n`);
    return EXIT_USAGE;
  }
  const { command, rest } = found;
  try {
    let parsed: ReturnType<typeof parseArgs>;
    try {
      parsed = parseArgs({
        args: rest,
        options: { ...COMMON_OPTIONS, ...command.options },
        allowPositionals: command.positionals.max > 0,
        strict: true,
      });
    } catch (error) {
      throw new UsageError(translateParseError(command, error as Error));
    }
    if (parsed.values.help) {
      io.stdout(`${command.summary}\n${command.usage}\n`);
      return EXIT_OK;
    }
    const { min, max } = command.positionals;
    if (parsed.positionals.length < min || parsed.positionals.length > max) {
      throw new UsageError(command.usage);
    }
    return await command.run({ ...io, values: parsed.values, positionals: parsed.positionals });
  } catch (error) {
    if (error instanceof UsageError) {
      io.stderr(`${error.message}\n`);
      return EXIT_USAGE;
    }
    // Any command that opens the data dir can meet a data key it cannot use, or a database it cannot open
    // (too new, a failed upgrade, damaged, disk full): one message for each, for every command.
    const startupMessage = startupErrorMessage(error);
    if (startupMessage) {
      io.stderr(`${startupMessage}\n`);
      return EXIT_FAILURE;
    }
    // Never a stack trace for IT staff: the Vietnamese words, then the error's kind (no message, which could
    // carry data) for the person who reads the logs.
    const kind = [(error as Error)?.name, (error as { code?: unknown })?.code].filter(Boolean).join(' ');
    io.stderr(`${vi.errors.internal}${kind ? ` (${kind})` : ''}\n`);
    return EXIT_FAILURE;
  }
}
