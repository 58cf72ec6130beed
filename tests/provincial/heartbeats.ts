/** Fleet heartbeats: desks POST one every few minutes (signed); IT lists desks and their last beat. */
import { HEARTBEAT_INTERVAL_MS, heartbeatSchema } from '../../electron/services/sync/heartbeat';
import type { Db, DeviceRow } from './db';
import { ok, parseJsonBody, type Route } from './router';

/** A desk silent for three intervals is flagged stale. */
export const STALE_AFTER_MS = 3 * HEARTBEAT_INTERVAL_MS;

function ensureTable(db: Db): void {
  db.exec(`CREATE TABLE IF NOT EXISTS heartbeats (
    device_id TEXT PRIMARY KEY,
    received_at TEXT NOT NULL,
    body_json TEXT NOT NULL
  )`);
}

export const heartbeatRoutes: Route[] = [
  {
    method: 'POST',
    pattern: /^\/v1\/heartbeat$/,
    auth: 'device',
    handle: (ctx) => {
      const beat = parseJsonBody(ctx, heartbeatSchema);
      ensureTable(ctx.state.db);
      const device = ctx.device as DeviceRow;
      ctx.state.db
        .prepare(
          `INSERT INTO heartbeats (device_id, received_at, body_json) VALUES (?, ?, ?)
           ON CONFLICT (device_id) DO UPDATE SET received_at = excluded.received_at, body_json = excluded.body_json`,
        )
        .run(device.id, new Date().toISOString(), JSON.stringify(beat));
      return ok({ received: true }, 202);
    },
  },
  {
    method: 'GET',
    pattern: /^\/v1\/admin\/desks$/,
    auth: 'admin',
    handle: (ctx) => {
      ensureTable(ctx.state.db);
      const rows = ctx.state.db
        .prepare(
          `SELECT d.id, d.desk_name, d.agency_code, d.desk_slot, d.revoked_at, h.received_at, h.body_json
           FROM devices d LEFT JOIN heartbeats h ON h.device_id = d.id ORDER BY d.enrolled_at`,
        )
        .all() as (Pick<DeviceRow, 'id' | 'desk_name' | 'agency_code' | 'desk_slot' | 'revoked_at'> & {
        received_at: string | null;
        body_json: string | null;
      })[];
      const now = Date.now();
      return ok({
        staleAfterSeconds: STALE_AFTER_MS / 1000,
        desks: rows.map((r) => ({
          deviceId: r.id,
          deskName: r.desk_name,
          MaCoQuan: r.agency_code,
          deskSlot: r.desk_slot,
          revoked: r.revoked_at !== null,
          lastHeartbeatAt: r.received_at,
          stale: r.received_at === null || now - Date.parse(r.received_at) > STALE_AFTER_MS,
          heartbeat: r.body_json ? JSON.parse(r.body_json) : null,
        })),
      });
    },
  },
];
