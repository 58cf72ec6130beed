import { userInfo } from 'node:os';
import { format, vi } from '../../api/i18n';
import { AuditLog } from '../../services/audit/audit-log';
import { ClerkStore } from '../../services/clerks/clerk-store';
import { ClerkError } from '../../services/clerks/errors';
import { loadConfig } from '../../services/config/config';
import { resolveDataDir } from '../../services/config/data-dir';
import { openStore } from '../../services/store/store';
import { type Command, type CommandContext, EXIT_FAILURE, EXIT_OK, UsageError } from '../command';

const t = vi.reception.cli;

async function readStdin(): Promise<string> {
  if (process.stdin.isTTY) return '';
  const chunks: Buffer[] = [];
  for await (const chunk of process.stdin) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString('utf8');
}

async function runClerkAdd({ values, env, stdout, stderr }: CommandContext): Promise<number> {
  const name = typeof values.name === 'string' ? values.name : '';
  const role = values.role;
  if (!name.trim()) throw new UsageError(t.nameRequired);
  if (role !== 'clerk' && role !== 'admin') throw new UsageError(t.roleInvalid);
  // Never a PIN on the command line: it would stay in the shell history and the process list.
  const pin = (env.MOTCUA_CLERK_PIN || (await readStdin())).trim();
  if (!pin) throw new UsageError(t.pinMissing);
  const dataDir = resolveDataDir(env);
  const config = loadConfig(dataDir, env);
  const store = openStore(dataDir);
  try {
    const clerks = new ClerkStore(store.db, {
      audit: new AuditLog(store.db),
      maxAttempts: config.security.pinMaxAttempts,
      lockoutMinutes: config.security.pinLockoutMinutes,
    });
    const clerk = await clerks.create({ name, pin, role }, `cli:${userInfo().username}`);
    if (values.json) stdout(`${JSON.stringify(clerk)}\n`);
    else stdout(`${format(t.clerkAdded, { role: t.roles[clerk.role], name: clerk.name, id: clerk.id })}\n`);
    return EXIT_OK;
  } catch (error) {
    if (!(error instanceof ClerkError)) throw error;
    stderr(`${error.clerkMessage}\n`);
    return EXIT_FAILURE;
  } finally {
    store.close();
  }
}

export const clerkAddCommand: Command = {
  name: 'clerk add',
  summary: t.clerkAddSummary,
  usage:
    'motcua clerk add --name "HỌ TÊN" --role clerk|admin [--json]\n' +
    'Mã PIN (4–8 chữ số) lấy từ biến môi trường MOTCUA_CLERK_PIN, nếu không có thì đọc từ stdin.',
  options: { name: { type: 'string' }, role: { type: 'string' } },
  positionals: { min: 0, max: 0 },
  run: runClerkAdd,
};
