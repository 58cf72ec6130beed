/** Pulling the provincial change feed: page after page from the stored cursor, applied idempotently. */
import type { EngineContext } from './engine-context';
import { applyChangesPage } from './feed-apply';
import { ChangesResponse, CursorAheadBody, LIMITS, PATHS } from './protocol';
import { STATE_KEYS, type StoredCredentials } from './sync-db';
import { syncError } from './sync-errors';
import { commonFailure, errorCodeOf, type SyncHttp, unexpected } from './sync-http';

const MAX_FEED_PAGES_PER_RUN = 50;
const FEED_PAGE = 200;

/** Pulls feed pages until the server has no more; returns how many entries were applied. */
export async function pullFeed(
  ctx: EngineContext,
  http: SyncHttp,
  creds: StoredCredentials,
  signal?: AbortSignal,
): Promise<number> {
  let applied = 0;
  for (let page = 0; page < MAX_FEED_PAGES_PER_RUN; page++) {
    const cursor = ctx.db.get(STATE_KEYS.cursor) ?? '0';
    const answer = await http.request(
      'GET',
      `${PATHS.changes}?cursor=${encodeURIComponent(cursor)}&limit=${FEED_PAGE}`,
      { signal },
    );
    if (answer.status === 409 && errorCodeOf(answer) === 'cursor-ahead') {
      const ahead = CursorAheadBody.safeParse(answer.json);
      // The server was restored from a backup: start over; entries are applied idempotently by content.
      ctx.logger.warn('sync.feed.cursor-ahead', {
        cursor,
        latest: ahead.success ? ahead.data.latestCursor : null,
      });
      ctx.store.db.transaction(() => {
        ctx.db.set(STATE_KEYS.cursor, '0');
        ctx.store.db.prepare('DELETE FROM sync_applied_changes').run();
      })();
      continue;
    }
    if (answer.status !== 200)
      throw commonFailure(answer, 'changes', ctx.clock) ?? unexpected(answer, 'changes');
    const envelope = ChangesResponse.pick({ nextCursor: true, hasMore: true }).safeParse(answer.json);
    const changes = (answer.json as { changes?: unknown } | undefined)?.changes;
    if (
      !envelope.success ||
      !Array.isArray(changes) ||
      changes.length > LIMITS.changesPerPage ||
      envelope.data.nextCursor.length > 200
    ) {
      throw syncError('bad-answer', 'retry', 'changes answer does not match the schema');
    }
    const { nextCursor, hasMore } = envelope.data;
    const outcome = applyChangesPage(
      { db: ctx.store.db, deviceId: creds.deviceId, clock: ctx.clock, logger: ctx.logger },
      changes,
      () => ctx.db.set(STATE_KEYS.cursor, nextCursor),
    );
    applied += outcome.applied;
    if (!hasMore || nextCursor === cursor) break;
  }
  return applied;
}
