/**
 * Pushing the outbox: dossiers go in order, each one PUT, its files tus-uploaded, then committed. Every step is
 * persisted before the next, so a kill -9 resumes where it stopped. A dossier that needs a person is parked
 * with its reason and the others go on.
 */
import type { Store } from '../store/store';
import { buildDossierPayload, PayloadError, type PayloadFile } from './dossier-payload';
import type { EngineContext, SyncRunReport } from './engine-context';
import { ConflictBody, DossierRecord, dossierContentSha256, FilesMissingBody, PATHS } from './protocol';
import type { StoredCredentials, SyncDb } from './sync-db';
import { parkError, SyncError, syncError } from './sync-errors';
import { type Answer, commonFailure, errorCodeOf, isAbort, type SyncHttp, unexpected } from './sync-http';
import { uploadFile } from './tus-client';

type OutboxItem = ReturnType<SyncDb['pendingOutbox']>[number];

/** The one place the engine reads a file's bytes: through the blob store, which decrypts and verifies. */
async function readBlob(store: Store, file: PayloadFile): Promise<Uint8Array> {
  return store.blobs.read(file.sha256, file.ext);
}

/** Pushes every pending dossier; false when the run must stop here (failure or abort). */
export async function pushAll(
  ctx: EngineContext,
  http: SyncHttp,
  creds: StoredCredentials,
  report: SyncRunReport,
  signal?: AbortSignal,
): Promise<boolean> {
  const done = new Set<number>();
  for (;;) {
    // Re-read each round: rows queued during the run go out in the same run.
    const next = ctx.db.pendingOutbox().find((item) => !done.has(item.id));
    if (!next) return true;
    if (signal?.aborted) return false;
    done.add(next.id);
    try {
      await pushOne(ctx, http, creds, next, report, signal);
      report.pushed += 1;
    } catch (error) {
      if (isAbort(error) || signal?.aborted) return false;
      if (error instanceof SyncError && error.action === 'park') {
        ctx.db.park(next.id, error.code, error.clerkMessage, ctx.clock().toISOString());
        ctx.recordError(error);
        report.parked += 1;
        ctx.logger.warn('sync.parked', {
          outbox: next.id,
          dossier: next.dossierId,
          code: error.code,
          detail: error.detail,
        });
      } else {
        ctx.db.recordFailure(
          next.id,
          error instanceof SyncError ? error.detail : (error as Error).message,
          ctx.clock().toISOString(),
        );
        ctx.handleRunError(error, report, creds);
        // In order: the next dossiers wait until this one goes (the network is likely the cause anyway).
        return false;
      }
    }
    ctx.renewLease();
    ctx.emit();
  }
}

