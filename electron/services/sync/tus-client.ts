/**
 * A small tus 1.0 client for one dossier file, made for a desk that may be killed at any moment: the upload
 * URL is stored as soon as the server gives it, a resume asks the server (HEAD) how far it got, so at most
 * the unfinished chunk is sent again. Every request is signed; PATCH bodies are UNSIGNED-PAYLOAD, bound to
 * the SHA-256 declared at creation. Bytes can be paced by a token bucket (bandwidth cap).
 */
import { createHash } from 'node:crypto';
import { PATHS } from './protocol';
import type { SyncDb } from './sync-db';
import { parkError, syncError } from './sync-errors';
import { type Answer, commonFailure, errorCodeOf, type SyncHttp, unexpected } from './sync-http';
import type { TokenBucket } from './token-bucket';

const TUS_VERSION = { 'tus-resumable': '1.0.0' };

export interface TusFile {
  dossierId: string;
  dossierCode: string;
  fileId: string;
  fileName: string;
  sha256: string;
  bytes: number;
  mimeType: string;
}

export interface TusContext {
  http: SyncHttp;
  db: SyncDb;
  clock: () => Date;
  chunkBytes: number;
  bucket: TokenBucket | null;
  signal?: AbortSignal;
  /** Reads the file's bytes (through the blob store). */
  read: () => Promise<Uint8Array>;
  /** Called after each chunk the server confirmed: bytes sent, of which sent before. */
  onChunk: (sent: number, resent: number) => void;
}

/** SHA-256 without holding the event loop: hashes in slices and yields between them. */
export async function sha256Async(data: Uint8Array): Promise<string> {
  const hash = createHash('sha256');
  const slice = 4 * 1024 * 1024;
  for (let i = 0; i < data.byteLength; i += slice) {
    hash.update(data.subarray(i, Math.min(data.byteLength, i + slice)));
    if (i + slice < data.byteLength) await new Promise((resolve) => setImmediate(resolve));
  }
  return hash.digest('hex');
}

const b64 = (value: string) => Buffer.from(value, 'utf8').toString('base64');

function offsetOf(answer: Answer, max: number): number | null {
  const text = answer.headers.get('upload-offset');
  if (text === null || !/^\d{1,15}$/.test(text)) return null;
  const value = Number(text);
  return value <= max ? value : null;
}

