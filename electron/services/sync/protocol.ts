/**
 * Desk ⇄ provincial sync protocol, version v1: every request and response body as a zod schema (the single
 * source of truth for the desk's sync engine and the reference server); request signing is in signing.ts.
 * The prose lives next to this file in PROTOCOL.md; change both together.
 *
 * Schemas of what the server ACCEPTS are strict (unknown keys are refused, so a typo never silently drops
 * data); schemas of what the desk READS are loose (a newer server may add fields).
 */
import { z } from 'zod';
import { canonicalJson } from '../text/canonical-json';
import { PROTOCOL_VERSION, SHA256_HEX, sha256OfBody } from './signing';

export const PATHS = {
  health: '/v1/health',
  enrol: '/v1/enrol',
  dossier: (deskUuid: string) => `/v1/dossiers/${deskUuid}`,
  commit: (deskUuid: string) => `/v1/dossiers/${deskUuid}/commit`,
  uploads: '/v1/uploads/',
  changes: '/v1/changes',
  citizenLookup: '/v1/citizen-documents/lookup',
  citizenDocumentContent: (documentId: string) => `/v1/citizen-documents/${documentId}/content`,
} as const;

// ---------------------------------------------------------------------------------------------------------
// Limits (the server enforces them; the desk should never come near them)
// ---------------------------------------------------------------------------------------------------------
export const LIMITS = {
  /** JSON request bodies. */
  jsonBodyBytes: 1024 * 1024,
  /** Files declared in one dossier. */
  filesPerDossier: 200,
  /** One uploaded file (a scanned component as PDF). */
  fileBytes: 512 * 1024 * 1024,
  /** Raw `Upload-Metadata` header. */
  uploadMetadataChars: 2048,
  /** All request headers together (Node answers 431 above it). */
  headerBytes: 16 * 1024,
  /** Allowed clock difference between desk and server. */
  clockSkewSeconds: 300,
  /** Entries in one change-feed page. */
  changesPerPage: 500,
} as const;

// Request signing (HMAC-SHA256) lives in signing.ts; importers keep reading it from here.
export * from './signing';

// ---------------------------------------------------------------------------------------------------------
// National date-time format: yyyyMMddHHmmss in Asia/Ho_Chi_Minh (UTC+7 all year, no daylight saving)
// ---------------------------------------------------------------------------------------------------------
const VN_OFFSET_MS = 7 * 3600 * 1000;
const NATIONAL_DATE_TIME = /^(\d{4})(\d{2})(\d{2})(\d{2})(\d{2})(\d{2})$/;

export function formatNationalDateTime(date: Date): string {
  const local = new Date(date.getTime() + VN_OFFSET_MS).toISOString();
  return local.slice(0, 19).replace(/[-T:]/g, '');
}

/** Null when the text is not a real date-time (e.g. 31 February). */
export function parseNationalDateTime(text: string): Date | null {
  const m = NATIONAL_DATE_TIME.exec(text);
  if (!m) return null;
  const [, y, mo, d, h, mi, s] = m.map(Number) as [number, number, number, number, number, number, number];
  const utc = Date.UTC(y, mo - 1, d, h, mi, s);
  const check = new Date(utc);
  if (
    check.getUTCFullYear() !== y ||
    check.getUTCMonth() !== mo - 1 ||
    check.getUTCDate() !== d ||
    check.getUTCHours() !== h ||
    check.getUTCMinutes() !== mi ||
    check.getUTCSeconds() !== s
  ) {
    return null;
  }
  return new Date(utc - VN_OFFSET_MS);
}

// ---------------------------------------------------------------------------------------------------------
// Building blocks
// ---------------------------------------------------------------------------------------------------------
// biome-ignore lint/suspicious/noControlCharactersInRegex: refusing control characters is the point
const CONTROL_CHARS = /[\u0000-\u001f\u007f]/;
const text = (max: number) =>
  z
    .string()
    .min(1)
    .max(max)
    .refine((v) => !CONTROL_CHARS.test(v), 'control characters are not allowed');
const optionalText = (max: number) => text(max).optional();

export const nationalDateTime = z
  .string()
  .refine((v) => parseNationalDateTime(v) !== null, 'expected yyyyMMddHHmmss (Asia/Ho_Chi_Minh)');
