/** Once-only reception: the documents the province already holds for a citizen, looked up and downloaded. */
import type { EngineContext } from './engine-context';
import {
  type CitizenDocument,
  CitizenDocument as CitizenDocumentSchema,
  CitizenLookupRequest,
  CitizenLookupResponse,
  LIMITS,
  PATHS,
} from './protocol';
import type { StoredCredentials } from './sync-db';
import { syncError } from './sync-errors';
import { commonFailure, unexpected } from './sync-http';
import { sha256Async } from './tus-client';

function requireCredentials(ctx: EngineContext): StoredCredentials {
  const creds = ctx.db.credentials();
  if (!creds) throw syncError('not-enrolled', 'stop', 'not enrolled');
  if (creds.revokedAt) throw syncError('revoked', 'stop', 'device revoked');
  return creds;
}

export async function lookupCitizenDocuments(
  ctx: EngineContext,
  idNumber: string,
  procedureCode: string,
): Promise<CitizenDocument[]> {
  const request = CitizenLookupRequest.safeParse({
    SoGiayTo: idNumber.trim(),
    MaTTHC: procedureCode.trim(),
  });
  if (!request.success) {
    const fields = [...new Set(request.error.issues.map((i) => i.path.join('.')))].join(', ');
    throw syncError('invalid-input', 'stop', `lookup input invalid: ${fields}`, { detail: fields });
  }
  const creds = requireCredentials(ctx);
  const answer = await ctx.httpFor(creds).request('POST', PATHS.citizenLookup, { json: request.data });
  if (answer.status !== 200) {
    const failure =
      commonFailure(answer, 'citizen lookup', ctx.clock) ?? unexpected(answer, 'citizen lookup');
    if (failure.code === 'revoked' || failure.code === 'bad-credentials')
      ctx.db.markRevoked(ctx.clock().toISOString());
    throw failure;
  }
  const parsed = CitizenLookupResponse.safeParse(answer.json);
  if (!parsed.success || parsed.data.SoGiayTo !== request.data.SoGiayTo) {
    throw syncError('bad-answer', 'retry', 'citizen lookup answer does not match the schema');
  }
  ctx.logger.info('sync.citizen-lookup', {
    procedure: request.data.MaTTHC,
    documents: parsed.data.documents.length,
  });
  return parsed.data.documents;
}

/** The document's bytes, verified against its declared size and SHA-256 (anything else is refused). */
export async function downloadCitizenDocument(ctx: EngineContext, doc: CitizenDocument): Promise<Uint8Array> {
  const parsed = CitizenDocumentSchema.safeParse(doc);
  if (!parsed.success)
    throw syncError('invalid-input', 'stop', 'not a citizen document', { detail: 'document' });
  const { contentPath, Bytes, Sha256 } = parsed.data;
  if (
    !/^\/v1\/[A-Za-z0-9._~/-]+$/.test(contentPath) ||
    contentPath.includes('..') ||
    Bytes < 0 ||
    Bytes > LIMITS.fileBytes
  ) {
    throw syncError('bad-answer', 'retry', 'citizen document has a bad content path or size');
  }
  const creds = requireCredentials(ctx);
  const answer = await ctx.httpFor(creds).request('GET', contentPath, {
    maxBytes: Bytes,
    timeoutMs: 300_000,
  });
  if (answer.status !== 200) {
    throw commonFailure(answer, 'citizen document', ctx.clock) ?? unexpected(answer, 'citizen document');
  }
  if (answer.body.byteLength !== Bytes || (await sha256Async(answer.body)) !== Sha256) {
    throw syncError(
      'bad-answer',
      'retry',
      `citizen document ${parsed.data.MaTaiLieuKho} does not match its SHA-256`,
    );
  }
  return answer.body;
}