/** Uploads one file to completion (or throws a SyncError). Returns when the server holds the verified bytes. */
export async function uploadFile(ctx: TusContext, file: TusFile): Promise<void> {
  const now = () => ctx.clock().toISOString();
  const row = ctx.db.ensureUpload(file.fileId, file.dossierId, file.sha256, file.bytes, now());
  if (row.received_at) return;

  let data: Uint8Array;
  try {
    data = await ctx.read();
  } catch (error) {
    const errno = (error as NodeJS.ErrnoException).code;
    const detail = `file ${file.fileId} unreadable: ${errno ?? (error as Error).name}`;
    const params = { file: file.fileName, code: file.dossierCode };
    if (errno === 'ENOENT') throw parkError('file-missing', detail, params);
    // A busy disk or too many open files passes; bytes that fail decryption or their hash do not.
    if (errno) throw syncError('internal', 'retry', detail);
    throw parkError('file-damaged', detail, params);
  }
  // Never send bytes that do not match what was declared: the server would reject them anyway, at the end.
  if (data.byteLength !== file.bytes || (await sha256Async(data)) !== file.sha256) {
    throw parkError('file-damaged', `file ${file.fileId} does not match its SHA-256`, {
      file: file.fileName,
      code: file.dossierCode,
    });
  }

  let url = row.upload_url;
  let offset = 0;
  let offsetSent = row.offset_sent;
  let conflicts = 0;
  // A few rounds of HEAD/create + PATCH; a server that keeps answering oddly is retried later.
  for (let round = 0; round < 5; round++) {
    ctx.signal?.throwIfAborted();
    if (url) {
      const head = await ctx.http.request('HEAD', url, { headers: TUS_VERSION, signal: ctx.signal });
      if (head.status === 200 || head.status === 204) {
        const at = offsetOf(head, file.bytes);
        if (at === null) throw syncError('bad-answer', 'retry', 'HEAD without a valid Upload-Offset');
        offset = at;
      } else if (head.status === 404 || head.status === 410) {
        // Gone or rejected (SHA-256 mismatch): start a new upload.
        url = null;
        ctx.db.setUploadUrl(file.fileId, null, now());
      } else {
        throw commonFailure(head, 'tus HEAD', ctx.clock) ?? unexpected(head, 'tus HEAD');
      }
    }
    if (!url) {
      const metadata = [
        `dossierUuid ${b64(file.dossierId)}`,
        `fileId ${b64(file.fileId)}`,
        `sha256 ${b64(file.sha256)}`,
        `filename ${b64(file.fileName.replace(/[/\\]/g, '_'))}`,
        `filetype ${b64(file.mimeType)}`,
      ].join(',');
      const created = await ctx.http.request('POST', PATHS.uploads, {
        headers: TUS_VERSION,
        tus: { length: String(file.bytes), metadata },
        signal: ctx.signal,
      });
      if (created.status === 409 && errorCodeOf(created) === 'dossier-committed') {
        ctx.db.markReceived(file.fileId, now());
        return;
      }
      if (created.status !== 201) {
        throw commonFailure(created, 'tus create', ctx.clock) ?? unexpected(created, 'tus create');
      }
      const location = created.headers.get('location');
      if (!location) throw syncError('bad-answer', 'retry', 'tus create without Location');
      url = ctx.http.url(location).toString();
      // Stored before any byte goes: a kill -9 from here on resumes this upload.
      ctx.db.setUploadUrl(file.fileId, url, now());
      offset = 0;
    }

    while (offset < file.bytes) {
      const end = Math.min(file.bytes, offset + ctx.chunkBytes);
      const chunk = data.subarray(offset, end);
      const resent = Math.max(0, Math.min(end, offsetSent) - offset);
      offsetSent = Math.max(offsetSent, end);
      ctx.db.setOffsetSent(file.fileId, end, now());
      const patched = await ctx.http.request('PATCH', url, {
        headers: { ...TUS_VERSION, 'content-type': 'application/offset+octet-stream' },
        tus: { offset: String(offset) },
        raw: ctx.bucket ? ctx.bucket.stream(chunk, ctx.signal) : chunk,
        rawLength: chunk.byteLength,
        signal: ctx.signal,
        // The last PATCH waits while the server hashes the whole file: silence is expected there.
        timeoutMs: 300_000,
        ...(end === file.bytes ? { firstByteTimeoutMs: 300_000 } : {}),
      });
      if (patched.status === 204 || patched.status === 200) {
        const at = offsetOf(patched, file.bytes);
        if (at === null || at <= offset)
          throw syncError('bad-answer', 'retry', 'PATCH answered a bad Upload-Offset');
        ctx.onChunk(at - offset, resent);
        offset = at;
        continue;
      }
      if (patched.status === 460 || patched.status === 410) {
        // The server holds other bytes than ours (checked above): forget this upload, make a new one next time.
        ctx.db.setUploadUrl(file.fileId, null, now());
        throw syncError('bad-answer', 'retry', `upload of ${file.fileId} rejected (HTTP ${patched.status})`);
      }
      if (patched.status === 409 && conflicts < 3) {
        // Offset mismatch (an earlier PATCH landed after all): ask the server again.
        conflicts += 1;
        break;
      }
      if (patched.status === 404) {
        ctx.db.setUploadUrl(file.fileId, null, now());
        url = null;
        break;
      }
      throw commonFailure(patched, 'tus PATCH', ctx.clock) ?? unexpected(patched, 'tus PATCH');
    }
    if (offset >= file.bytes && url) {
      ctx.db.markReceived(file.fileId, now());
      return;
    }
  }
  throw syncError('bad-answer', 'retry', `upload of ${file.fileId} did not settle`);
}