export const sha256Hex = z.string().regex(SHA256_HEX, 'expected lower-case hex SHA-256');
export const deskUuid = z.uuid();
/** Lenient: `<agency code>-<YYMMDD>-<NNNN>`, agency code in either the 000.17.22.H56 or H15.50.05.13 style. */
export const maHoSo = z
  .string()
  .regex(/^[0-9A-Za-z.]{3,40}-\d{6}-\d{4,6}$/, 'expected <agency>-<YYMMDD>-<NNNN>');
/** A file name for display only: never used to build a path on either side. */
export const fileName = text(255).refine((v) => !/[/\\]/.test(v), 'a file name may not contain / or \\');
/** TrangThaiHoSo: 1 mới đăng ký … 10 đã trả kết quả. */
export const trangThaiHoSo = z.int().min(1).max(10);
/** Agency code, e.g. 000.17.22.H56. */
export const maCoQuan = z.string().regex(/^[0-9A-Za-z.]{3,40}$/);
export const isoDate = z.iso.date();

// ---------------------------------------------------------------------------------------------------------
// Errors: every non-2xx JSON answer has this shape; `error` is the code the desk maps to a Vietnamese message
// ---------------------------------------------------------------------------------------------------------
export const ERROR_CODES = [
  'bad-request',
  'invalid-json',
  'validation-failed',
  'body-too-large',
  'not-found',
  'method-not-allowed',
  'auth-missing',
  'auth-unknown-device',
  'auth-bad-signature',
  'auth-body-mismatch',
  'auth-stale-timestamp',
  'auth-replayed-nonce',
  'device-revoked',
  'enrolment-code-invalid',
  'dossier-conflict',
  'dossier-code-taken',
  'dossier-owned-by-other-device',
  'dossier-committed',
  'files-missing',
  'upload-not-declared',
  'upload-sha256-mismatch',
  'upload-rejected',
  'cursor-ahead',
  'injected-fault',
  'internal',
] as const;
export type ProtocolErrorCode = (typeof ERROR_CODES)[number];

export const ErrorBody = z.looseObject({
  error: z.string(),
  /** English, for logs and IT staff; the clerk sees the desk's Vietnamese text for `error`. */
  message: z.string(),
});
export type ErrorBody = z.infer<typeof ErrorBody>;

// ---------------------------------------------------------------------------------------------------------
// Health (no auth)
// ---------------------------------------------------------------------------------------------------------
export const HealthResponse = z.looseObject({
  ok: z.literal(true),
  protocol: z.literal(PROTOCOL_VERSION),
  serverTime: z.int(),
});
export type HealthResponse = z.infer<typeof HealthResponse>;

// ---------------------------------------------------------------------------------------------------------
// Enrolment (no auth: the one-time code is the credential)
// ---------------------------------------------------------------------------------------------------------
export const EnrolRequest = z.strictObject({
  code: z.string().min(6).max(64),
  /** Shown to the province's administrators, e.g. "Quầy 2 - UBND xã Quảng Phú". */
  deskName: text(200),
  appVersion: optionalText(40),
});
export type EnrolRequest = z.infer<typeof EnrolRequest>;

export const EnrolResponse = z.looseObject({
  deviceId: z.string(),
  /** 32 random bytes, base64url. Shown once; the desk stores it encrypted. */
  secret: z.string(),
  /** The receiving agency this desk issues dossier codes for. */
  MaCoQuan: maCoQuan,
  /** This desk's slot within the agency: the basis of its reserved dossier-code range. */
  deskSlot: z.int().min(1),
  enrolledAt: z.string(),
  clockSkewSeconds: z.int(),
});
export type EnrolResponse = z.infer<typeof EnrolResponse>;

// ---------------------------------------------------------------------------------------------------------
// Dossier upsert: PUT /v1/dossiers/{DeskUuid}
// ---------------------------------------------------------------------------------------------------------
export const TaiLieuNop = z.strictObject({
  /** The desk's UUID for this file; also the key of its upload. */
  TepDinhKemId: z.uuid(),
  TenTepDinhKem: fileName,
  MaThanhPhanHoSo: text(64),
  TenThanhPhanHoSo: optionalText(500),
  DuocSoHoa: z.boolean(),
  DuocTaiSuDung: z.boolean(),
  DuocLayTuKhoDMQG: z.boolean(),
  // Desk-specific: what the server verifies the upload against.
  Sha256: sha256Hex,
  Bytes: z.int().min(0).max(LIMITS.fileBytes),
  MimeType: z.string().regex(/^[a-z]+\/[a-z0-9.+-]{1,100}$/),
  /** When the file is a citizen document the server already holds (once-only): its id; no upload needed. */
  MaTaiLieuKho: optionalText(64),
});
export type TaiLieuNop = z.infer<typeof TaiLieuNop>;

