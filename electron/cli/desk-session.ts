import { join } from 'node:path';
import { SaneClient } from '../../native/sane/client';
import type {
  ClerkView,
  DeskCallName,
  DeskCalls,
  DeskErrorPayload,
  DeskEventName,
  DeskEvents,
} from '../api/desk-api';
import { format, vi } from '../api/i18n';
import { resolveDataDir } from '../services/config/data-dir';
import { Desk } from '../services/desk/desk';
import { createLogger } from '../services/logging/logger';
import { type Command, type CommandContext, EXIT_FAILURE, type OptionSpec } from './command';

/** A desk call the gate (or the service behind it) refused: the command ends with exit 1 and this message. */
export class CallRefused extends Error {
  override name = 'CallRefused';
  constructor(readonly error: DeskErrorPayload) {
    super(error.message);
  }
}

/**
 * The CLI's door into the desk: the same `Desk.call` as the preload and the web host (zod validation, role
 * check per call name, audit under the signed-in account). A command never holds a service.
 */
export class CliDesk {
  constructor(
    private readonly desk: Desk,
    private readonly close: () => Promise<void>,
    /** The account signed in for this command, or null (read-only diagnostics). */
    readonly account: ClerkView | null,
  ) {}

  /** Work that needs the database closed (key rotation): the desk closes first, no call works after. */
  async afterClose<T>(work: () => T | Promise<T>): Promise<T> {
    await this.close();
    return work();
  }

  /** One desk call; a refusal throws CallRefused with the desk's Vietnamese message. */
  async call<K extends DeskCallName>(
    name: K,
    ...input: undefined extends DeskCalls[K]['input']
      ? [input?: DeskCalls[K]['input']]
      : [input: DeskCalls[K]['input']]
  ): Promise<DeskCalls[K]['output']> {
    const result = await this.desk.call(name, input[0]);
    if (!result.ok) throw new CallRefused(result.error);
    return result.value;
  }

  /** The same door, for the account the desk's signIn call let in. */
  signedIn(account: ClerkView | null): CliDesk {
    return new CliDesk(this.desk, this.close, account);
  }

  /** Desk events, as the renderer receives them (scan pages, scan ended, sync state). */
  on<E extends DeskEventName>(event: E, listener: (payload: DeskEvents[E]) => void): () => void {
    return this.desk.events.subscribe((name, payload) => {
      if (name === event) listener(payload as DeskEvents[E]);
    });
  }
}

/**
 * Opens the data dir's desk without background work (see DeskOptions.background), hands the command a door
 * with nobody signed in, and closes the desk after.
 */
export async function withDesk<T>(env: NodeJS.ProcessEnv, work: (door: CliDesk) => Promise<T>): Promise<T> {
  const dataDir = resolveDataDir(env);
  const logger = createLogger({ dir: join(dataDir, 'logs'), echo: false, scope: 'cli' });
  const desk = new Desk({ dataDir, env, logger, background: false });
  let closing: Promise<void> | null = null;
  const close = () =>
    (closing ??= (async () => {
      await desk.close();
      // The scanner worker is process-wide; a CLI process ends with its command.
      await SaneClient.shutdownShared();
    })());
  try {
    return await work(new CliDesk(desk, close, null));
  } finally {
    await close();
  }
}

/** Finds the account named by `--clerk`: its id, or its name when only one account has it. */
async function findAccount(door: CliDesk, wanted: string): Promise<ClerkView> {
  const accounts = await door.call('listClerks');
  const byId = accounts.find((a) => a.id === wanted);
  if (byId) return byId;
  const fold = (text: string) => text.normalize('NFC').trim().toLocaleLowerCase('vi');
  const byName = accounts.filter((a) => fold(a.name) === fold(wanted));
  const [only] = byName;
  if (only && byName.length === 1) return only;
  const message =
    byName.length > 1
      ? format(vi.gate.ambiguousClerk, { clerk: wanted, ids: byName.map((a) => a.id).join(', ') })
      : format(vi.gate.unknownClerk, { clerk: wanted });
  throw new CallRefused({ code: 'not-found', message });
}

/** Signs in with `--clerk` and MOTCUA_CLERK_PIN through the desk's signIn call (wrong PINs count to lockout). */
async function signIn(anonymous: CliDesk, context: CommandContext): Promise<CliDesk> {
  const wanted = typeof context.values.clerk === 'string' ? context.values.clerk.trim() : '';
  if (!wanted) return anonymous;
  const pin = context.env.MOTCUA_CLERK_PIN?.trim() ?? '';
  if (!pin)
    throw new CallRefused({ code: 'forbidden', message: format(vi.gate.pinMissing, { clerk: wanted }) });
  const account = await findAccount(anonymous, wanted);
  const session = await anonymous.call('signIn', { clerkId: account.id, pin });
  return anonymous.signedIn(session.clerk);
}

export interface GatedCommandSpec {
  name: string;
  summary: string;
  usage: string;
  options: OptionSpec;
  positionals: { min: number; max: number };
  /**
   * The command's work, through desk calls only. Checks of the command line come first (UsageError, exit 2);
   * every call after that passes the gate, so without `--clerk` the first guarded call is refused (exit 1).
   */
  run(context: CommandContext, desk: CliDesk): Promise<number>;
}

/** Prints a refused call's Vietnamese message (and how to sign in, when no --clerk was given) and returns 1. */
function reportRefusal(
  error: CallRefused,
  context: CommandContext,
  name: string,
  account: ClerkView | null,
): number {
  context.stderr(`${error.message}\n`);
  if (!account && !context.values.clerk && error.error.code === 'forbidden')
    context.stderr(`${format(vi.gate.signInRequired, { command: name })}\n`);
  return EXIT_FAILURE;
}

/**
 * A `motcua` command that works on the desk's data: takes `--clerk`, opens the desk, signs in, runs, closes.
 * New gated commands are made with this one helper (see README, "For IT staff").
 */
export function gatedCommand(spec: GatedCommandSpec): Command {
  const usage = `${spec.usage}\n${vi.gate.signInUsage}`;
  return {
    name: spec.name,
    summary: spec.summary,
    usage,
    options: { ...spec.options, clerk: { type: 'string' } },
    positionals: spec.positionals,
    run: (context) =>
      withDesk(context.env, async (anonymous) => {
        let door: CliDesk | null = null;
        try {
          door = await signIn(anonymous, context);
          return await spec.run(context, door);
        } catch (error) {
          if (!(error instanceof CallRefused)) throw error;
          return reportRefusal(error, context, spec.name, door?.account ?? null);
        }
      }),
  };
}
