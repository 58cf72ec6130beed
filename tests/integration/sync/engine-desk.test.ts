/** The Desk's sync calls and events: enrolDesk, getSyncState, syncNow → syncState, queue and province status. */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { SyncStateView } from '../../../electron/api/desk-api';
import { Desk } from '../../../electron/services/desk/desk';
import { silentLogger } from '../../../electron/services/logging/logger';
import { signInDesk } from '../../support/desk-call';
import { issueEnrolCode, queueInto, type SyncTestServer, startSyncServer } from '../../support/sync-fixtures';

let server: SyncTestServer;
let dataDir: string;
let desk: Desk;

beforeAll(async () => {
  server = await startSyncServer();
  dataDir = mkdtempSync(join(tmpdir(), 'motcua-sync-desk-'));
  desk = await signInDesk(new Desk({ dataDir, networkPollMs: 0, logger: silentLogger }));
});

afterAll(async () => {
  await desk?.close();
  await server?.stop();
  rmSync(dataDir, { recursive: true, force: true });
});

describe('desk sync calls', () => {
  it('enrols through the desk API, with a Vietnamese answer for a bad code', async () => {
    const before = await desk.call('getSyncState', undefined);
    expect(before.ok && before.value.enrolled).toBe(false);
    const bad = await desk.call('enrolDesk', { serverUrl: server.url, code: 'SAI-MA-DANG-KY' });
    expect(bad.ok).toBe(false);
    if (!bad.ok)
      expect(bad.error).toMatchObject({ code: 'forbidden', message: expect.stringMatching(/Mã đăng ký/) });
    const good = await desk.call('enrolDesk', { serverUrl: server.url, code: await issueEnrolCode(server) });
    expect(good.ok && good.value.agencyCode).toBe('000.17.22.H56');
  });

  it('syncs on "Đồng bộ ngay", pushes syncState events, and shows the province status in the list', async () => {
    await queueInto(desk.store, 2, { pages: 1, components: 1, pageSize: 'small', seed: 31 });
    expect(desk.status().queue).toEqual({ pending: 2, failed: 0 });
    const events: SyncStateView[] = [];
    const finished = new Promise<void>((resolve) => {
      desk.events.subscribe((event, payload) => {
        if (event !== 'syncState') return;
        const state = payload as SyncStateView;
        events.push(state);
        if (!state.running && state.pending === 0) resolve();
      });
    });
    const now = await desk.call('syncNow', undefined);
    expect(now.ok).toBe(true);
    await finished;
    expect(events.some((s) => s.running)).toBe(true);
    expect(desk.status().queue).toEqual({ pending: 0, failed: 0 });
    const list = await desk.call('listDossiers', {});
    expect(list.ok && list.value.map((d) => d.provinceStatus)).toEqual([2, 2]);
    expect(list.ok && list.value.map((d) => d.status)).toEqual(['synced', 'synced']);
  });
});