export const LePhi = z.strictObject({
  MaPhiLePhi: optionalText(64),
  TenPhiLePhi: text(300),
  /** Amount in đồng. */
  SoTien: z.int().min(0).max(1_000_000_000_000),
  /** 1 cash, 2 transfer, 3 online, … as the province defines. */
  HinhThucThu: z.int().min(1).max(9).optional(),
});

/**
 * The citizen's rating of the officer at one step, from the desk's rating screen: no citizen identity.
 * MucDo 1 rất hài lòng, 2 hài lòng, 3 không (chưa) hài lòng; LyDo are reason codes, never free text.
 */
export const DanhGiaHaiLong = z.strictObject({
  Buoc: z.enum(['tiep-nhan', 'tra-ket-qua']),
  MucDo: z.int().min(1).max(3),
  LyDo: z.array(z.enum(['attitude', 'unclear-guidance', 'long-wait', 'documents-already-held'])).max(4),
  ThoiDiem: nationalDateTime,
  KenhDanhGia: z.literal('quay'),
});

export const DossierPayload = z
  .strictObject({
    DeskUuid: deskUuid,
    MaHoSo: maHoSo,
    MaTTHC: text(64),
    TenTTHC: text(1000),
    MaLinhVuc: optionalText(64),
    /** 1 direct, 2 online, 3 public post. */
    KenhThucHien: z.int().min(1).max(3),
    ChuHoSo: text(200),
    SoGiayToChuHoSo: z
      .string()
      .regex(/^[0-9A-Z]{6,20}$/)
      .optional(),
    LoaiDoiTuong: z.int().min(1).max(9).optional(),
    SoDienThoai: z
      .string()
      .regex(/^\+?[0-9 .-]{6,20}$/)
      .optional(),
    Email: z.email().max(200).optional(),
    TrichYeuHoSo: optionalText(2000),
    DiaChiChuHoSo: optionalText(500),
    NgayTiepNhan: nationalDateTime,
    NgayHenTra: nationalDateTime,
    TrangThaiHoSo: trangThaiHoSo,
    /** Receiving agency (MaCoQuan of the desk). */
    DonViTiepNhan: maCoQuan,
    DonViXuLy: optionalText(200),
    HoSoCoThanhPhanSoHoa: z.boolean(),
    TaiLieuNop: z.array(TaiLieuNop).max(LIMITS.filesPerDossier),
    DanhSachLePhi: z.array(LePhi).max(50).optional(),
    /** Additive (issue 15): present only when the dossier has ratings, so older payload hashes stay. */
    DanhGiaHaiLong: z.array(DanhGiaHaiLong).max(2).optional(),
  })
  .superRefine((dossier, ctx) => {
    const seen = new Set<string>();
    dossier.TaiLieuNop.forEach((file, index) => {
      if (seen.has(file.TepDinhKemId)) {
        ctx.addIssue({
          code: 'custom',
          path: ['TaiLieuNop', index, 'TepDinhKemId'],
          message: 'duplicate TepDinhKemId',
        });
      }
      seen.add(file.TepDinhKemId);
    });
    const received = parseNationalDateTime(dossier.NgayTiepNhan);
    const due = parseNationalDateTime(dossier.NgayHenTra);
    if (received && due && due < received) {
      ctx.addIssue({ code: 'custom', path: ['NgayHenTra'], message: 'NgayHenTra is before NgayTiepNhan' });
    }
  });
export type DossierPayload = z.infer<typeof DossierPayload>;

export const DossierFileState = z.looseObject({
  TepDinhKemId: z.string(),
  TenTepDinhKem: z.string(),
  MaThanhPhanHoSo: z.string(),
  Sha256: sha256Hex,
  Bytes: z.int(),
  /** True once an upload with exactly this SHA-256 completed (or a reused store document matched). */
  received: z.boolean(),
});
export type DossierFileState = z.infer<typeof DossierFileState>;

