/**
 * Resumable file uploads: tus 1.0 via @tus/server + @tus/file-store, behind the server's own authentication.
 * The creation request names the dossier, the declared file and its SHA-256; on completion the server hashes
 * the bytes it holds and accepts the file only when they match.
 */
import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { rm } from 'node:fs/promises';
import type { IncomingMessage } from 'node:http';
import { join } from 'node:path';
import { FileStore } from '@tus/file-store';
import { Server as TusServer } from '@tus/server';
import { LIMITS, PATHS, type ProtocolErrorCode, UploadMetadata } from '../../electron/services/sync/protocol';
import { type DeviceRow, getDossier, getDossierFiles, type UploadRow } from './db';
import type { RequestFaults } from './faults';
import { ApiError, type ApiResponse, meteredBody } from './http-io';
import type { ServerState } from './state';

const INTERNAL_DEVICE_HEADER = 'x-provincial-internal-device';
const UPLOAD_ID = /^[0-9a-f]{32}$/;
const TUS_PATH = PATHS.uploads.replace(/\/$/, '');

/** tus hooks reject by throwing this shape; the body is our JSON error. */
function tusReject(status: number, code: ProtocolErrorCode, message: string, extra: object = {}) {
  return { status_code: status, body: JSON.stringify({ error: code, message, ...extra }) };
}

async function sha256OfFile(path: string): Promise<string> {
  const hash = createHash('sha256');
  for await (const chunk of createReadStream(path)) hash.update(chunk as Buffer);
  return hash.digest('hex');
}

export function isUploadPath(pathname: string): boolean {
  return pathname === TUS_PATH || pathname.startsWith(`${TUS_PATH}/`);
}

export function createTusServer(state: ServerState): TusServer {
  const directory = join(state.dataDir, 'uploads');
  const datastore = new FileStore({ directory });
  const tus = new TusServer({
    path: TUS_PATH,
    datastore,
    maxSize: state.maxFileBytes,
    // Relative: never trust the Host header to build a URL the desk will then sign and follow.
    relativeLocation: true,
    disableTerminationForFinishedUploads: true,
    async onUploadCreate(req, upload) {
      const deviceId = req.headers.get(INTERNAL_DEVICE_HEADER);
      const parsed = UploadMetadata.safeParse(upload.metadata ?? {});
      if (!deviceId) throw tusReject(401, 'auth-missing', 'unauthenticated upload');
      if (!parsed.success) {
        throw tusReject(400, 'validation-failed', 'bad Upload-Metadata', {
          issues: parsed.error.issues.map((i) => ({ path: i.path.join('.'), message: i.message })),
        });
      }
      const meta = parsed.data;
      const dossier = getDossier(state.db, meta.dossierUuid);
      if (!dossier || dossier.device_id !== deviceId) {
        throw tusReject(404, 'not-found', 'no such dossier for this device');
      }
      const file = getDossierFiles(state.db, meta.dossierUuid).find((f) => f.file_id === meta.fileId);
      if (!file)
        throw tusReject(409, 'upload-not-declared', 'file is not declared in the dossier (TaiLieuNop)');
      if (file.sha256 !== meta.sha256 || upload.size !== file.bytes) {
        throw tusReject(409, 'upload-not-declared', 'SHA-256 or length differs from the declared file', {
          declaredSha256: file.sha256,
          declaredBytes: file.bytes,
        });
      }
      if (dossier.committed_at && file.received_at) {
        throw tusReject(409, 'dossier-committed', 'dossier is committed and this file is already received');
      }
      state.db
        .prepare(
          `INSERT INTO uploads (id, device_id, desk_uuid, file_id, sha256, bytes, state, created_at)
           VALUES (?, ?, ?, ?, ?, ?, 'open', ?)`,
        )
        .run(
          upload.id,
          deviceId,
          meta.dossierUuid,
          meta.fileId,
          meta.sha256,
          file.bytes,
          state.clock().toISOString(),
        );
      state.logger.info('upload.created', {
        upload: upload.id,
        dossier: meta.dossierUuid,
        bytes: file.bytes,
      });
      return {};
    },
    async onUploadFinish(_req, upload) {
      const row = state.db.prepare('SELECT * FROM uploads WHERE id = ?').get(upload.id) as
        | UploadRow
        | undefined;
      if (!row) throw tusReject(404, 'not-found', 'unknown upload');
      const path = join(directory, upload.id);
      const actual = await sha256OfFile(path);
      const now = state.clock().toISOString();
      if (actual !== row.sha256) {
        state.db
          .prepare(`UPDATE uploads SET state = 'rejected', actual_sha256 = ?, finished_at = ? WHERE id = ?`)
          .run(actual, now, upload.id);
        // The bytes are wrong: keep nothing, so a resume cannot build on them.
        await rm(path, { force: true });
        await rm(`${path}.json`, { force: true });
        state.logger.warn('upload.sha256-mismatch', { upload: upload.id, dossier: row.desk_uuid });
        throw tusReject(460, 'upload-sha256-mismatch', 'uploaded bytes do not match the declared SHA-256', {
          declaredSha256: row.sha256,
          actualSha256: actual,
        });
      }
      state.db.transaction(() => {
        state.db
          .prepare(`UPDATE uploads SET state = 'complete', actual_sha256 = ?, finished_at = ? WHERE id = ?`)
          .run(actual, now, upload.id);
        state.db
          .prepare(
            `UPDATE dossier_files SET received_at = COALESCE(received_at, ?), stored_path = ?
             WHERE desk_uuid = ? AND file_id = ? AND sha256 = ?`,
          )
          .run(now, path, row.desk_uuid, row.file_id, row.sha256);
      })();
      state.logger.info('upload.complete', { upload: upload.id, dossier: row.desk_uuid, bytes: row.bytes });
      return {};
    },
  });
  return tus;
}

