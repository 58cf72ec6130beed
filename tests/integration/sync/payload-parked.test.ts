/**
 * No silent catch in the payload: a dossier whose applicant JSON does not parse is parked with a reason the IT
 * officer reads (the outbox row `motcua queue` lists), never sent without its phone, email and address.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { vi } from '../../../electron/api/i18n';
import { silentLogger } from '../../../electron/services/logging/logger';
import { openStore, type Store } from '../../../electron/services/store/store';
import { SyncEngine } from '../../../electron/services/sync/sync-engine';
import {
  issueEnrolCode,
  queueInto,
  type SyncTestServer,
  serverDossiers,
  startSyncServer,
} from '../../support/sync-fixtures';

let server: SyncTestServer;
let dataDir: string;
let store: Store;
let engine: SyncEngine;

beforeAll(async () => {
  server = await startSyncServer();
  dataDir = mkdtempSync(join(tmpdir(), 'motcua-payload-parked-'));
  store = openStore(dataDir);
  engine = new SyncEngine({ store, logger: silentLogger, retry: { baseMs: 10, maxMs: 50, giveUpAfter: 3 } });
  await engine.enrol(server.url, await issueEnrolCode(server));
});

afterAll(async () => {
  await engine?.stop();
  store?.close();
  await server?.stop();
  rmSync(dataDir, { recursive: true, force: true });
});

describe('a dossier whose applicant data does not parse', () => {
  it('is parked with the reason shown in the queue, and the next dossier still goes', async () => {
    const [broken, fine] = await queueInto(store, 2, { pages: 1, components: 1, seed: 5 });
    if (!broken || !fine) throw new Error('two dossiers expected');
    store.db.prepare(`UPDATE dossiers SET applicant_json = '{"phone": "0912' WHERE id = ?`).run(broken.id);

    const report = await engine.syncOnce();
    expect(report).toMatchObject({ pushed: 1, parked: 1 });

    // What `motcua queue` lists for a parked dossier: parked_code and last_error of its outbox row.
    const row = store.db
      .prepare(`SELECT status, parked_code, last_error FROM outbox WHERE dossier_id = ?`)
      .get(broken.id) as { status: string; parked_code: string; last_error: string };
    expect(row.status).toBe('parked');
    expect(row.parked_code).toBe('bad-payload');
    expect(row.last_error).toContain(broken.code);
    expect(row.last_error).toContain(vi.rooms.payload.applicantUnreadable);
    expect(engine.state()).toMatchObject({ parked: 1, pending: 0 });

    const held = await serverDossiers(server);
    expect(held.some((d) => d.DeskUuid === broken.id)).toBe(false);
    expect(held.find((d) => d.DeskUuid === fine.id)?.committed).toBe(true);
  });
});
