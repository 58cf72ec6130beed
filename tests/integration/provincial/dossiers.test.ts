import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  type DossierRecord,
  dossierContentSha256,
  type EnrolResponse,
  signRequest,
} from '../../../electron/services/sync/protocol';
import {
  admin,
  dossierPayload,
  enrol,
  sendPrepared,
  signed,
  startTestServer,
  type TestServer,
  testFile,
  tusUpload,
} from './helpers';

describe('provincial server: dossier upsert, uploads and commit', () => {
  let server: TestServer;
  let desk: EnrolResponse;

  beforeAll(async () => {
    server = await startTestServer({ maxJsonBytes: 64 * 1024 });
    desk = await enrol(server);
  });
  afterAll(() => server.stop());

  it('upserts idempotently by desk UUID: the same content gives the same record', async () => {
    const payload = dossierPayload([testFile('don-khai-sinh.pdf', 3000)]);
    const path = `/v1/dossiers/${payload.DeskUuid}`;
    const first = await signed<DossierRecord>(server, desk, { method: 'PUT', path, body: payload });
    expect(first.status).toBe(200);
    expect(first.json).toMatchObject({ DeskUuid: payload.DeskUuid, MaHoSo: payload.MaHoSo, revision: 1 });
    expect(first.json.contentSha256).toBe(dossierContentSha256(payload));
    // Key order does not matter: the content hash is over canonical JSON.
    const reordered = Object.fromEntries(Object.entries(payload).reverse());
    const second = await signed<DossierRecord>(server, desk, { method: 'PUT', path, body: reordered });
    expect(second.status).toBe(200);
    expect(second.json).toEqual(first.json);

    const changed = await signed<DossierRecord>(server, desk, {
      method: 'PUT',
      path,
      body: { ...payload, TrichYeuHoSo: 'Đăng ký khai sinh cho con thứ hai' },
    });
    expect(changed.status).toBe(200);
    expect(changed.json.revision).toBe(2);
  });

  it('commits only when every declared file is in, then refuses conflicting content with 409', async () => {
    const files = [testFile('to-khai.pdf', 70_000, 2), testFile('giay-chung-sinh.pdf', 5_000, 3)];
    const payload = dossierPayload(files);
    const path = `/v1/dossiers/${payload.DeskUuid}`;
    const upserted = await signed<DossierRecord>(server, desk, { method: 'PUT', path, body: payload });
    expect(upserted.json.files.map((f) => f.received)).toEqual([false, false]);
    const contentSha256 = upserted.json.contentSha256;
    const commit = () =>
      signed(server, desk, { method: 'POST', path: `${path}/commit`, body: { contentSha256 } });

    const early = await commit();
    expect(early.status).toBe(409);
    expect(early.json.error).toBe('files-missing');
    expect((early.json.missing as { TepDinhKemId: string }[]).map((m) => m.TepDinhKemId)).toEqual(
      files.map((f) => f.id),
    );

    const [firstFile, secondFile] = files as [(typeof files)[0], (typeof files)[0]];
    expect((await tusUpload(server, desk, payload.DeskUuid, firstFile)).ok).toBe(true);
    const half = await commit();
    expect(half.status).toBe(409);
    expect((half.json.missing as unknown[]).length).toBe(1);

    expect((await tusUpload(server, desk, payload.DeskUuid, secondFile)).ok).toBe(true);
    const committed = await commit();
    expect(committed.status).toBe(200);
    expect(committed.json).toMatchObject({ committed: true });
    expect(await commit()).toMatchObject({ status: 200, json: committed.json });

    const again = await signed(server, desk, { method: 'PUT', path, body: payload });
    expect(again.status).toBe(200);
    expect(again.json).toEqual(committed.json);

    const conflicting = await signed(server, desk, {
      method: 'PUT',
      path,
      body: { ...payload, ChuHoSo: 'Lê Thị Hồng Nhung B', TaiLieuNop: payload.TaiLieuNop.slice(0, 1) },
    });
    expect(conflicting.status).toBe(409);
    expect(conflicting.json).toMatchObject({
      error: 'dossier-conflict',
      DeskUuid: payload.DeskUuid,
      MaHoSo: payload.MaHoSo,
      serverContentSha256: contentSha256,
      differences: ['ChuHoSo', 'TaiLieuNop.length'],
    });

    const listing = await admin<{ dossiers: (DossierRecord & { deviceId: string })[] }>(
      server,
      'GET',
      '/v1/admin/dossiers',
    );
    const listed = listing.json.dossiers.find((d) => d.DeskUuid === payload.DeskUuid);
    expect(listed).toMatchObject({
      MaHoSo: payload.MaHoSo,
      TrangThaiHoSo: 2,
      committed: true,
      deviceId: desk.deviceId,
    });
    expect(listed?.files).toEqual(
      files.map((f, i) => ({
        TepDinhKemId: f.id,
        TenTepDinhKem: f.name,
        MaThanhPhanHoSo: 'TP1',
        Sha256: payload.TaiLieuNop[i]?.Sha256,
        Bytes: f.bytes.length,
        received: true,
      })),
    );
  });

  it('refuses a commit for content the server does not hold', async () => {
    const payload = dossierPayload([]);
    const path = `/v1/dossiers/${payload.DeskUuid}`;
    await signed(server, desk, { method: 'PUT', path, body: payload });
    const wrong = await signed(server, desk, {
      method: 'POST',
      path: `${path}/commit`,
      body: { contentSha256: 'a'.repeat(64) },
    });
    expect(wrong.status).toBe(409);
    expect(wrong.json.error).toBe('dossier-conflict');
  });

  it('refuses a dossier code already used by another dossier, and a UUID owned by another desk', async () => {
    const first = dossierPayload([]);
    await signed(server, desk, { method: 'PUT', path: `/v1/dossiers/${first.DeskUuid}`, body: first });
    const clash = dossierPayload([], { MaHoSo: first.MaHoSo });
    const taken = await signed(server, desk, {
      method: 'PUT',
      path: `/v1/dossiers/${clash.DeskUuid}`,
      body: clash,
    });
    expect(taken.status).toBe(409);
    expect(taken.json.error).toBe('dossier-code-taken');

    const otherDesk = await enrol(server, 'Quầy 2');
    const stolen = await signed(server, otherDesk, {
      method: 'PUT',
      path: `/v1/dossiers/${first.DeskUuid}`,
      body: first,
    });
    expect(stolen.status).toBe(409);
    expect(stolen.json.error).toBe('dossier-owned-by-other-device');
    const peek = await signed(server, otherDesk, { method: 'GET', path: `/v1/dossiers/${first.DeskUuid}` });
    expect(peek.status).toBe(404);
  });

  it('rejects an upload whose bytes do not match the declared SHA-256, and keeps nothing of it', async () => {
    const file = testFile('cccd.pdf', 20_000, 9);
    const payload = dossierPayload([file]);
    await signed(server, desk, { method: 'PUT', path: `/v1/dossiers/${payload.DeskUuid}`, body: payload });
    // Same length, different bytes: what a corrupted disk or a tampering proxy would produce.
    const corrupted = { ...file, bytes: Buffer.from(file.bytes) };
    corrupted.bytes[100] = (corrupted.bytes[100] ?? 0) ^ 0xff;
    const outcome = await tusUpload(server, desk, payload.DeskUuid, corrupted, {
      declaredSha256: payload.TaiLieuNop[0]?.Sha256,
    });
    expect(outcome.ok).toBe(false);
    expect(outcome.status).toBe(460);
    expect(JSON.parse(outcome.body ?? '{}')).toMatchObject({
      error: 'upload-sha256-mismatch',
      declaredSha256: payload.TaiLieuNop[0]?.Sha256,
    });
    const record = await signed<DossierRecord>(server, desk, {
      method: 'GET',
      path: `/v1/dossiers/${payload.DeskUuid}`,
    });
    expect(record.json.files[0]?.received).toBe(false);

    // The rejected upload cannot be resumed; a fresh upload of the right bytes succeeds.
    const uploadPath = new URL(outcome.url ?? '').pathname;
    const head = await signed(server, desk, { method: 'HEAD', path: uploadPath });
    expect(head.status).toBe(410);
    expect((await tusUpload(server, desk, payload.DeskUuid, file)).ok).toBe(true);
  });

  it('refuses uploads that were not declared, or whose declared hash differs from the dossier', async () => {
    const file = testFile('khong-khai-bao.pdf', 1000, 4);
    const payload = dossierPayload([file]);
    await signed(server, desk, { method: 'PUT', path: `/v1/dossiers/${payload.DeskUuid}`, body: payload });
    const stranger = testFile('la.pdf', 1000, 5);
    const undeclared = await tusUpload(server, desk, payload.DeskUuid, stranger, { retryDelays: [] });
    expect(undeclared.status).toBe(409);
    expect(JSON.parse(undeclared.body ?? '{}').error).toBe('upload-not-declared');
    const wrongHash = await tusUpload(server, desk, payload.DeskUuid, file, {
      declaredSha256: 'b'.repeat(64),
      retryDelays: [],
    });
    expect(wrongHash.status).toBe(409);
    const unknownDossier = await tusUpload(server, desk, randomUUID(), file, { retryDelays: [] });
    expect(unknownDossier.status).toBe(404);
  });

  it('never lets an upload id reach the file system unless the server issued it', async () => {
    for (const id of ['..%2F..%2Fprovincial.sqlite', '..', 'a'.repeat(32), '%2e%2e']) {
      const result = await signed(server, desk, { method: 'HEAD', path: `/v1/uploads/${id}` });
      expect(result.status).toBe(404);
    }
  });

  it('counts a reused citizen document as received without an upload (once-only)', async () => {
    const content = Buffer.from('%PDF-1.4 giay khai sinh cua me');
    const registered = await admin<{ MaTaiLieuKho: string; Sha256: string; Bytes: number }>(
      server,
      'POST',
      '/v1/admin/citizen-documents',
      {
        SoGiayTo: '038192004517',
        TenGiayTo: 'Giấy khai sinh',
        DuocLayTuKhoDMQG: true,
        MimeType: 'application/pdf',
        contentBase64: content.toString('base64'),
      },
    );
    expect(registered.status).toBe(201);
    const reusedId = randomUUID();
    const payload = dossierPayload([]);
    payload.TaiLieuNop = [
      {
        TepDinhKemId: reusedId,
        TenTepDinhKem: 'giay-khai-sinh-me.pdf',
        MaThanhPhanHoSo: 'TP2',
        DuocSoHoa: true,
        DuocTaiSuDung: true,
        DuocLayTuKhoDMQG: true,
        Sha256: registered.json.Sha256,
        Bytes: registered.json.Bytes,
        MimeType: 'application/pdf',
        MaTaiLieuKho: registered.json.MaTaiLieuKho,
      },
    ];
    const upserted = await signed<DossierRecord>(server, desk, {
      method: 'PUT',
      path: `/v1/dossiers/${payload.DeskUuid}`,
      body: payload,
    });
    expect(upserted.json.files[0]?.received).toBe(true);
    const committed = await signed(server, desk, {
      method: 'POST',
      path: `/v1/dossiers/${payload.DeskUuid}/commit`,
      body: { contentSha256: upserted.json.contentSha256 },
    });
    expect(committed.status).toBe(200);
  });

  it('answers malformed, invalid and oversized bodies with 400 / 413 and a reason', async () => {
    const payload = dossierPayload([]);
    const path = `/v1/dossiers/${payload.DeskUuid}`;
    // The broken text itself is signed, so the refusal is about JSON, not about the signature.
    const brokenJson = '{"DeskUuid": ';
    const notJson = await sendPrepared(server, 'PUT', path, {
      headers: signRequest({
        deviceId: desk.deviceId,
        secret: desk.secret,
        method: 'PUT',
        target: path,
        body: brokenJson,
      }),
      body: brokenJson,
    });
    expect(notJson.status).toBe(400);
    expect(notJson.json.error).toBe('invalid-json');

    const invalid = await signed(server, desk, {
      method: 'PUT',
      path,
      body: { ...payload, NgayHenTra: '20260231120000', Extra: 1 },
    });
    expect(invalid.status).toBe(400);
    expect(invalid.json.error).toBe('validation-failed');
    const issuePaths = (invalid.json.issues as { path: string }[]).map((i) => i.path);
    expect(issuePaths).toContain('NgayHenTra');
    expect(issuePaths).toContain('');

    const traversalName = await signed(server, desk, {
      method: 'PUT',
      path,
      body: {
        ...dossierPayload([testFile('x.pdf', 10)], { DeskUuid: payload.DeskUuid }),
        TaiLieuNop: [
          { ...dossierPayload([testFile('x.pdf', 10)]).TaiLieuNop[0], TenTepDinhKem: '../../etc/passwd' },
        ],
      },
    });
    expect(traversalName.status).toBe(400);

    const mismatch = await signed(server, desk, {
      method: 'PUT',
      path,
      body: { ...payload, DeskUuid: randomUUID() },
    });
    expect(mismatch.status).toBe(400);

    const huge = { ...payload, TrichYeuHoSo: 'x'.repeat(70 * 1024) };
    const tooLarge = await signed(server, desk, { method: 'PUT', path, body: huge });
    expect(tooLarge.status).toBe(413);
    expect(tooLarge.json.error).toBe('body-too-large');

    // Chunked (no Content-Length): the limit is enforced while reading.
    const chunkedBody = JSON.stringify(huge);
    const headers = signRequest({
      deviceId: desk.deviceId,
      secret: desk.secret,
      method: 'PUT',
      target: path,
      body: chunkedBody,
    });
    const stream = new ReadableStream({
      start(controller) {
        controller.enqueue(new TextEncoder().encode(chunkedBody));
        controller.close();
      },
    });
    const chunked = await fetch(`${server.url}${path}`, {
      method: 'PUT',
      headers,
      body: stream,
      duplex: 'half',
    } as RequestInit);
    expect(chunked.status).toBe(413);

    const hugeHeader = await fetch(`${server.url}/v1/health`, {
      headers: { 'x-padding': 'y'.repeat(20_000) },
    });
    expect(hugeHeader.status).toBe(431);

    const notFound = await signed(server, desk, { method: 'GET', path: '/v1/nothing-here' });
    expect(notFound.status).toBe(404);
  });
});
