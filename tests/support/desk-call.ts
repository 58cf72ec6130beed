import {
  type ClerkView,
  HOST_TOKEN_HEADER,
  HTTP_CALL_PREFIX,
  type SessionView,
} from '../../electron/api/desk-api';
import type { Desk } from '../../electron/services/desk/desk';

/** The value of a desk call, or its Vietnamese error message thrown: keeps tests about behaviour, not plumbing. */
export async function value<T>(
  result: Promise<{ ok: true; value: T } | { ok: false; error: { message: string } }>,
) {
  const r = await result;
  if (!r.ok) throw new Error(r.error.message);
  return r.value;
}

/** The first-run desk admin the older suites sign in as, so they start past the sign-in gate. */
export const TEST_ADMIN = { name: 'Nguyễn Văn An', pin: '1357' } as const;

/** A desk call straight to the web host, with its per-run token, as the page's own calls are made. */
export async function hostCall<T>(host: { url: string; token: string }, name: string, input: unknown) {
  const response = await fetch(new URL(`${HTTP_CALL_PREFIX.slice(1)}${name}`, host.url), {
    method: 'POST',
    headers: { 'content-type': 'application/json', [HOST_TOKEN_HEADER]: host.token },
    body: JSON.stringify(input),
  });
  if (!response.ok) throw new Error(`${name}: HTTP ${response.status}`);
  return value(
    response.json() as Promise<{ ok: true; value: T } | { ok: false; error: { message: string } }>,
  );
}

/**
 * Signs the desk session in before `page.goto`, so a suite about another screen starts past the sign-in gate:
 * creates the first admin on a fresh data dir, or signs them in again (e.g. after a host restart).
 */
export async function signInFirstAdmin(host: { url: string; token: string }): Promise<SessionView> {
  const session = await hostCall<SessionView>(host, 'getSession', null);
  if (session.needsSetup) return hostCall<SessionView>(host, 'setupFirstAdmin', TEST_ADMIN);
  if (session.clerk && !session.locked) return session;
  const clerks = await hostCall<ClerkView[]>(host, 'listClerks', null);
  const admin = clerks.find((c) => c.name === TEST_ADMIN.name);
  if (!admin) throw new Error('the test admin is not a clerk of this desk');
  return hostCall<SessionView>(host, 'signIn', { clerkId: admin.id, pin: TEST_ADMIN.pin });
}

/**
 * The same for a desk in this process (integration suites about scanning, OCR or sync): the first admin on a
 * fresh data dir, or signed in again after a restart. Every data call needs a signed-in clerk.
 */
export async function signInDesk<D extends Pick<Desk, 'call'>>(desk: D): Promise<D> {
  const session = await value(desk.call('getSession', null));
  if (session.needsSetup) await value(desk.call('setupFirstAdmin', TEST_ADMIN));
  else if (!session.clerk || session.locked) {
    const admin = (await value(desk.call('listClerks', null))).find((c) => c.name === TEST_ADMIN.name);
    if (!admin) throw new Error('the test admin is not a clerk of this desk');
    await value(desk.call('signIn', { clerkId: admin.id, pin: TEST_ADMIN.pin }));
  }
  return desk;
}
