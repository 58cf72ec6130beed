/** Fleet heartbeat: after a sync the reference server lists this desk with its last beat, and nothing personal. */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Desk } from '../../../electron/services/desk/desk';
import { silentLogger } from '../../../electron/services/logging/logger';
import { heartbeatSchema } from '../../../electron/services/sync/heartbeat';
import { APP_VERSION } from '../../../electron/services/version';
import { signInDesk, value } from '../../support/desk-call';
import {
  adminCall,
  issueEnrolCode,
  queueInto,
  type SyncTestServer,
  startSyncServer,
} from '../../support/sync-fixtures';

let server: SyncTestServer;
let dataDir: string;
let desk: Desk;

beforeAll(async () => {
  server = await startSyncServer();
  dataDir = mkdtempSync(join(tmpdir(), 'motcua-heartbeat-'));
  desk = await signInDesk(new Desk({ dataDir, networkPollMs: 0, logger: silentLogger }));
});
afterAll(async () => {
  await desk?.close();
  await server?.stop();
  rmSync(dataDir, { recursive: true, force: true });
});

interface DeskList {
  staleAfterSeconds: number;
  desks: {
    deviceId: string;
    stale: boolean;
    lastHeartbeatAt: string | null;
    heartbeat: Record<string, unknown> | null;
  }[];
}

describe('fleet heartbeat', () => {
  it('appears in GET /v1/admin/desks after a sync, with no personal data', async () => {
    const enrolled = await value(
      desk.call('enrolDesk', { serverUrl: server.url, code: await issueEnrolCode(server) }),
    );
    const before = await adminCall<DeskList>(server, 'GET', '/v1/admin/desks');
    expect(before.desks.find((d) => d.deviceId === enrolled.deviceId)).toMatchObject({
      stale: true,
      heartbeat: null,
    });

    await queueInto(desk.store, 2, { pages: 1, components: 1, pageSize: 'small', seed: 7 });
    const names = (await value(desk.call('listDossiers', {}))).map((d) => d.applicantName);
    expect(names).toHaveLength(2);
    await desk.sync.syncOnce();

    const after = await adminCall<DeskList>(server, 'GET', '/v1/admin/desks');
    const mine = after.desks.find((d) => d.deviceId === enrolled.deviceId);
    expect(mine).toMatchObject({
      stale: false,
      heartbeat: { appVersion: APP_VERSION, queueDepth: 0, parked: 0 },
    });
    expect(Date.now() - Date.parse(mine?.lastHeartbeatAt ?? '')).toBeLessThan(60_000);
    expect(mine?.heartbeat?.lastSyncAt).toEqual(expect.any(String));
    expect(mine?.heartbeat?.freeDiskBytes).toBeGreaterThan(0);
    // Exactly the schema's fields: counts, ages, states, versions.
    expect(heartbeatSchema.safeParse(mine?.heartbeat).success).toBe(true);
    // Numbers are counts and byte sizes (a 12-digit free-disk figure is not an ID number): check the text.
    const text = JSON.stringify(mine?.heartbeat, (_key, v) => (typeof v === 'number' ? 0 : v));
    for (const name of names) {
      expect(text).not.toContain(name);
      for (const part of name.split(' ').filter((p) => p.length > 2)) expect(text).not.toContain(part);
    }
    expect(text).not.toMatch(/(?<!\d)(\d{12}|\d{9})(?!\d)/);
  });
});
