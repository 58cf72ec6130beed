/**
 * Builds the national-format DossierPayload of a queued dossier from its rows (dossiers, dossier_components,
 * dossier_files). Deterministic: the same rows give the same payload, hence the same content hash, run after
 * run — which is what makes PUT and commit safe to retry.
 */
import type { Database } from 'better-sqlite3';
import { vi } from '../../api/i18n';
import { readDossier } from '../dossier/dossier-rows';
import {
  type DossierPayload,
  DossierPayload as DossierPayloadSchema,
  formatNationalDateTime,
} from './protocol';

export interface PayloadFile {
  id: string;
  fileName: string;
  sha256: string;
  ext: string;
  bytes: number;
  mimeType: string;
  /** MaTaiLieuKho: a document the province already holds; never uploaded. */
  storeDocumentId: string | null;
}

export interface BuiltPayload {
  payload: DossierPayload;
  files: PayloadFile[];
}

interface FileRow {
  id: string;
  component_code: string;
  component_name: string | null;
  file_name: string;
  mime_type: string;
  blob_sha256: string;
  blob_ext: string;
  bytes: number;
  source: 'scan' | 'reused-desk' | 'reused-province';
  store_document_id: string | null;
}

/** TrangThaiHoSo at reception (VIETNAM.md): 2 được tiếp nhận, 3 không được tiếp nhận, 5 yêu cầu bổ sung. */
const STATUS_AT_RECEPTION: Record<string, number> = {
  received: 2,
  synced: 2,
  refused: 3,
  'supplement-requested': 5,
};

export class PayloadError extends Error {
  override name = 'PayloadError';
  constructor(
    readonly code: string | null,
    /** Which fields are wrong: field paths only, never their values (they may be personal data). */
    readonly fields: string,
    /** What the IT officer reads about it, in Vietnamese, when the field paths alone would not say. */
    readonly clerkDetail: string = fields,
  ) {
    super(`invalid dossier payload: ${fields}`);
  }
}

const clean = (text: string | null | undefined): string | undefined => {
  const value = text?.normalize('NFC').replace(/\s+/g, ' ').trim();
  return value ? value : undefined;
};

/**
 * Phone, email and address, from the applicant's JSON. JSON that does not parse is refused, never read as
 * "no contact data": the dossier is parked for a person rather than sent without them.
 */
function applicantExtras(
  json: string | null,
  code: string | null,
): { phone?: string; email?: string; address?: string } {
  if (!json) return {};
  let value: unknown;
  try {
    value = JSON.parse(json);
  } catch {
    throw new PayloadError(code, 'applicant_json', vi.rooms.payload.applicantUnreadable);
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value))
    throw new PayloadError(code, 'applicant_json', vi.rooms.payload.applicantUnreadable);
  const record = value as Record<string, unknown>;
  const pick = (key: string) => (typeof record[key] === 'string' ? clean(record[key] as string) : undefined);
  return { phone: pick('phone'), email: pick('email'), address: pick('address') };
}

function isoToNational(iso: string | null, fallback: string): string {
  const date = new Date(iso ?? fallback);
  return formatNationalDateTime(Number.isNaN(date.getTime()) ? new Date(fallback) : date);
}

const RATING_LEVEL: Record<string, number> = { 'very-satisfied': 1, satisfied: 2, dissatisfied: 3 };

/**
 * The desk ratings of the dossier (issue 15), in the protocol's form; undefined when there are none. A rating
 * made after the province confirmed the dossier is left out: it would change committed content (409).
 */