async function pushOne(
  ctx: EngineContext,
  http: SyncHttp,
  creds: StoredCredentials,
  item: OutboxItem,
  report: SyncRunReport,
  signal?: AbortSignal,
): Promise<void> {
  const now = () => ctx.clock().toISOString();
  let built: ReturnType<typeof buildDossierPayload>;
  try {
    built = buildDossierPayload(ctx.store.db, item.dossierId, creds.agencyCode);
  } catch (error) {
    if (error instanceof PayloadError) {
      throw parkError('bad-payload', error.message, {
        code: error.code ?? item.dossierId,
        detail: error.clerkDetail,
      });
    }
    throw error;
  }
  const { payload } = built;
  const content = dossierContentSha256(payload);
  const what = `dossier ${item.dossierId}`;

  const put = await http.request('PUT', PATHS.dossier(payload.DeskUuid), { json: payload, signal });
  let record = readRecord(ctx, put, what, payload.MaHoSo, 'PUT');
  if (item.stage !== 'put' || item.contentSha256 !== content) ctx.db.setStage(item.id, 'put', content, now());
  if (record.committed) {
    if (record.contentSha256 !== content)
      throw syncError('bad-answer', 'retry', `${what}: committed content differs`);
    ctx.db.markCommitted(item, record.TrangThaiHoSo, record.committedAt ?? now(), now());
    return;
  }
  if (record.contentSha256 !== content)
    throw syncError('bad-answer', 'retry', `${what}: server content hash differs`);

  const upload = async (file: PayloadFile) =>
    uploadFile(
      {
        http,
        db: ctx.db,
        clock: ctx.clock,
        chunkBytes: ctx.chunkBytes,
        bucket: ctx.bucket,
        signal,
        read: () => readBlob(ctx.store, file),
        onChunk: (sent, resent) => {
          report.bytesSent += sent;
          report.bytesResent += resent;
          ctx.renewLease();
          ctx.emit(false);
        },
      },
      {
        dossierId: payload.DeskUuid,
        dossierCode: payload.MaHoSo,
        fileId: file.id,
        fileName: file.fileName,
        sha256: file.sha256,
        bytes: file.bytes,
        mimeType: file.mimeType,
      },
    );

  for (const file of built.files) {
    if (file.storeDocumentId) continue; // once-only: the province already holds it
    const held = record.files.find((f) => f.TepDinhKemId === file.id);
    // The server's word wins over our notes (it may have been restored from a backup).
    if (!held?.received && ctx.db.upload(file.id)?.received_at) ctx.db.forgetReceived(file.id, now());
    if (held?.received && held.Sha256 === file.sha256) {
      ctx.db.ensureUpload(file.id, payload.DeskUuid, file.sha256, file.bytes, now());
      ctx.db.markReceived(file.id, now());
      continue;
    }
    await upload(file);
  }

  for (let round = 0; round < 3; round++) {
    const committed = await http.request('POST', PATHS.commit(payload.DeskUuid), {
      json: { contentSha256: content },
      signal,
    });
    if (committed.status === 409 && errorCodeOf(committed) === 'files-missing') {
      const missing = FilesMissingBody.safeParse(committed.json);
      if (!missing.success) throw syncError('bad-answer', 'retry', `${what}: malformed files-missing`);
      for (const gap of missing.data.missing) {
        const file = built.files.find((f) => f.id === gap.TepDinhKemId);
        if (!file) throw syncError('bad-answer', 'retry', `${what}: server misses an undeclared file`);
        ctx.db.forgetReceived(file.id, now());
        await upload(file);
      }
      continue;
    }
    record = readRecord(ctx, committed, what, payload.MaHoSo, 'commit');
    if (!record.committed || record.contentSha256 !== content) {
      throw syncError('bad-answer', 'retry', `${what}: commit answered without committing`);
    }
    ctx.db.markCommitted(item, record.TrangThaiHoSo, record.committedAt ?? now(), now());
    ctx.logger.info('sync.committed', {
      outbox: item.id,
      dossier: item.dossierId,
      files: built.files.length,
    });
    return;
  }
  throw syncError('bad-answer', 'retry', `${what}: files still missing after upload`);
}

/** A DossierRecord answer, or the SyncError the retry table prescribes. */
function readRecord(
  ctx: EngineContext,
  answer: Answer,
  what: string,
  code: string,
  step: string,
): DossierRecord {
  if (answer.status === 200) {
    const parsed = DossierRecord.safeParse(answer.json);
    if (!parsed.success)
      throw syncError('bad-answer', 'retry', `${what}: ${step} answer does not match the schema`);
    return parsed.data;
  }
  if (answer.status === 409) {
    const conflict = ConflictBody.safeParse(answer.json);
    if (conflict.success) {
      const body = conflict.data;
      const fields = (body.differences ?? []).slice(0, 10).join(', ') || '—';
      throw parkError(body.error, `${what}: ${step} ${body.error}`, { code, fields }, 409);
    }
  }
  if (answer.status === 400 || answer.status === 422) {
    const issues = (answer.json as { issues?: { path?: unknown }[] } | undefined)?.issues;
    const fields = Array.isArray(issues)
      ? [...new Set(issues.map((i) => String(i?.path ?? '')))].slice(0, 8).join(', ')
      : (errorCodeOf(answer) ?? 'HTTP 400');
    throw parkError(
      'bad-payload',
      `${what}: ${step} refused (400 ${errorCodeOf(answer) ?? ''})`,
      { code, detail: fields },
      400,
    );
  }
  if (answer.status === 413) throw parkError('too-large', `${what}: ${step} body too large`, { code }, 413);
  throw commonFailure(answer, `${what} ${step}`, ctx.clock) ?? unexpected(answer, `${what} ${step}`);
}