/** The server's record of a dossier: the answer to upsert, commit and GET. */
export const DossierRecord = z.looseObject({
  DeskUuid: z.string(),
  MaHoSo: z.string(),
  MaTTHC: z.string(),
  TrangThaiHoSo: z.int(),
  /** SHA-256 of the canonical JSON of the accepted payload: same content, same hash. */
  contentSha256: sha256Hex,
  /** 1 at creation, +1 for every accepted change before commit. */
  revision: z.int(),
  committed: z.boolean(),
  committedAt: z.string().nullable(),
  createdAt: z.string(),
  updatedAt: z.string(),
  files: z.array(DossierFileState),
});
export type DossierRecord = z.infer<typeof DossierRecord>;

export const ConflictBody = ErrorBody.extend({
  error: z.enum(['dossier-conflict', 'dossier-code-taken', 'dossier-owned-by-other-device']),
  DeskUuid: z.string(),
  MaHoSo: z.string().optional(),
  /** Top-level payload fields (and TaiLieuNop[i].Field paths) that differ from the committed content. */
  differences: z.array(z.string()).optional(),
  serverContentSha256: z.string().optional(),
  requestContentSha256: z.string().optional(),
  committedAt: z.string().nullable().optional(),
});
export type ConflictBody = z.infer<typeof ConflictBody>;

// ---------------------------------------------------------------------------------------------------------
// Commit: POST /v1/dossiers/{DeskUuid}/commit
// ---------------------------------------------------------------------------------------------------------
export const CommitRequest = z.strictObject({
  /** The content the desk means to commit; a different server content answers 409 dossier-conflict. */
  contentSha256: sha256Hex,
});
export type CommitRequest = z.infer<typeof CommitRequest>;

export const FilesMissingBody = ErrorBody.extend({
  error: z.literal('files-missing'),
  missing: z.array(z.looseObject({ TepDinhKemId: z.string(), TenTepDinhKem: z.string() })),
});
export type FilesMissingBody = z.infer<typeof FilesMissingBody>;

// ---------------------------------------------------------------------------------------------------------
// Uploads: tus 1.0 at /v1/uploads/ — metadata keys of the creation request (Upload-Metadata header)
// ---------------------------------------------------------------------------------------------------------
export const UploadMetadata = z.strictObject({
  dossierUuid: z.uuid(),
  fileId: z.uuid(),
  sha256: sha256Hex,
  filename: fileName,
  filetype: z.string().regex(/^[a-z]+\/[a-z0-9.+-]{1,100}$/),
});
export type UploadMetadata = z.infer<typeof UploadMetadata>;

// ---------------------------------------------------------------------------------------------------------
// Change feed: GET /v1/changes?cursor=C&limit=N
// ---------------------------------------------------------------------------------------------------------
export const ProgressEntry = z.looseObject({
  MaHoSo: z.string(),
  NguoiXuLy: z.string(),
  ChucDanh: z.string().optional(),
  ThoiDiemXuLy: nationalDateTime,
  PhongBanXuLy: z.string().optional(),
  NoiDungXuLy: z.string(),
  TrangThai: trangThaiHoSo,
});
export type ProgressEntry = z.infer<typeof ProgressEntry>;

export const DossierStatusChange = z.looseObject({
  DeskUuid: z.string(),
  MaHoSo: z.string(),
  TrangThaiHoSo: trangThaiHoSo,
  NgayKetThucXuLy: nationalDateTime.optional(),
  /** Progress entries added by this change (not the whole history). */
  TienTrinh: z.array(ProgressEntry),
});
export type DossierStatusChange = z.infer<typeof DossierStatusChange>;

export const CatalogProcedure = z.looseObject({
  MaTTHC: z.string(),
  TenTTHC: z.string(),
  MaLinhVuc: z.string().optional(),
  /** Legal processing time; unit 'working-days' | 'days' | 'hours'. */
  ThoiHanGiaiQuyet: z.looseObject({ value: z.number(), unit: z.enum(['working-days', 'days', 'hours']) }),
  ThanhPhanHoSo: z.array(
    z.looseObject({ MaThanhPhanHoSo: z.string(), TenThanhPhanHoSo: z.string(), BatBuoc: z.boolean() }),
  ),
});

export const CatalogChange = z.looseObject({
  version: z.string(),
  effectiveFrom: isoDate,
  procedures: z.array(CatalogProcedure),
});
export type CatalogChange = z.infer<typeof CatalogChange>;

