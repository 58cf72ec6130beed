import type { ClerkRole } from '../../api/desk-api';
import { format, vi } from '../../api/i18n';
import { EXIT_OK, UsageError } from '../command';
import { CallRefused, gatedCommand } from '../desk-session';

const t = vi.reception.cli;
const ROLES: readonly ClerkRole[] = ['clerk', 'admin', 'it'];

async function readStdin(): Promise<string> {
  if (process.stdin.isTTY) return '';
  const chunks: Buffer[] = [];
  for await (const chunk of process.stdin) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString('utf8');
}

/**
 * `motcua clerk add`: while no account exists, the desk's setup call makes the first admin (as the app's
 * first-run screen does); after that an admin signs in (`--clerk`, MOTCUA_CLERK_PIN) and the desk's createClerk
 * call adds a clerk, an admin or an IT account. Never a PIN on the command line: it would stay in the shell
 * history and the process list.
 */
export const clerkAddCommand = gatedCommand({
  name: 'clerk add',
  summary: t.clerkAddSummary,
  usage: [
    'motcua clerk add --name "HỌ TÊN" --role clerk|admin|it [--json]',
    'Tài khoản đầu tiên (quản trị viên): mã PIN (4–8 chữ số) từ biến môi trường MOTCUA_CLERK_PIN hoặc stdin.',
    'Các tài khoản sau: quản trị viên đăng nhập bằng --clerk với MOTCUA_CLERK_PIN; mã PIN của tài khoản mới',
    'từ biến môi trường MOTCUA_NEW_CLERK_PIN hoặc stdin. --role it: tài khoản CNTT (đồng bộ, hàng đợi, xóa theo',
    'thời hạn lưu trữ, khóa dữ liệu, nhật ký, báo cáo), không xem được hồ sơ.',
  ].join('\n'),
  options: { name: { type: 'string' }, role: { type: 'string' } },
  positionals: { min: 0, max: 0 },
  async run({ values, env, stdout }, desk) {
    const name = typeof values.name === 'string' ? values.name : '';
    const role = values.role as ClerkRole;
    if (!name.trim()) throw new UsageError(t.nameRequired);
    if (!ROLES.includes(role)) throw new UsageError(vi.gate.roleInvalid);
    const { needsSetup } = await desk.call('getSession');
    let clerk: { id: string; name: string; role: ClerkRole };
    if (needsSetup) {
      if (role !== 'admin')
        throw new CallRefused({ code: 'invalid-input', message: vi.gate.firstAccountAdmin });
      const pin = (env.MOTCUA_CLERK_PIN || (await readStdin())).trim();
      if (!pin) throw new UsageError(t.pinMissing);
      const session = await desk.call('setupFirstAdmin', { name, pin });
      if (!session.clerk) throw new Error('setupFirstAdmin answered without the new admin');
      clerk = session.clerk;
    } else {
      // The gate says who may (an admin); only then is the new account's PIN read.
      if (!desk.account) await desk.call('createClerk', { name, pin: '', role });
      const pin = (env.MOTCUA_NEW_CLERK_PIN || (await readStdin())).trim();
      if (!pin) throw new UsageError(vi.gate.newPinMissing);
      clerk = await desk.call('createClerk', { name, pin, role });
    }
    if (values.json) stdout(`${JSON.stringify(clerk)}\n`);
    else
      stdout(
        `${format(t.clerkAdded, { role: vi.gate.roles[clerk.role], name: clerk.name, id: clerk.id })}\n`,
      );
    return EXIT_OK;
  },
});
