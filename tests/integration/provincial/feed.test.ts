import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  ChangesResponse,
  CitizenLookupResponse,
  type DossierRecord,
  type EnrolResponse,
} from '../../../electron/services/sync/protocol';
import { admin, dossierPayload, enrol, sha256, signed, startTestServer, type TestServer } from './helpers';

describe('provincial server: change feed and citizen-document lookup', () => {
  let server: TestServer;
  let desk: EnrolResponse;
  let otherDesk: EnrolResponse;

  const changes = async (creds: EnrolResponse, cursor: string, limit = 100) => {
    const result = await signed(server, creds, {
      method: 'GET',
      path: `/v1/changes?cursor=${cursor}&limit=${limit}`,
    });
    expect(result.status).toBe(200);
    return ChangesResponse.parse(result.json);
  };

  beforeAll(async () => {
    server = await startTestServer();
    desk = await enrol(server, 'Quầy 1');
    otherDesk = await enrol(server, 'Quầy 2');
  });
  afterAll(() => server.stop());

  it('starts with this desk’s own dossier-code range, and never shows another desk’s', async () => {
    const feed = await changes(desk, '0');
    expect(feed.changes).toHaveLength(1);
    const [range] = feed.changes;
    expect(range?.kind).toBe('code-range');
    expect(range?.data).toMatchObject({
      MaCoQuan: '000.17.22.H56',
      deviceId: desk.deviceId,
      sequenceFrom: desk.deskSlot * 1000,
      sequenceTo: desk.deskSlot * 1000 + 999,
      validTo: null,
    });
    const other = await changes(otherDesk, '0');
    expect(other.changes.map((c) => (c.data as { deviceId?: string }).deviceId)).toEqual([
      otherDesk.deviceId,
    ]);
    expect(feed.hasMore).toBe(false);
  });

  it('delivers status, progress, catalog and holiday changes in order, page by page, exactly once', async () => {
    const start = (await changes(desk, '0')).nextCursor;

    const payload = dossierPayload([]);
    const path = `/v1/dossiers/${payload.DeskUuid}`;
    const upserted = await signed<DossierRecord>(server, desk, { method: 'PUT', path, body: payload });
    await signed(server, desk, {
      method: 'POST',
      path: `${path}/commit`,
      body: { contentSha256: upserted.json.contentSha256 },
    });
    const pushed = await admin(server, 'POST', `/v1/admin/dossiers/${payload.DeskUuid}/status`, {
      TrangThaiHoSo: 4,
      TienTrinh: [
        {
          NguoiXuLy: 'Nguyễn Văn An',
          ChucDanh: 'Công chức Tư pháp - Hộ tịch',
          ThoiDiemXuLy: '20260302100000',
          PhongBanXuLy: 'Tư pháp',
          NoiDungXuLy: 'Thẩm định hồ sơ',
          TrangThai: 4,
        },
      ],
    });
    expect(pushed.status).toBe(201);
    const catalog = await admin(server, 'POST', '/v1/admin/changes', {
      kind: 'catalog',
      data: {
        version: '2026.03',
        effectiveFrom: '2026-03-01',
        procedures: [
          {
            MaTTHC: '1.001193',
            TenTTHC: 'Đăng ký khai sinh',
            ThoiHanGiaiQuyet: { value: 1, unit: 'working-days' },
            ThanhPhanHoSo: [
              { MaThanhPhanHoSo: 'TP1', TenThanhPhanHoSo: 'Tờ khai đăng ký khai sinh', BatBuoc: true },
            ],
          },
        ],
      },
    });
    expect(catalog.status).toBe(201);
    const holidays = await admin(server, 'POST', '/v1/admin/changes', {
      kind: 'holidays',
      data: {
        year: 2026,
        version: '1',
        source: 'Thông báo 9441/TB-BNV',
        daysOff: ['2026-02-16', '2026-02-17', '2026-08-31'],
        workingDays: ['2026-08-22'],
      },
    });
    expect(holidays.status).toBe(201);

    // Two at a time: the cursor moves exactly past what was delivered.
    const page1 = await changes(desk, start, 2);
    expect(page1.changes.map((c) => c.kind)).toEqual(['dossier-status', 'dossier-status']);
    expect(page1.hasMore).toBe(true);
    const [accepted, processing] = page1.changes;
    expect(accepted?.data).toMatchObject({
      DeskUuid: payload.DeskUuid,
      MaHoSo: payload.MaHoSo,
      TrangThaiHoSo: 2,
    });
    expect(processing?.data).toMatchObject({
      TrangThaiHoSo: 4,
      TienTrinh: [
        { MaHoSo: payload.MaHoSo, NguoiXuLy: 'Nguyễn Văn An', NoiDungXuLy: 'Thẩm định hồ sơ', TrangThai: 4 },
      ],
    });
    const page2 = await changes(desk, page1.nextCursor, 2);
    expect(page2.changes.map((c) => c.kind)).toEqual(['catalog', 'holidays']);
    expect(page2.hasMore).toBe(false);
    const seqs = [...page1.changes, ...page2.changes].map((c) => Number(c.seq));
    expect(seqs).toEqual([...seqs].sort((a, b) => a - b));

    // Nothing new: same cursor back, nothing delivered twice.
    const page3 = await changes(desk, page2.nextCursor, 2);
    expect(page3).toEqual({ changes: [], nextCursor: page2.nextCursor, hasMore: false });
    // Re-reading from an older cursor re-delivers (the desk applies by seq, so it is harmless).
    expect((await changes(desk, page1.nextCursor, 10)).changes.map((c) => c.kind)).toEqual([
      'catalog',
      'holidays',
    ]);

    // The other desk sees the broadcast catalog and holidays, not this desk's dossier.
    const otherFeed = await changes(otherDesk, '0');
    expect(otherFeed.changes.map((c) => c.kind)).toEqual(['code-range', 'catalog', 'holidays']);

    const listing = await admin<{ dossiers: DossierRecord[] }>(server, 'GET', '/v1/admin/dossiers');
    expect(listing.json.dossiers.find((d) => d.DeskUuid === payload.DeskUuid)?.TrangThaiHoSo).toBe(4);
  });

  it('refuses a cursor ahead of the server and a malformed one', async () => {
    const ahead = await signed(server, desk, { method: 'GET', path: '/v1/changes?cursor=999999' });
    expect(ahead.status).toBe(409);
    expect(ahead.json.error).toBe('cursor-ahead');
    const bad = await signed(server, desk, { method: 'GET', path: '/v1/changes?cursor=-1' });
    expect(bad.status).toBe(400);
    const badLimit = await signed(server, desk, { method: 'GET', path: '/v1/changes?limit=100000' });
    expect(badLimit.status).toBe(400);
  });

  it('looks up the digitized documents held for an ID number and serves their bytes', async () => {
    const content = Buffer.from('%PDF-1.4 giay chung nhan ket hon');
    const registered = await admin(server, 'POST', '/v1/admin/citizen-documents', {
      SoGiayTo: '001095012345',
      TenGiayTo: 'Giấy chứng nhận kết hôn',
      SoKyHieu: '15/2024/GCNKH',
      NgayBanHanh: '2024-05-10',
      CoQuanBanHanh: 'UBND xã Quảng Phú',
      MaTTHC: '1.000894',
      DuocLayTuKhoDMQG: false,
      MimeType: 'application/pdf',
      contentBase64: content.toString('base64'),
    });
    expect(registered.status).toBe(201);

    const lookup = await signed(server, desk, {
      method: 'POST',
      path: '/v1/citizen-documents/lookup',
      body: { SoGiayTo: '001095012345', MaTTHC: '1.001193' },
    });
    expect(lookup.status).toBe(200);
    const parsed = CitizenLookupResponse.parse(lookup.json);
    expect(parsed.documents).toHaveLength(1);
    const [doc] = parsed.documents;
    expect(doc).toMatchObject({
      TenGiayTo: 'Giấy chứng nhận kết hôn',
      SoKyHieu: '15/2024/GCNKH',
      Sha256: sha256(content),
      Bytes: content.length,
    });
    const download = await signed(server, desk, { method: 'GET', path: doc?.contentPath ?? '' });
    expect(download.status).toBe(200);
    expect(download.json).toEqual({ raw: content.toString() });

    const nobody = await signed(server, desk, {
      method: 'POST',
      path: '/v1/citizen-documents/lookup',
      body: { SoGiayTo: '001095099999', MaTTHC: '1.001193' },
    });
    expect(nobody.json).toEqual({ SoGiayTo: '001095099999', documents: [] });
    const badId = await signed(server, desk, {
      method: 'POST',
      path: '/v1/citizen-documents/lookup',
      body: { SoGiayTo: '12345', MaTTHC: '1.001193' },
    });
    expect(badId.status).toBe(400);
    const noPurpose = await signed(server, desk, {
      method: 'POST',
      path: '/v1/citizen-documents/lookup',
      body: { SoGiayTo: '001095012345' },
    });
    expect(noPurpose.status).toBe(400);
  });
});
