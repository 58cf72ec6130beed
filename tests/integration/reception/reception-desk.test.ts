import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { DeskCallName, DeskCalls, DeskEvents, ScanSettingsView } from '../../../electron/api/desk-api';
import { formatVietnamDateTime } from '../../../electron/services/calendar/civil-date';
import { Desk } from '../../../electron/services/desk/desk';
import { silentLogger } from '../../../electron/services/logging/logger';
import { value } from '../../support/desk-call';
import { pdfInfo, pdfText } from '../../support/poppler';
import { adminCall, issueEnrolCode, startSyncServer } from '../../support/sync-fixtures';

/**
 * The reception workflow through the desk API, against real SQLite, the libsane `test` ADF (SANE_CONFIG_DIR from
 * vitest), the real catalog sample, calendar, code issuer, audit log and form templates.
 */
const small: ScanSettingsView = { source: 'adf', resolution: 75, mode: 'gray', pageSize: 'A5' };
const applicant = {
  fullName: 'Lê Thị Hồng Nhung',
  idNumber: '038192004517',
  dateOfBirth: '1992-03-15',
  sex: 'Nữ',
  address: 'Thôn Đông Hải, Quảng Phú, Thanh Hóa',
};
const opened: { desk: Desk; dir: string }[] = [];
afterEach(async () => {
  for (const { desk, dir } of opened.splice(0)) {
    await desk.close();
    rmSync(dir, { recursive: true, force: true });
  }
});

/** Wednesday 20/05/2026 09:00 in Vietnam; the test moves it by hand. */
function manualClock() {
  let now = Date.parse('2026-05-20T02:00:00Z');
  return Object.assign(() => new Date(now), { advance: (ms: number) => (now += ms) });
}

function openDesk() {
  const dir = mkdtempSync(join(tmpdir(), 'motcua-reception-desk-'));
  writeFileSync(
    join(dir, 'config.json'),
    JSON.stringify({
      agencyCode: '000.17.22.H56',
      agencyName: 'UBND xã Quảng Phú',
      deskSlot: 0,
      scan: { removeBlankPages: false },
    }),
  );
  const clock = manualClock();
  const desk = new Desk({ dataDir: dir, networkPollMs: 0, clock, logger: silentLogger });
  opened.push({ desk, dir });
  return { desk, clock };
}

/** A call's error (code and Vietnamese message), failing the test when it succeeds. */
async function failure<K extends DeskCallName>(desk: Desk, name: K, input: DeskCalls[K]['input']) {
  const result = await desk.call(name, input);
  if (result.ok) throw new Error(`${name} succeeded`);
  return result.error;
}

async function scanBatch(desk: Desk, settings = small): Promise<string> {
  const { batchId } = await value(desk.call('startScan', { deviceId: 'test:0', settings }));
  await new Promise<void>((resolve) => {
    const off = desk.events.subscribe((event, payload) => {
      if (event === 'scanEnded' && (payload as DeskEvents['scanEnded']).batchId === batchId) {
        off();
        resolve();
      }
    });
  });
  return batchId;
}

async function signedInAdmin(desk: Desk) {
  const session = await value(desk.call('setupFirstAdmin', { name: 'Nguyễn Văn An', pin: '2468' }));
  if (!session.clerk) throw new Error('no clerk after setup');
  return session.clerk;
}

const pdfOf = (base64: string) => new Uint8Array(Buffer.from(base64, 'base64'));

