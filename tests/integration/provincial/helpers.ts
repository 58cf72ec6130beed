/** Test-side client of the reference provincial server: real HTTP on 127.0.0.1, real signing. */
import { createHash, randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as tus from 'tus-js-client';
import { silentLogger } from '../../../electron/services/logging/logger';
import {
  type DossierPayload,
  type EnrolResponse,
  formatNationalDateTime,
  sha256OfBody,
  signRequest,
  UNSIGNED_PAYLOAD,
} from '../../../electron/services/sync/protocol';
import {
  type ProvincialServer,
  type ProvincialServerOptions,
  startProvincialServer,
} from '../../provincial/server';

export interface TestServer extends ProvincialServer {
  dataDir: string;
  stop(): Promise<void>;
}

export async function startTestServer(options: Partial<ProvincialServerOptions> = {}): Promise<TestServer> {
  const dataDir = mkdtempSync(join(tmpdir(), 'motcua-provincial-'));
  const server = await startProvincialServer({ dataDir, logger: silentLogger, ...options });
  return {
    ...server,
    dataDir,
    stop: async () => {
      await server.close();
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

export interface Answer<T = Record<string, unknown>> {
  status: number;
  json: T;
  headers: Headers;
}

async function answer<T>(response: Response): Promise<Answer<T>> {
  const text = await response.text();
  let json: unknown = null;
  try {
    json = text ? JSON.parse(text) : null;
  } catch {
    json = { raw: text };
  }
  return { status: response.status, json: json as T, headers: response.headers };
}

export async function admin<T = Record<string, unknown>>(
  server: ProvincialServer,
  method: string,
  path: string,
  body?: unknown,
): Promise<Answer<T>> {
  const response = await fetch(`${server.url}${path}`, {
    method,
    headers: { authorization: `Bearer ${server.adminToken}`, 'content-type': 'application/json' },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  return answer<T>(response);
}

export async function enrol(server: ProvincialServer, deskName = 'Quầy 1'): Promise<EnrolResponse> {
  const issued = await admin<{ code: string }>(server, 'POST', '/v1/admin/enrolment-codes', {});
  const response = await fetch(`${server.url}/v1/enrol`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ code: issued.json.code, deskName }),
  });
  const result = await answer<EnrolResponse>(response);
  if (result.status !== 200) throw new Error(`enrol failed: ${result.status} ${JSON.stringify(result.json)}`);
  return result.json;
}

export interface SignedCall {
  method: string;
  path: string;
  body?: unknown;
  /** Sign as of this time (stale-request tests). */
  now?: Date;
}

/** The exact bytes and headers of one signed request, so a test can send it again (replay) or tamper with it. */
export function prepareSigned(
  creds: EnrolResponse,
  call: SignedCall,
): { headers: Record<string, string>; body?: string } {
  const body = call.body === undefined ? undefined : JSON.stringify(call.body);
  const headers = signRequest({
    deviceId: creds.deviceId,
    secret: creds.secret,
    method: call.method,
    target: call.path,
    body: body ?? null,
    now: call.now,
  });
  if (body !== undefined) headers['content-type'] = 'application/json';
  return { headers, body };
}

export async function sendPrepared<T = Record<string, unknown>>(
  server: ProvincialServer,
  method: string,
  path: string,
  prepared: { headers: Record<string, string>; body?: string },
): Promise<Answer<T>> {
  const response = await fetch(`${server.url}${path}`, {
    method,
    headers: prepared.headers,
    body: prepared.body,
  });
  return answer<T>(response);
}

export function signed<T = Record<string, unknown>>(
  server: ProvincialServer,
  creds: EnrolResponse,
  call: SignedCall,
): Promise<Answer<T>> {
  return sendPrepared<T>(server, call.method, call.path, prepareSigned(creds, call));
}

export const sha256 = (data: Uint8Array | string) => createHash('sha256').update(data).digest('hex');

/** Deterministic pseudo-random bytes: a stand-in for a scanned PDF of the given size. */
export function fileBytes(size: number, seed = 1): Buffer {
  const out = Buffer.alloc(size);
  let x = seed >>> 0 || 1;
  for (let i = 0; i < size; i++) {
    x ^= x << 13;
    x ^= x >>> 17;
    x ^= x << 5;
    out[i] = x & 0xff;
  }
  return out;
}

export interface TestFile {
  id: string;
  name: string;
  bytes: Buffer;
}

export function testFile(name: string, size: number, seed = 1): TestFile {
  return { id: randomUUID(), name, bytes: fileBytes(size, seed) };
}

let codeCounter = 0;
export function dossierPayload(files: TestFile[], overrides: Partial<DossierPayload> = {}): DossierPayload {
  codeCounter += 1;
  const received = new Date('2026-03-02T02:15:00Z');
  return {
    DeskUuid: randomUUID(),
    MaHoSo: `000.17.22.H56-260302-${String(1000 + codeCounter).padStart(4, '0')}`,
    MaTTHC: '1.001193',
    TenTTHC: 'Đăng ký khai sinh',
    MaLinhVuc: 'HT',
    KenhThucHien: 1,
    ChuHoSo: 'Lê Thị Hồng Nhung',
    SoGiayToChuHoSo: '038192004517',
    NgayTiepNhan: formatNationalDateTime(received),
    NgayHenTra: formatNationalDateTime(new Date(received.getTime() + 24 * 3600 * 1000)),
    TrangThaiHoSo: 2,
    DonViTiepNhan: '000.17.22.H56',
    HoSoCoThanhPhanSoHoa: files.length > 0,
    TaiLieuNop: files.map((file) => ({
      TepDinhKemId: file.id,
      TenTepDinhKem: file.name,
      MaThanhPhanHoSo: 'TP1',
      DuocSoHoa: true,
      DuocTaiSuDung: false,
      DuocLayTuKhoDMQG: false,
      Sha256: sha256(file.bytes),
      Bytes: file.bytes.length,
      MimeType: 'application/pdf',
    })),
    ...overrides,
  };
}

export interface UploadOutcome {
  ok: boolean;
  status: number | null;
  body: string | null;
  url: string | null;
}

/** Uploads one file with tus-js-client exactly as the desk will: every request signed in onBeforeRequest. */
export function tusUpload(
  server: ProvincialServer,
  creds: EnrolResponse,
  dossierUuid: string,
  file: TestFile,
  options: { declaredSha256?: string; retryDelays?: number[]; chunkSize?: number } = {},
): Promise<UploadOutcome> {
  return new Promise((resolve) => {
    const upload = new tus.Upload(file.bytes, {
      endpoint: `${server.url}/v1/uploads/`,
      metadata: {
        dossierUuid,
        fileId: file.id,
        sha256: options.declaredSha256 ?? sha256(file.bytes),
        filename: file.name,
        filetype: 'application/pdf',
      },
      retryDelays: options.retryDelays ?? [0, 50, 200],
      chunkSize: options.chunkSize ?? Number.POSITIVE_INFINITY,
      storeFingerprintForResuming: false,
      onBeforeRequest(req) {
        const url = new URL(req.getURL());
        const method = req.getMethod();
        const headers = signRequest({
          deviceId: creds.deviceId,
          secret: creds.secret,
          method,
          target: `${url.pathname}${url.search}`,
          contentSha256: method === 'PATCH' ? UNSIGNED_PAYLOAD : sha256OfBody(null),
          uploadLength: req.getHeader('Upload-Length') ?? '',
          uploadOffset: req.getHeader('Upload-Offset') ?? '',
          uploadMetadata: req.getHeader('Upload-Metadata') ?? '',
        });
        for (const [name, value] of Object.entries(headers)) req.setHeader(name, value);
      },
      onSuccess() {
        resolve({ ok: true, status: 204, body: null, url: upload.url });
      },
      onError(error) {
        const detailed = error as tus.DetailedError;
        resolve({
          ok: false,
          status: detailed.originalResponse?.getStatus() ?? null,
          body: detailed.originalResponse?.getBody() ?? null,
          url: upload.url,
        });
      },
    });
    upload.start();
  });
}
