import { ClerkFacingError, type DeskErrorCode } from '../../api/errors';

/**
 * A document the province already holds for a citizen (national field names), as the sync engine's
 * `lookupCitizenDocuments` returns it. Only the fields reception uses are named; more are fine.
 */
export interface ProvinceDocument {
  MaTaiLieuKho: string;
  TenGiayTo: string;
  NgayBanHanh?: string;
  ThoiHanHieuLuc?: string;
  MaHoSo?: string;
  MaThanhPhanHoSo?: string;
  DuocLayTuKhoDMQG: boolean;
  Sha256: string;
  Bytes: number;
  MimeType: string;
}

/**
 * The province's store of a citizen's digitized documents (once-only, Decree 45/2020). The lead wires the sync
 * engine in: `{ lookup: engine.lookupCitizenDocuments, download: engine.downloadCitizenDocument }`.
 */
export interface CitizenDocumentSource<D extends ProvinceDocument = ProvinceDocument> {
  lookup(idNumber: string, procedureCode: string): Promise<D[]>;
  download(doc: D): Promise<Uint8Array>;
}

/** A reception problem: `clerkMessage` Vietnamese for the clerk, `message` English for the log. */
export type ReceptionErrorCode = 'not-found' | 'invalid-input' | 'conflict' | 'unavailable';

export class ReceptionError extends ClerkFacingError {
  override name = 'ReceptionError';
  constructor(
    readonly code: ReceptionErrorCode,
    readonly clerkMessage: string,
    detail: string,
  ) {
    super(detail);
  }

  get deskCode(): DeskErrorCode {
    return this.code;
  }
}
