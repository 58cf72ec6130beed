/** The desk-facing API of protocol v1 (everything except uploads, which tus serves). */
import {
  type Change,
  CitizenLookupRequest,
  CommitRequest,
  DossierPayload,
  EnrolRequest,
  LIMITS,
  PROTOCOL_VERSION,
} from '../../electron/services/sync/protocol';
import { citizenDocumentContent, lookupCitizenDocuments } from './citizen-documents';
import { type ChangeRow, type DeviceRow, getDossier } from './db';
import { commitDossier, dossierRecord, upsertDossier } from './dossiers';
import { enrolDevice } from './enrolment';
import { ApiError } from './http-io';
import { ok, parseJsonBody, type Route, type RouteContext } from './router';

const UUID = '([0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12})';
/** How many already-delivered entries `duplicate:mode=answer` sends again. */
const DUPLICATE_ANSWER_ENTRIES = 2;

const device = (ctx: RouteContext): DeviceRow => ctx.device as DeviceRow;
const param = (ctx: RouteContext, i: number): string => (ctx.params[i] ?? '').toLowerCase();

function toChange(row: ChangeRow): Change {
  return {
    seq: String(row.seq),
    at: row.created_at,
    kind: row.kind,
    data: JSON.parse(row.data_json),
  } as Change;
}

function changes(ctx: RouteContext) {
  const cursorText = ctx.url.searchParams.get('cursor') ?? '0';
  const limitText = ctx.url.searchParams.get('limit') ?? '100';
  if (!/^\d{1,15}$/.test(cursorText))
    throw new ApiError(400, 'bad-request', 'cursor must be a value from nextCursor');
  if (!/^\d{1,4}$/.test(limitText) || Number(limitText) < 1 || Number(limitText) > LIMITS.changesPerPage) {
    throw new ApiError(400, 'bad-request', `limit must be 1..${LIMITS.changesPerPage}`);
  }
  const cursor = Number(cursorText);
  const limit = Number(limitText);
  const { db } = ctx.state;
  const latest = (db.prepare('SELECT COALESCE(MAX(seq), 0) AS seq FROM changes').get() as { seq: number })
    .seq;
  if (cursor > latest) {
    // E.g. the server was restored from a backup: the desk must start again from 0.
    throw new ApiError(409, 'cursor-ahead', 'cursor is ahead of the server; restart from cursor 0', {
      latestCursor: String(latest),
    });
  }
  const forDevice = '(device_id IS NULL OR device_id = ?)';
  const rows = db
    .prepare(`SELECT * FROM changes WHERE seq > ? AND ${forDevice} ORDER BY seq LIMIT ?`)
    .all(cursor, device(ctx).id, limit + 1) as ChangeRow[];
  const page = rows.slice(0, limit);
  const delivered = page.map(toChange);
  if (ctx.faults.duplicate === 'answer') {
    const again = db
      .prepare(`SELECT * FROM changes WHERE seq <= ? AND ${forDevice} ORDER BY seq DESC LIMIT ?`)
      .all(cursor, device(ctx).id, DUPLICATE_ANSWER_ENTRIES) as ChangeRow[];
    if (again.length > 0) ctx.faults.fired.push('duplicate-answer');
    delivered.unshift(...again.reverse().map(toChange));
  }
  const last = page.at(-1);
  return ok({
    changes: delivered,
    nextCursor: last ? String(last.seq) : cursorText,
    hasMore: rows.length > limit,
  });
}

export const apiRoutes: Route[] = [
  {
    method: 'GET',
    pattern: /^\/v1\/health$/,
    auth: 'none',
    handle: (ctx) =>
      ok({
        ok: true,
        protocol: PROTOCOL_VERSION,
        serverTime: Math.floor(ctx.state.clock().getTime() / 1000),
      }),
  },
  {
    method: 'POST',
    pattern: /^\/v1\/enrol$/,
    auth: 'none',
    maxBodyBytes: 4096,
    handle: (ctx) => ok(enrolDevice(ctx.state, parseJsonBody(ctx, EnrolRequest))),
  },
  {
    method: 'PUT',
    pattern: new RegExp(`^/v1/dossiers/${UUID}$`),
    auth: 'device',
    handle: (ctx) =>
      ok(upsertDossier(ctx.state, device(ctx), param(ctx, 0), parseJsonBody(ctx, DossierPayload))),
  },
  {
    method: 'GET',
    pattern: new RegExp(`^/v1/dossiers/${UUID}$`),
    auth: 'device',
    handle: (ctx) => {
      const row = getDossier(ctx.state.db, param(ctx, 0));
      if (!row || row.device_id !== device(ctx).id) throw new ApiError(404, 'not-found', 'no such dossier');
      return ok(dossierRecord(ctx.state, row));
    },
  },
  {
    method: 'POST',
    pattern: new RegExp(`^/v1/dossiers/${UUID}/commit$`),
    auth: 'device',
    maxBodyBytes: 4096,
    handle: (ctx) => {
      const body = parseJsonBody(ctx, CommitRequest);
      return ok(commitDossier(ctx.state, device(ctx), param(ctx, 0), body.contentSha256));
    },
  },
  { method: 'GET', pattern: /^\/v1\/changes$/, auth: 'device', handle: changes },
  {
    method: 'POST',
    pattern: /^\/v1\/citizen-documents\/lookup$/,
    auth: 'device',
    maxBodyBytes: 4096,
    handle: (ctx) => {
      const body = parseJsonBody(ctx, CitizenLookupRequest);
      const result = lookupCitizenDocuments(ctx.state, body.SoGiayTo);
      // Purpose and count are audited; the ID number is not written to the log.
      ctx.state.logger.info('citizen.lookup', {
        device: device(ctx).id,
        purpose: body.MaTTHC,
        documents: result.documents.length,
      });
      return ok(result);
    },
  },
  {
    method: 'GET',
    pattern: new RegExp(`^/v1/citizen-documents/${UUID}/content$`),
    auth: 'device',
    handle: (ctx) => {
      const { bytes, mimeType } = citizenDocumentContent(ctx.state, param(ctx, 0));
      return { status: 200, headers: { 'content-type': mimeType }, raw: bytes };
    },
  },
];
