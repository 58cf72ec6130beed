/** The citizen's digitized-document store (once-only reception): registered by admin, looked up by ID number. */
import { randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { z } from 'zod';
import { sha256Hex as sha256OfBytes, writeFileAtomic } from '../../electron/services/store/files';
import {
  type CitizenDocument,
  type CitizenLookupResponse,
  isoDate,
  PATHS,
} from '../../electron/services/sync/protocol';
import type { CitizenDocumentRow } from './db';
import { ApiError } from './http-io';
import type { ServerState } from './state';

const optional = (max: number) => z.string().min(1).max(max).optional();

export const RegisterCitizenDocument = z.strictObject({
  SoGiayTo: z.string().regex(/^(\d{12}|\d{9})$/),
  TenGiayTo: z.string().min(1).max(500),
  SoKyHieu: optional(100),
  TrichYeu: optional(2000),
  NgayBanHanh: isoDate.optional(),
  CoQuanBanHanh: optional(300),
  NguoiKy: optional(200),
  PhamViHieuLuc: optional(300),
  ThoiHanHieuLuc: isoDate.optional(),
  MaHoSo: optional(64),
  MaTTHC: optional(64),
  MaThanhPhanHoSo: optional(64),
  DuocLayTuKhoDMQG: z.boolean(),
  MimeType: z.string().regex(/^[a-z]+\/[a-z0-9.+-]{1,100}$/),
  contentBase64: z.string().min(1),
});

/** Files are named by their SHA-256, never by anything a client sent. */
function documentPath(state: ServerState, sha256: string): string {
  if (!/^[0-9a-f]{64}$/.test(sha256)) throw new Error('invalid sha256');
  return join(state.dataDir, 'documents', sha256.slice(0, 2), sha256);
}

export function registerCitizenDocument(
  state: ServerState,
  input: z.infer<typeof RegisterCitizenDocument>,
): CitizenDocument {
  const { contentBase64, SoGiayTo, MimeType, ...metadata } = input;
  const bytes = Buffer.from(contentBase64, 'base64');
  if (bytes.length === 0) throw new ApiError(400, 'bad-request', 'contentBase64 decodes to nothing');
  const sha256 = sha256OfBytes(bytes);
  writeFileAtomic(documentPath(state, sha256), bytes);
  const id = randomUUID();
  state.db
    .prepare(
      `INSERT INTO citizen_documents (id, id_number, ma_tthc, metadata_json, sha256, bytes, mime_type, created_at)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?)`,
    )
    .run(
      id,
      SoGiayTo,
      metadata.MaTTHC ?? null,
      JSON.stringify(metadata),
      sha256,
      bytes.length,
      MimeType,
      state.clock().toISOString(),
    );
  return toDocument({
    id,
    id_number: SoGiayTo,
    ma_tthc: metadata.MaTTHC ?? null,
    metadata_json: JSON.stringify(metadata),
    sha256,
    bytes: bytes.length,
    mime_type: MimeType,
    created_at: '',
  });
}

function toDocument(row: CitizenDocumentRow): CitizenDocument {
  const metadata = JSON.parse(row.metadata_json) as Pick<CitizenDocument, 'TenGiayTo' | 'DuocLayTuKhoDMQG'> &
    Record<string, unknown>;
  return {
    ...metadata,
    MaTaiLieuKho: row.id,
    Sha256: row.sha256,
    Bytes: row.bytes,
    MimeType: row.mime_type,
    contentPath: PATHS.citizenDocumentContent(row.id),
  };
}

export function lookupCitizenDocuments(state: ServerState, idNumber: string): CitizenLookupResponse {
  const rows = state.db
    .prepare('SELECT * FROM citizen_documents WHERE id_number = ? ORDER BY created_at, id')
    .all(idNumber) as CitizenDocumentRow[];
  return { SoGiayTo: idNumber, documents: rows.map(toDocument) };
}

export function citizenDocumentContent(state: ServerState, id: string): { bytes: Buffer; mimeType: string } {
  const row = state.db.prepare('SELECT * FROM citizen_documents WHERE id = ?').get(id) as
    | CitizenDocumentRow
    | undefined;
  if (!row) throw new ApiError(404, 'not-found', 'no such document');
  return { bytes: readFileSync(documentPath(state, row.sha256)), mimeType: row.mime_type };
}