/**
 * Authorises one tus request (the signature was already checked) and runs it through @tus/server with a
 * metered body, so request faults and limits apply to upload bytes too.
 */
export async function handleUpload(
  state: ServerState,
  tus: TusServer,
  req: IncomingMessage,
  pathname: string,
  device: DeviceRow,
  faults: RequestFaults,
  onBytes: (n: number) => void,
): Promise<ApiResponse> {
  const method = req.method ?? 'GET';
  const metadata = req.headers['upload-metadata'];
  if (typeof metadata === 'string' && metadata.length > LIMITS.uploadMetadataChars) {
    throw new ApiError(
      400,
      'bad-request',
      `Upload-Metadata longer than ${LIMITS.uploadMetadataChars} characters`,
    );
  }
  if (method === 'POST') {
    if (pathname !== TUS_PATH && pathname !== `${TUS_PATH}/`)
      throw new ApiError(404, 'not-found', 'no such path');
    if (Number(req.headers['content-length'] ?? '0') > 0) {
      throw new ApiError(400, 'bad-request', 'creation-with-upload is not supported; send bytes with PATCH');
    }
  } else if (method === 'HEAD' || method === 'PATCH' || method === 'DELETE') {
    const id = pathname.slice(TUS_PATH.length + 1);
    // The id only ever reaches the file store after it is found in our table: no path can be smuggled in.
    const row = UPLOAD_ID.test(id)
      ? (state.db.prepare('SELECT * FROM uploads WHERE id = ?').get(id) as UploadRow | undefined)
      : undefined;
    if (!row || row.device_id !== device.id) throw new ApiError(404, 'not-found', 'no such upload');
    if (row.state === 'rejected') {
      throw new ApiError(410, 'upload-rejected', 'this upload failed SHA-256 verification; create a new one');
    }
  } else if (method !== 'OPTIONS') {
    throw new ApiError(405, 'method-not-allowed', `${method} is not a tus method`);
  }

  const headers = new Headers();
  for (const [name, value] of Object.entries(req.headers)) {
    if (name === INTERNAL_DEVICE_HEADER || value === undefined) continue;
    headers.set(name, Array.isArray(value) ? value.join(', ') : value);
  }
  headers.set(INTERNAL_DEVICE_HEADER, device.id);

  let body: ReadableStream<Uint8Array> | undefined;
  if (method === 'PATCH') {
    const chunks = meteredBody(req, state.maxFileBytes, faults, onBytes, 'end');
    body = new ReadableStream<Uint8Array>({
      async pull(controller) {
        try {
          const next = await chunks.next();
          if (next.done) controller.close();
          else
            controller.enqueue(
              new Uint8Array(next.value.buffer, next.value.byteOffset, next.value.byteLength),
            );
        } catch (error) {
          controller.error(error);
        }
      },
      async cancel() {
        await chunks.return(undefined);
      },
    });
  }
  const request = new Request(`http://provincial.invalid${req.url ?? '/'}`, {
    method,
    headers,
    body,
    duplex: 'half',
  } as RequestInit);
  const response = await tus.handleWeb(request);
  const raw = Buffer.from(await response.arrayBuffer());
  const outHeaders: Record<string, string> = {};
  response.headers.forEach((value, name) => {
    if (name !== 'content-length' && name !== 'connection') outHeaders[name] = value;
  });
  if (raw.length > 0 && raw[0] === 0x7b) outHeaders['content-type'] = 'application/json; charset=utf-8';
  return { status: response.status, headers: outHeaders, raw };
}
