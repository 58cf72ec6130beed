/** Enrolment: the desk trades a one-time code for its device id and secret, then fetches its code range. */
import { APP_VERSION } from '../version';
import type { EngineContext } from './engine-context';
import { EnrolResponse, PATHS } from './protocol';
import { pullFeed } from './pull-feed';
import type { StoredCredentials } from './sync-db';
import { syncError } from './sync-errors';
import { commonFailure, errorCodeOf, SyncHttp, unexpected } from './sync-http';

export interface Enrolment {
  deviceId: string;
  agencyCode: string;
  deskSlot: number;
}

export async function enrolDesk(
  ctx: EngineContext & { fetchImpl: typeof fetch; requestTimeoutMs: number; deskName: string },
  serverUrl: string,
  code: string,
): Promise<Enrolment> {
  let base: URL;
  try {
    base = new URL(serverUrl);
    if (base.protocol !== 'http:' && base.protocol !== 'https:') throw new Error('not http(s)');
  } catch (error) {
    throw syncError('bad-server-url', 'stop', `bad server URL: ${(error as Error).message}`, {
      detail: serverUrl,
    });
  }
  const origin = base.origin;
  const http = new SyncHttp(null, origin, ctx.fetchImpl, ctx.clock, ctx.requestTimeoutMs);
  const answer = await http.request('POST', PATHS.enrol, {
    unsigned: true,
    json: {
      code: code.trim(),
      deskName: ctx.deskName.slice(0, 200),
      appVersion: APP_VERSION.slice(0, 40),
    },
  });
  if (answer.status === 403 && errorCodeOf(answer) === 'enrolment-code-invalid') {
    throw syncError('enrolment-code-invalid', 'stop', 'enrolment code refused', {}, 403);
  }
  if (answer.status === 400)
    throw syncError('enrolment-code-invalid', 'stop', 'enrolment request refused (400)');
  if (answer.status !== 200) throw commonFailure(answer, 'enrol', ctx.clock) ?? unexpected(answer, 'enrol');
  const parsed = EnrolResponse.safeParse(answer.json);
  if (!parsed.success) throw syncError('bad-answer', 'retry', 'enrol answer does not match the schema');
  const enrolled = parsed.data;
  ctx.db.saveCredentials({
    serverUrl: origin,
    deviceId: enrolled.deviceId,
    secret: enrolled.secret,
    agencyCode: enrolled.MaCoQuan,
    deskSlot: enrolled.deskSlot,
    deskName: ctx.deskName,
    enrolledAt: enrolled.enrolledAt,
  });
  return { deviceId: enrolled.deviceId, agencyCode: enrolled.MaCoQuan, deskSlot: enrolled.deskSlot };
}

/** The code range comes through the feed: fetch it at once so the desk can issue codes. */
export async function firstPull(ctx: EngineContext): Promise<void> {
  try {
    const creds = ctx.db.credentials() as StoredCredentials;
    await pullFeed(ctx, ctx.httpFor(creds), creds);
  } catch (error) {
    ctx.logger.warn('sync.enrol.first-pull-failed', { error: (error as Error).message });
  }
}
