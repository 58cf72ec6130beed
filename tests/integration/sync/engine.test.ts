/**
 * The desk's sync engine against the real reference server over real HTTP: enrolment, pushing dossiers with
 * real multi-page PDFs (tus, several chunks each), idempotent re-runs, parking a conflict, stopping when
 * revoked, applying the change feed, and once-only document lookup.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadOfficialTables } from '../../../electron/services/calendar/official-tables-store';
import { ProcedureCatalog } from '../../../electron/services/catalog/procedure-catalog';
import { silentLogger } from '../../../electron/services/logging/logger';
import { openStore, type Store } from '../../../electron/services/store/store';
import { sha256OfBody } from '../../../electron/services/sync/protocol';
import { SyncEngine, type SyncState } from '../../../electron/services/sync/sync-engine';
import {
  adminCall,
  arrivalProblems,
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
const states: SyncState[] = [];

beforeAll(async () => {
  server = await startSyncServer();
  dataDir = mkdtempSync(join(tmpdir(), 'motcua-sync-engine-'));
  store = openStore(dataDir);
  engine = new SyncEngine({
    store,
    logger: silentLogger,
    chunkBytes: 64 * 1024,
    deskName: 'Quầy 1 - kiểm thử',
    retry: { baseMs: 10, maxMs: 50, giveUpAfter: 3 },
    outboxPollMs: 50,
    onState: (state) => states.push(state),
  });
});

afterAll(async () => {
  await engine?.stop();
  store?.close();
  await server?.stop();
  rmSync(dataDir, { recursive: true, force: true });
});

async function waitFor(check: () => boolean, timeoutMs = 15_000): Promise<void> {
  const until = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > until) throw new Error('condition not met in time');
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
}

const outbox = () =>
  store.db.prepare('SELECT id, dossier_id, status, parked_code FROM outbox ORDER BY id').all() as {
    id: number;
    dossier_id: string;
    status: string;
    parked_code: string | null;
  }[];

describe('sync engine', () => {
  it('refuses to sync before enrolment and says so in Vietnamese', async () => {
    const report = await engine.syncOnce();
    expect(report.failed).toBe(1);
    expect(engine.state().enrolled).toBe(false);
    expect(engine.state().lastError?.code).toBe('not-enrolled');
    expect(engine.state().lastError?.clerkMessage).toMatch(/chưa được đăng ký/);
  });

  it('enrols with a one-time code, stores the credentials and takes the code range from the feed', async () => {
    const code = await issueEnrolCode(server);
    const enrolled = await engine.enrol(server.url, code);
    expect(enrolled.agencyCode).toBe('000.17.22.H56');
    expect(enrolled.deskSlot).toBeGreaterThanOrEqual(1);
    const state = engine.state();
    expect(state).toMatchObject({ enrolled: true, deviceId: enrolled.deviceId, revoked: false });
    const ranges = store.db
      .prepare('SELECT agency_code, first_seq, last_seq, source FROM dossier_code_ranges')
      .all();
    expect(ranges).toEqual([
      {
        agency_code: '000.17.22.H56',
        first_seq: enrolled.deskSlot * 1000 + 1,
        last_seq: enrolled.deskSlot * 1000 + 999,
        source: 'slot',
      },
    ]);
    // A used code does not work twice.
    await expect(engine.enrol(server.url, code)).rejects.toMatchObject({ code: 'enrolment-code-invalid' });
  });

  it('pushes 3 dossiers with multi-page PDFs: on the server, committed, every SHA-256 verified', async () => {
    const queued = await queueInto(store, 3, { pages: 2, components: 2, seed: 7 });
    expect(engine.state().pending).toBe(3);
    expect(engine.state().bytesPending).toBe(queued.flatMap((d) => d.files).reduce((s, f) => s + f.bytes, 0));
    const report = await engine.syncOnce();
    expect(report).toMatchObject({ pushed: 3, parked: 0, failed: 0 });
    // Files are larger than a chunk, so each went up in several PATCHes.
    expect(Math.max(...queued.flatMap((d) => d.files.map((f) => f.bytes)))).toBeGreaterThan(64 * 1024);
    expect(report.bytesSent).toBe(queued.flatMap((d) => d.files).reduce((s, f) => s + f.bytes, 0));
    expect(report.bytesResent).toBe(0);
    expect(await arrivalProblems(server, queued)).toEqual([]);
    expect(outbox().map((r) => r.status)).toEqual(['done', 'done', 'done']);
    const rows = store.db
      .prepare('SELECT status, province_status, province_confirmed_at FROM dossiers ORDER BY code')
      .all() as { status: string; province_status: number; province_confirmed_at: string | null }[];
    for (const row of rows) {
      expect(row.status).toBe('synced');
      expect(row.province_status).toBe(2);
      expect(row.province_confirmed_at).not.toBeNull();
    }
    const state = engine.state();
    expect(state).toMatchObject({ pending: 0, bytesPending: 0, parked: 0, lastError: null, running: false });
    expect(state.lastSuccessAt).not.toBeNull();
    expect(states.some((s) => s.running)).toBe(true);
  });

  it('is idempotent: a re-run sends nothing, and a row re-queued after a lost answer sends no bytes', async () => {
    const before = await serverDossiers(server);
    const again = await engine.syncOnce();
    expect(again).toMatchObject({ pushed: 0, failed: 0, bytesSent: 0 });
    // As if the process died after the commit reached the server but before the desk recorded it.
    store.db.prepare(`UPDATE outbox SET status = 'in-flight', stage = 'uploaded' WHERE id = 1`).run();
    store.db.prepare('UPDATE sync_uploads SET received_at = NULL').run();
    const resumed = await engine.syncOnce();
    expect(resumed).toMatchObject({ pushed: 1, failed: 0, bytesSent: 0 });
    const after = await serverDossiers(server);
    expect(after.map((d) => [d.DeskUuid, d.revision, d.committed])).toEqual(
      before.map((d) => [d.DeskUuid, d.revision, d.committed]),
    );
  });

  it('resumes an interrupted upload from the server offset, resending at most one chunk', async () => {
    const [dossier] = await queueInto(store, 1, { pages: 3, components: 1, seed: 11, firstSequence: 1100 });
    const controller = new AbortController();
    let patches = 0;
    // Abort once the second chunk went through: a kill in the middle of the file.
    const aborting = new SyncEngine({
      store,
      logger: silentLogger,
      chunkBytes: 32 * 1024,
      fetchImpl: async (input, init) => {
        const response = await fetch(input, init);
        if (init?.method === 'PATCH' && ++patches === 2) controller.abort();
        return response;
      },
    });
    const cut = await aborting.syncOnce(controller.signal);
    expect(cut.pushed).toBe(0);
    expect(outbox().at(-1)?.status).toBe('in-flight');
    const resumed = await engine.syncOnce();
    expect(resumed).toMatchObject({ pushed: 1, failed: 0 });
    expect(resumed.bytesResent).toBeLessThanOrEqual(64 * 1024);
    expect(cut.bytesSent + resumed.bytesSent).toBeLessThan((dossier?.files[0]?.bytes ?? 0) + 64 * 1024);
    expect(patches).toBe(2);
    const held = (await serverDossiers(server)).find((d) => d.DeskUuid === dossier?.id);
    expect(held?.committed).toBe(true);
    expect(held?.files.every((f) => f.received)).toBe(true);
  });

  it('parks a dossier that conflicts with its committed version and goes on with the next ones', async () => {
    const first = outbox()[0] as { dossier_id: string };
    // The clerk changed a committed dossier: the server keeps its version, a person must decide.
    store.db.prepare(`UPDATE dossiers SET applicant_name = 'Tên đã sửa' WHERE id = ?`).run(first.dossier_id);
    const now = new Date().toISOString();
    store.db
      .prepare(`INSERT INTO outbox (dossier_id, kind, created_at, updated_at) VALUES (?, 'dossier', ?, ?)`)
      .run(first.dossier_id, now, now);
    const [next] = await queueInto(store, 1, { pages: 1, components: 1, seed: 3, firstSequence: 1200 });
    const report = await engine.syncOnce();
    expect(report).toMatchObject({ pushed: 1, parked: 1 });
    const rows = outbox();
    expect(rows.at(-2)).toMatchObject({ status: 'parked', parked_code: 'dossier-conflict' });
    expect(rows.at(-1)).toMatchObject({ dossier_id: next?.id, status: 'done' });
    const state = engine.state();
    expect(state.parked).toBe(1);
    expect(state.lastError?.clerkMessage).toMatch(/ChuHoSo/);
    expect(state.lastError?.clerkMessage).toMatch(/Cần cán bộ kiểm tra/);
  });

  it('applies the change feed: status with progress, catalog, holidays, code range — once', async () => {
    const deviceId = engine.state().deviceId as string;
    const target = outbox().find((r) => r.status === 'done') as { dossier_id: string };
    await adminCall(server, 'POST', `/v1/admin/dossiers/${target.dossier_id}/status`, {
      TrangThaiHoSo: 4,
      TienTrinh: [
        {
          NguoiXuLy: 'Trần Văn Bình',
          ChucDanh: 'Công chức tư pháp - hộ tịch',
          ThoiDiemXuLy: '20260302100000',
          NoiDungXuLy: 'Chuyển xử lý',
          TrangThai: 4,
        },
      ],
    });
    await adminCall(server, 'POST', '/v1/admin/changes', {
      kind: 'catalog',
      data: {
        version: 'QĐ 123/2026',
        effectiveFrom: '2026-01-01',
        procedures: [
          {
            MaTTHC: '1.004227',
            TenTTHC: 'Đăng ký kết hôn',
            MaLinhVuc: 'HT',
            ThoiHanGiaiQuyet: { value: 3, unit: 'working-days' },
            ThanhPhanHoSo: [
              { MaThanhPhanHoSo: 'TK', TenThanhPhanHoSo: 'Tờ khai đăng ký kết hôn', BatBuoc: true },
            ],
          },
        ],
      },
    });
    await adminCall(server, 'POST', '/v1/admin/changes', {
      kind: 'holidays',
      data: {
        year: 2027,
        version: '1',
        source: 'Thông báo 1/TB-BNV',
        daysOff: ['2027-02-05', '2027-02-06', '2027-02-08', '2027-04-16'],
        workingDays: ['2027-02-13'],
      },
    });
    await adminCall(server, 'POST', '/v1/admin/changes', {
      kind: 'code-range',
      deviceId,
      data: {
        MaCoQuan: '000.17.22.H56',
        deviceId,
        sequenceFrom: 9001,
        sequenceTo: 9099,
        validFrom: '2026-03-02',
        validTo: '2026-03-03',
      },
    });
    const report = await engine.syncOnce();
    expect(report.pulled).toBeGreaterThanOrEqual(4);

    const dossier = store.db
      .prepare('SELECT province_status FROM dossiers WHERE id = ?')
      .get(target.dossier_id);
    expect(dossier).toEqual({ province_status: 4 });
    const progress = () =>
      store.db
        .prepare('SELECT status, content FROM dossier_progress WHERE dossier_id = ?')
        .all(target.dossier_id);
    expect(progress()).toContainEqual({ status: 4, content: 'Chuyển xử lý' });
    const catalog = new ProcedureCatalog(store.db);
    expect(catalog.procedure('1.004227', '2026-06-01')).toMatchObject({
      name: 'Đăng ký kết hôn',
      processingTime: { amount: 3, unit: 'working-days' },
      components: [{ code: 'TK', required: true }],
    });
    const table = loadOfficialTables(store.db).find((t) => t.year === 2027);
    expect(table?.daysOff).toEqual([
      { from: '2027-02-05', to: '2027-02-06', name: 'Thông báo 1/TB-BNV' },
      { from: '2027-02-08', to: '2027-02-08', name: 'Thông báo 1/TB-BNV' },
      { from: '2027-04-16', to: '2027-04-16', name: 'Thông báo 1/TB-BNV' },
    ]);
    const grants = store.db
      .prepare(`SELECT day, first_seq, last_seq FROM dossier_code_ranges WHERE source = 'grant' ORDER BY day`)
      .all();
    expect(grants).toEqual([
      { day: '260302', first_seq: 9001, last_seq: 9099 },
      { day: '260303', first_seq: 9001, last_seq: 9099 },
    ]);

    // At-least-once delivery, applied once: the feed from the start again changes nothing.
    const count = () =>
      (store.db.prepare('SELECT COUNT(*) AS n FROM dossier_progress').get() as { n: number }).n;
    const progressCount = count();
    store.db.prepare(`UPDATE sync_state SET value = '0' WHERE key = 'cursor'`).run();
    store.db.prepare('DELETE FROM sync_applied_changes').run();
    const again = await engine.syncOnce();
    expect(again.failed).toBe(0);
    expect(count()).toBe(progressCount);
    expect(
      store.db.prepare(`SELECT COUNT(*) AS n FROM dossier_code_ranges WHERE source = 'grant'`).get(),
    ).toEqual({
      n: 2,
    });
  });

  it('restarts the feed from 0 when the server says cursor-ahead', async () => {
    store.db.prepare(`UPDATE sync_state SET value = '999999' WHERE key = 'cursor'`).run();
    const report = await engine.syncOnce();
    expect(report.failed).toBe(0);
    expect(
      Number(store.db.prepare(`SELECT value FROM sync_state WHERE key = 'cursor'`).pluck().get()),
    ).toBeLessThan(999999);
  });

  it('looks up and downloads a citizen document the province holds, verified by SHA-256', async () => {
    const content = Buffer.from('%PDF-1.4 giấy khai sinh bản điện tử');
    await adminCall(server, 'POST', '/v1/admin/citizen-documents', {
      SoGiayTo: '038192004517',
      TenGiayTo: 'Giấy khai sinh',
      DuocLayTuKhoDMQG: true,
      MimeType: 'application/pdf',
      contentBase64: content.toString('base64'),
    });
    const documents = await engine.lookupCitizenDocuments('038192004517', '1.001193');
    expect(documents).toHaveLength(1);
    expect(documents[0]?.Sha256).toBe(sha256OfBody(content));
    const bytes = await engine.downloadCitizenDocument(documents[0] as (typeof documents)[number]);
    expect(Buffer.from(bytes).equals(content)).toBe(true);
    // A document whose declared hash is not the content's is refused.
    await expect(
      engine.downloadCitizenDocument({
        ...(documents[0] as (typeof documents)[number]),
        Sha256: 'a'.repeat(64),
      }),
    ).rejects.toMatchObject({ code: 'bad-answer' });
    await expect(engine.lookupCitizenDocuments('12345', '1.001193')).rejects.toMatchObject({
      code: 'invalid-input',
    });
  });

  it('scheduler: sends a newly queued dossier at once, backs off while the server fails, recovers', async () => {
    engine.start();
    try {
      const [first] = await queueInto(store, 1, { pages: 1, components: 1, seed: 13, firstSequence: 1400 });
      await waitFor(() => outbox().find((r) => r.dossier_id === first?.id)?.status === 'done');
      // Every upsert fails for a while: the row stays queued, the error is shown, the next try is scheduled.
      await adminCall(server, 'PUT', '/v1/admin/faults', { spec: 'error:status=503,method=PUT' });
      const [second] = await queueInto(store, 1, { pages: 1, components: 1, seed: 14, firstSequence: 1401 });
      await waitFor(() => engine.state().lastError?.code === 'server-busy');
      expect(engine.state().pending).toBe(1);
      expect(engine.state().nextAttemptAt).not.toBeNull();
      await adminCall(server, 'PUT', '/v1/admin/faults', { spec: '' });
      engine.wake();
      await waitFor(() => outbox().find((r) => r.dossier_id === second?.id)?.status === 'done');
    } finally {
      await engine.stop();
    }
    expect(engine.isScheduled()).toBe(false);
  });

  it('keeps uploads under the bandwidth cap', async () => {
    const [dossier] = await queueInto(store, 1, { pages: 2, components: 1, seed: 17, firstSequence: 1500 });
    const bytes = dossier?.files[0]?.bytes ?? 0;
    const rate = 100 * 1024;
    const capped = new SyncEngine({
      store,
      logger: silentLogger,
      chunkBytes: 64 * 1024,
      maxBytesPerSecond: rate,
    });
    const started = performance.now();
    const report = await capped.syncOnce();
    const seconds = (performance.now() - started) / 1000;
    expect(report).toMatchObject({ pushed: 1, failed: 0, bytesSent: bytes });
    // The bucket starts full (a quarter second of bytes); the rest cannot go faster than the cap.
    expect(bytes).toBeGreaterThan(rate / 2);
    expect(seconds).toBeGreaterThanOrEqual(((bytes - rate / 4) / rate) * 0.9);
  });

  it('stops and says so when the device is revoked, keeping the queue', async () => {
    const deviceId = engine.state().deviceId as string;
    await adminCall(server, 'POST', `/v1/admin/devices/${deviceId}/revoke`, {});
    const [queued] = await queueInto(store, 1, { pages: 1, components: 1, seed: 5, firstSequence: 1300 });
    const report = await engine.drain();
    expect(report.pushed).toBe(0);
    const state = engine.state();
    expect(state.revoked).toBe(true);
    expect(state.pending).toBe(1);
    expect(state.lastError?.code).toBe('revoked');
    expect(state.lastError?.clerkMessage).toMatch(/thu hồi/);
    expect(engine.stoppedBy()?.code).toBe('revoked');
    expect(outbox().find((r) => r.dossier_id === queued?.id)?.status).toBe('pending');
  });
});