/** The official yearly table that overrides computed defaults (see VIETNAM.md, Working days). */
export const HolidayTableChange = z.looseObject({
  year: z.int(),
  version: z.string(),
  /** E.g. "Thông báo 9441/TB-BNV". */
  source: z.string(),
  daysOff: z.array(isoDate),
  /** Working Saturdays/Sundays (days made up). */
  workingDays: z.array(isoDate),
});
export type HolidayTableChange = z.infer<typeof HolidayTableChange>;

/** Daily sequence numbers (the NNNN of MaHoSo) this desk may issue offline; ranges of desks never overlap. */
export const CodeRangeChange = z.looseObject({
  MaCoQuan: maCoQuan,
  deviceId: z.string(),
  sequenceFrom: z.int().min(1),
  sequenceTo: z.int().min(1),
  validFrom: isoDate,
  /** Null: until a later code-range change replaces it. */
  validTo: isoDate.nullable(),
});
export type CodeRangeChange = z.infer<typeof CodeRangeChange>;

const changeBase = { seq: z.string(), at: z.string() };
export const Change = z.discriminatedUnion('kind', [
  z.looseObject({ ...changeBase, kind: z.literal('dossier-status'), data: DossierStatusChange }),
  z.looseObject({ ...changeBase, kind: z.literal('catalog'), data: CatalogChange }),
  z.looseObject({ ...changeBase, kind: z.literal('holidays'), data: HolidayTableChange }),
  z.looseObject({ ...changeBase, kind: z.literal('code-range'), data: CodeRangeChange }),
]);
export type Change = z.infer<typeof Change>;

export const ChangesResponse = z.looseObject({
  changes: z.array(Change),
  /** Opaque; pass it back as `cursor`. Equal to the request cursor when nothing new. */
  nextCursor: z.string(),
  hasMore: z.boolean(),
});
export type ChangesResponse = z.infer<typeof ChangesResponse>;

export const CursorAheadBody = ErrorBody.extend({
  error: z.literal('cursor-ahead'),
  latestCursor: z.string(),
});

// ---------------------------------------------------------------------------------------------------------
// Citizen-document lookup (once-only reception): POST /v1/citizen-documents/lookup
// ---------------------------------------------------------------------------------------------------------
export const CitizenLookupRequest = z.strictObject({
  /** 12-digit CCCD number (9-digit old CMND accepted). POST, so the number never appears in a URL or log. */
  SoGiayTo: z.string().regex(/^(\d{12}|\d{9})$/, 'expected a 12-digit (or 9-digit) ID number'),
  /** The procedure the lookup serves: required, because personal data may only be read for a purpose. */
  MaTTHC: text(64),
});
export type CitizenLookupRequest = z.infer<typeof CitizenLookupRequest>;

export const CitizenDocument = z.looseObject({
  MaTaiLieuKho: z.string(),
  TenGiayTo: z.string(),
  SoKyHieu: z.string().optional(),
  TrichYeu: z.string().optional(),
  NgayBanHanh: isoDate.optional(),
  CoQuanBanHanh: z.string().optional(),
  NguoiKy: z.string().optional(),
  PhamViHieuLuc: z.string().optional(),
  ThoiHanHieuLuc: isoDate.optional(),
  MaHoSo: z.string().optional(),
  MaTTHC: z.string().optional(),
  MaThanhPhanHoSo: z.string().optional(),
  /** Came from a national database (counts for the 766 "taken from the national store" indicator). */
  DuocLayTuKhoDMQG: z.boolean(),
  Sha256: sha256Hex,
  Bytes: z.int(),
  MimeType: z.string(),
  /** Signed GET of this path returns the bytes. */
  contentPath: z.string(),
});
export type CitizenDocument = z.infer<typeof CitizenDocument>;

export const CitizenLookupResponse = z.looseObject({
  SoGiayTo: z.string(),
  documents: z.array(CitizenDocument),
});
export type CitizenLookupResponse = z.infer<typeof CitizenLookupResponse>;

// ---------------------------------------------------------------------------------------------------------
// The dossier's content hash: canonical JSON (text/canonical-json.ts), so key order does not matter
// ---------------------------------------------------------------------------------------------------------
export function dossierContentSha256(payload: DossierPayload): string {
  return sha256OfBody(canonicalJson(payload));
}
