import { Desk } from '../../electron/services/desk/desk';
import { silentLogger } from '../../electron/services/logging/logger';

export const ADMIN_PIN = '2468';
export const IT_PIN = '7531';

/**
 * Makes the accounts a CLI test signs in with, through the desk's own calls (setup, sign-in, createClerk), on
 * the data dir a child `motcua` then opens: the desk admin and an IT account. Returns the flags and env for
 * `motcua … --clerk ID` as the IT account.
 */
export async function createItAccount(
  dataDir: string,
  env: NodeJS.ProcessEnv = process.env,
): Promise<{ id: string; adminId: string; args: string[]; env: Record<string, string> }> {
  const desk = new Desk({ dataDir, env, logger: silentLogger, background: false });
  try {
    const ok = <T>(result: { ok: true; value: T } | { ok: false; error: { message: string } }): T => {
      if (!result.ok) throw new Error(result.error.message);
      return result.value;
    };
    const session = ok(await desk.call('setupFirstAdmin', { name: 'Quản trị kiểm thử', pin: ADMIN_PIN }));
    const adminId = session.clerk?.id ?? '';
    const it = ok(await desk.call('createClerk', { name: 'Cán bộ CNTT kiểm thử', pin: IT_PIN, role: 'it' }));
    return { id: it.id, adminId, args: ['--clerk', it.id], env: { MOTCUA_CLERK_PIN: IT_PIN } };
  } finally {
    await desk.close();
  }
}
