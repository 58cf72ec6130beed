import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DossierRecord, EnrolResponse } from '../../../electron/services/sync/protocol';
import type { RequestLogEntry } from '../../provincial/request-log';
import {
  admin,
  dossierPayload,
  enrol,
  signed,
  startTestServer,
  type TestServer,
  testFile,
  tusUpload,
} from './helpers';

describe('provincial server: resumable uploads', () => {
  let server: TestServer;
  let desk: EnrolResponse;

  beforeAll(async () => {
    server = await startTestServer();
    desk = await enrol(server);
  });
  afterAll(() => server.stop());

  it('resumes an upload dropped at ~90 % from the server offset, resending only the rest', async () => {
    const size = 2 * 1024 * 1024;
    const file = testFile('ho-so-dat-dai.pdf', size, 42);
    const payload = dossierPayload([file]);
    await signed(server, desk, { method: 'PUT', path: `/v1/dossiers/${payload.DeskUuid}`, body: payload });
    const dropAt = Math.floor(size * 0.9);
    server.faults.set(`drop-request:bytes=${dropAt},method=PATCH,path=/v1/uploads/*,count=1`);
    const before = server.requests.lastId;

    const outcome = await tusUpload(server, desk, payload.DeskUuid, file);
    server.faults.set('');
    expect(outcome.ok).toBe(true);

    const log = await admin<{ requests: RequestLogEntry[] }>(
      server,
      'GET',
      `/v1/admin/requests?after=${before}`,
    );
    const patches = log.json.requests.filter((r) => r.method === 'PATCH');
    expect(patches).toHaveLength(2);
    const [dropped, resumed] = patches as [RequestLogEntry, RequestLogEntry];
    expect(dropped.faults).toEqual([`drop-request@${dropAt}`]);
    expect(dropped.uploadOffset).toBe(0);
    expect(dropped.requestBytes).toBe(dropAt);
    // The client asked where to resume (HEAD) and continued from the bytes the server kept.
    expect(log.json.requests.some((r) => r.method === 'HEAD' && r.status === 200)).toBe(true);
    // The server kept every byte that arrived before the cut, so nothing is sent twice.
    expect(resumed.uploadOffset).toBe(dropAt);
    expect(resumed.requestBytes).toBe(size - dropAt);
    expect(patches.reduce((sum, p) => sum + p.requestBytes, 0)).toBe(size);

    const record = await signed<DossierRecord>(server, desk, {
      method: 'GET',
      path: `/v1/dossiers/${payload.DeskUuid}`,
    });
    expect(record.json.files[0]?.received).toBe(true);
  });

  it('finishes an upload whose final answer was lost: the resume HEAD finds it complete', async () => {
    const file = testFile('bien-ban.pdf', 50_000, 11);
    const payload = dossierPayload([file]);
    await signed(server, desk, { method: 'PUT', path: `/v1/dossiers/${payload.DeskUuid}`, body: payload });
    server.faults.set('drop-response:method=PATCH,count=1');
    const before = server.requests.lastId;
    const outcome = await tusUpload(server, desk, payload.DeskUuid, file);
    server.faults.set('');
    expect(outcome.ok).toBe(true);
    const log = await admin<{ requests: RequestLogEntry[] }>(
      server,
      'GET',
      `/v1/admin/requests?after=${before}`,
    );
    const uploads = log.json.requests.filter((r) => r.path.startsWith('/v1/uploads'));
    expect(uploads.map((r) => r.method)).toEqual(['POST', 'PATCH', 'HEAD']);
    expect(uploads[1]?.faults).toEqual(['drop-response@0']);
    const record = await signed<DossierRecord>(server, desk, {
      method: 'GET',
      path: `/v1/dossiers/${payload.DeskUuid}`,
    });
    expect(record.json.files[0]?.received).toBe(true);
  });

  it('resumes across several drops with chunked uploads and still verifies the whole file', async () => {
    const size = 600 * 1024;
    const file = testFile('so-do.pdf', size, 7);
    const payload = dossierPayload([file]);
    await signed(server, desk, { method: 'PUT', path: `/v1/dossiers/${payload.DeskUuid}`, body: payload });
    // Every second PATCH is cut half-way through its 256 KiB chunk.
    server.faults.set('drop-request:bytes=131072,method=PATCH,rate=0.5,seed=3,count=3');
    const outcome = await tusUpload(server, desk, payload.DeskUuid, file, {
      chunkSize: 256 * 1024,
      retryDelays: [0, 0, 0, 0, 0],
    });
    const report = server.faults.report();
    server.faults.set('');
    expect(outcome.ok).toBe(true);
    expect(report[0]?.applied).toBeGreaterThan(0);
    const record = await signed<DossierRecord>(server, desk, {
      method: 'GET',
      path: `/v1/dossiers/${payload.DeskUuid}`,
    });
    expect(record.json.files[0]?.received).toBe(true);
  });
});