function ratingsOf(db: Database, dossierId: string) {
  const rows = db
    .prepare(
      `SELECT g.step, g.level, g.reasons_json, g.rated_at FROM dossier_ratings g JOIN dossiers d ON d.id = g.dossier_id
       WHERE g.dossier_id = ? AND (d.province_confirmed_at IS NULL OR g.rated_at < d.province_confirmed_at)
       ORDER BY g.step`,
    )
    .all(dossierId) as { step: string; level: string; reasons_json: string; rated_at: string }[];
  if (rows.length === 0) return undefined;
  return rows.map((r) => ({
    Buoc: r.step === 'reception' ? 'tiep-nhan' : 'tra-ket-qua',
    MucDo: RATING_LEVEL[r.level] ?? 0,
    LyDo: JSON.parse(r.reasons_json) as unknown,
    ThoiDiem: formatNationalDateTime(new Date(r.rated_at)),
    KenhDanhGia: 'quay',
  }));
}

export function buildDossierPayload(db: Database, dossierId: string, agencyCode: string): BuiltPayload {
  const dossier = readDossier(db, dossierId);
  if (!dossier) throw new PayloadError(null, 'dossier row missing');
  const files = db
    .prepare(
      `SELECT f.*, c.name AS component_name FROM dossier_files f
       LEFT JOIN dossier_components c ON c.dossier_id = f.dossier_id AND c.component_code = f.component_code
       WHERE f.dossier_id = ? ORDER BY COALESCE(c.position, 1e9), f.component_code, f.created_at, f.id`,
    )
    .all(dossierId) as FileRow[];
  const extras = applicantExtras(dossier.applicant_json, dossier.code);
  const receivedIso = dossier.received_at ?? dossier.created_at;
  const phone = extras.phone && /^\+?[0-9 .-]{6,20}$/.test(extras.phone) ? extras.phone : undefined;
  const email = extras.email && /^[^\s@]+@[^\s@]+\.[^\s@]+$/.test(extras.email) ? extras.email : undefined;
  const raw = {
    DeskUuid: dossier.id,
    MaHoSo: dossier.code ?? '',
    MaTTHC: clean(dossier.procedure_code) ?? '',
    TenTTHC: clean(dossier.procedure_name) ?? '',
    KenhThucHien: 1,
    ChuHoSo: clean(dossier.applicant_name) ?? '',
    SoGiayToChuHoSo: clean(dossier.applicant_id_number),
    SoDienThoai: phone,
    Email: email,
    DiaChiChuHoSo: extras.address?.slice(0, 500),
    NgayTiepNhan: isoToNational(receivedIso, dossier.created_at),
    NgayHenTra: isoToNational(dossier.due_at ?? receivedIso, dossier.created_at),
    TrangThaiHoSo: STATUS_AT_RECEPTION[dossier.status] ?? 2,
    DonViTiepNhan: agencyCode,
    HoSoCoThanhPhanSoHoa: files.some((f) => f.source === 'scan'),
    TaiLieuNop: files.map((f) => ({
      TepDinhKemId: f.id,
      // Display only; the protocol refuses path separators.
      TenTepDinhKem: (clean(f.file_name) ?? f.id).replace(/[/\\]/g, '_').slice(0, 255),
      MaThanhPhanHoSo: f.component_code,
      TenThanhPhanHoSo: clean(f.component_name)?.slice(0, 500),
      DuocSoHoa: f.source === 'scan',
      DuocTaiSuDung: f.source !== 'scan',
      DuocLayTuKhoDMQG: f.source === 'reused-province',
      Sha256: f.blob_sha256,
      Bytes: f.bytes,
      MimeType: f.mime_type,
      MaTaiLieuKho: clean(f.store_document_id),
    })),
    DanhGiaHaiLong: ratingsOf(db, dossierId),
  };
  const parsed = DossierPayloadSchema.safeParse(raw);
  if (!parsed.success) {
    const fields = [...new Set(parsed.error.issues.map((i) => i.path.map(String).join('.') || '(gốc)'))];
    throw new PayloadError(dossier.code, fields.slice(0, 8).join(', '));
  }
  return {
    payload: parsed.data,
    files: files.map((f) => ({
      id: f.id,
      fileName: f.file_name,
      sha256: f.blob_sha256,
      ext: f.blob_ext,
      bytes: f.bytes,
      mimeType: f.mime_type,
      storeDocumentId: clean(f.store_document_id) ?? null,
    })),
  };
}