describe('reception at the desk', () => {
  it('refuses every reception call until a clerk signs in', async () => {
    const { desk } = openDesk();
    expect(await value(desk.call('getSession', null))).toMatchObject({ clerk: null, needsSetup: true });
    const error = await failure(desk, 'searchProcedures', { query: 'khai sinh' });
    expect(error.code).toBe('forbidden');
    expect(error.message).toMatch(/đăng nhập/);
  });

  it('receives a birth registration: scans, code, due date, receipt, audit, outbox', async () => {
    const { desk } = openDesk();
    const admin = await signedInAdmin(desk);
    const [found] = await value(desk.call('searchProcedures', { query: 'dang ky khai sinh' }));
    expect(found).toMatchObject({ code: '1.001193', sample: true, processingTime: { amount: 1 } });

    const draft = await value(
      desk.call('startReception', {
        procedureCode: '1.001193',
        applicant,
        prefill: { prefilled: 5, typed: 1 },
      }),
    );
    expect(draft.status).toBe('draft');
    expect(draft.components.map((c) => [c.code, c.required, c.status])).toEqual([
      ['KS-01', true, 'missing'],
      ['KS-02', true, 'missing'],
      ['KS-03', false, 'missing'],
      ['KS-04', false, 'missing'],
    ]);
    // Wednesday 09:00 + 1 working day, previewed while draft.
    expect(draft.dueAt).toBe('2026-05-21T02:00:00.000Z');

    const batchId = await scanBatch(desk);
    const early = await failure(desk, 'completeReception', { dossierId: draft.dossierId });
    expect(early.message).toContain('Tờ khai đăng ký khai sinh');

    for (const componentCode of ['KS-01', 'KS-02', 'KS-03'])
      await value(desk.call('attachScan', { dossierId: draft.dossierId, componentCode, batchId }));
    const { view, receiptPdfBase64 } = await value(
      desk.call('completeReception', { dossierId: draft.dossierId }),
    );
    expect(view.status).toBe('received');
    expect(view.code).toBe('000.17.22.H56-260520-0001');
    expect(view.components.filter((c) => c.status === 'scanned').map((c) => c.pageCount)).toEqual([
      10, 10, 10,
    ]);
    expect(view.dueAt).toBe('2026-05-21T02:00:00.000Z');

    const text = pdfText(pdfOf(receiptPdfBase64)).replace(/\s+/g, ' ');
    expect(text).toContain('000.17.22.H56-260520-0001');
    expect(text).toContain('Lê Thị Hồng Nhung');
    expect(text).toContain('Tờ khai đăng ký khai sinh');
    expect(text).toContain('Giấy chứng nhận kết hôn');
    expect(text).toContain(formatVietnamDateTime(new Date(view.dueAt)));
    expect(text).toContain('Nguyễn Văn An');

    const db = desk.store.db;
    const files = db
      .prepare(
        'SELECT component_code, source, page_count, blob_sha256 FROM dossier_files WHERE dossier_id = ?',
      )
      .all(draft.dossierId) as { component_code: string; source: string; blob_sha256: string }[];
    expect(files.map((f) => f.source)).toEqual(['scan', 'scan', 'scan']);
    const stored = await desk.store.blobs.read(files[0]?.blob_sha256 ?? '', '.pdf');
    expect((await pdfInfo(stored)).pages).toBe(10);
    expect(db.prepare(`SELECT COUNT(*) AS n FROM outbox WHERE dossier_id = ?`).get(draft.dossierId)).toEqual({
      n: 1,
    });
    const actions = desk.reception.audit.recent(50).map((e) => [e.action, e.clerkId]);
    expect(actions).toEqual(
      expect.arrayContaining([
        ['dossier.receive', admin.id],
        ['dossier-code.issue', admin.id],
        ['dossier.attach-scan', admin.id],
      ]),
    );
    expect(desk.reception.audit.verify().ok).toBe(true);
    // The reprint is the very document printed.
    const again = await value(desk.call('getDossierForm', { dossierId: draft.dossierId, form: 'receipt' }));
    expect(again.pdfBase64).toBe(receiptPdfBase64);
    // Received: its components no longer change.
    const late = await failure(desk, 'attachScan', {
      dossierId: draft.dossierId,
      componentCode: 'KS-04',
      batchId,
    });
    expect(late.code).toBe('conflict');

    // Once-only: the same applicant's next dossier reuses what was digitized, without a scan.
    const second = await value(desk.call('startReception', { procedureCode: '1.001193', applicant }));
    const reusable = second.reusable.filter((d) => d.source === 'desk');
    expect(reusable.map((d) => d.componentCode).sort()).toEqual(['KS-01', 'KS-02', 'KS-03']);
    expect(reusable.every((d) => d.dossierCode === view.code)).toBe(true);
    for (const code of ['KS-01', 'KS-02']) {
      const doc = reusable.find((d) => d.componentCode === code);
      await value(
        desk.call('reuseDocument', {
          dossierId: second.dossierId,
          componentCode: code,
          documentId: doc?.documentId ?? '',
        }),
      );
    }
    const done = await value(desk.call('completeReception', { dossierId: second.dossierId }));
    expect(done.view.code).toBe('000.17.22.H56-260520-0002');
    expect(done.view.components.slice(0, 2)).toEqual([
      expect.objectContaining({
        status: 'reused',
        reusedFrom: expect.objectContaining({ dossierCode: view.code }),
      }),
      expect.objectContaining({ status: 'reused' }),
    ]);
    const reused = db
      .prepare('SELECT source, blob_sha256, source_batch_id FROM dossier_files WHERE dossier_id = ?')
      .all(second.dossierId) as { source: string; blob_sha256: string; source_batch_id: string | null }[];
    expect(reused.map((f) => f.source)).toEqual(['reused-desk', 'reused-desk']);
    expect(reused.every((f) => f.source_batch_id === null)).toBe(true);
    expect(reused[0]?.blob_sha256).toBe(files[0]?.blob_sha256);
    // Another applicant is offered nothing of hers.
    const stranger = await value(
      desk.call('startReception', {
        procedureCode: '1.001193',
        applicant: { fullName: 'Trần Văn Bình', idNumber: '038090001234' },
      }),
    );
    expect(stranger.reusable).toEqual([]);

    expect(await value(desk.call('prefillReport', {}))).toEqual([
      { procedureCode: '1.001193', procedureName: 'Đăng ký khai sinh', dossiers: 2, prefilled: 5, typed: 1 },
    ]);
  });

  it('one supplement list; a second request is flagged overdue; then received under the same code', async () => {
    const { desk } = openDesk();
    await signedInAdmin(desk);
    const draft = await value(desk.call('startReception', { procedureCode: '1.001193', applicant }));
    const bad = await failure(desk, 'requestSupplement', {
      dossierId: draft.dossierId,
      componentCodes: ['KS-99'],
    });
    expect(bad.code).toBe('invalid-input');
    const first = await value(
      desk.call('requestSupplement', { dossierId: draft.dossierId, componentCodes: ['KS-01', 'KS-02'] }),
    );
    expect(first.countsAsOverdue).toBe(false);
    expect(first.view).toMatchObject({ status: 'supplement-requested', code: '000.17.22.H56-260520-0001' });
    expect(pdfText(pdfOf(first.pdfBase64))).toContain('Giấy chứng sinh');
    const second = await value(
      desk.call('requestSupplement', {
        dossierId: draft.dossierId,
        componentCodes: ['KS-02'],
        note: 'Thiếu bản chính',
      }),
    );
    expect(second.countsAsOverdue).toBe(true);

    // Black and white this time: the component PDFs are CCITT G4, encoded on the imaging thread.
    const batchId = await scanBatch(desk, { ...small, mode: 'bw' });
    await value(desk.call('attachScan', { dossierId: draft.dossierId, componentCode: 'KS-01', batchId }));
    await value(desk.call('attachScan', { dossierId: draft.dossierId, componentCode: 'KS-02', batchId }));
    const { view } = await value(desk.call('completeReception', { dossierId: draft.dossierId }));
    expect(view).toMatchObject({ status: 'received', code: '000.17.22.H56-260520-0001' });
    const file = desk.store.db
      .prepare("SELECT blob_sha256 FROM dossier_files WHERE dossier_id = ? AND component_code = 'KS-01'")
      .pluck()
      .get(draft.dossierId) as string;
    const pdf = Buffer.from(await desk.store.blobs.read(file, '.pdf')).toString('latin1');
    expect(pdf).toContain('/CCITTFaxDecode');
  });

  it('refuses a dossier with the reason on the form; a refused dossier is closed', async () => {
    const { desk } = openDesk();
    await signedInAdmin(desk);
    const draft = await value(desk.call('startReception', { procedureCode: '1.001193', applicant }));
    const refused = await value(
      desk.call('refuseDossier', {
        dossierId: draft.dossierId,
        reason: 'Không thuộc thẩm quyền giải quyết của xã',
      }),
    );
    expect(refused.view.status).toBe('refused');
    expect(pdfText(pdfOf(refused.pdfBase64)).replace(/\s+/g, ' ')).toContain(
      'Không thuộc thẩm quyền giải quyết của xã',
    );
    const after = await failure(desk, 'completeReception', { dossierId: draft.dossierId });
    expect(after.code).toBe('conflict');
    const form = await value(desk.call('getDossierForm', { dossierId: draft.dossierId, form: 'refusal' }));
    expect(form.pdfBase64).toBe(refused.pdfBase64);
  });

  it("once-only from the province: a document of the citizen's store fills a component, flagged for sync", async () => {
    const server = await startSyncServer();
    try {
      const { desk } = openDesk();
      await signedInAdmin(desk);
      await value(desk.call('enrolDesk', { serverUrl: server.url, code: await issueEnrolCode(server) }));
      const content = Buffer.from('%PDF-1.4 giấy chứng nhận kết hôn bản điện tử');
      await adminCall(server, 'POST', '/v1/admin/citizen-documents', {
        SoGiayTo: applicant.idNumber,
        TenGiayTo: 'Giấy chứng nhận kết hôn',
        MaTTHC: '1.000894',
        MaThanhPhanHoSo: 'KS-03',
        MaHoSo: '000.17.22.H56-250101-0007',
        DuocLayTuKhoDMQG: true,
        MimeType: 'application/pdf',
        contentBase64: content.toString('base64'),
      });
      const draft = await value(desk.call('startReception', { procedureCode: '1.001193', applicant }));
      const offered = draft.reusable.find((d) => d.source === 'province');
      expect(offered).toMatchObject({
        componentCode: 'KS-03',
        title: 'Giấy chứng nhận kết hôn',
        dossierCode: '000.17.22.H56-250101-0007',
      });
      const view = await value(
        desk.call('reuseDocument', {
          dossierId: draft.dossierId,
          componentCode: 'KS-03',
          documentId: offered?.documentId ?? '',
        }),
      );
      expect(view.components[2]).toMatchObject({
        status: 'reused',
        reusedFrom: { source: 'province', title: 'Giấy chứng nhận kết hôn' },
      });
      const file = desk.store.db
        .prepare('SELECT source, store_document_id, blob_sha256 FROM dossier_files WHERE dossier_id = ?')
        .get(draft.dossierId) as { source: string; store_document_id: string; blob_sha256: string };
      expect(file.source).toBe('reused-province');
      expect(`province:${file.store_document_id}`).toBe(offered?.documentId);
      expect(Buffer.from(await desk.store.blobs.read(file.blob_sha256, '.pdf')).equals(content)).toBe(true);
    } finally {
      await server.stop();
    }
  });
});
