/**
 * Once-only reception (Decree 45/2020): a component is taken from what is already digitized for the applicant
 * — an earlier dossier on this desk, or the province's store — instead of scanning the paper again.
 */
import { randomUUID } from 'node:crypto';
import type { ClerkView, ReusableDocumentView } from '../../api/desk-api';
import { format, vi } from '../../api/i18n';
import type { ProcedureVersion } from '../catalog/catalog-schema';
import { type DossierRow, touchDossier } from '../dossier/dossier-rows';
import { procedureOf, type ReceptionContext } from './reception-context';
import {
  type FileRecord,
  replaceFiles,
  requireOpenDossier,
  setComponent,
  unknownComponent,
} from './reception-rows';
import { ReceptionError } from './types';

const t = vi.reception.workflow;
const PROVINCE_PREFIX = 'province:';

interface DeskFileRow {
  id: string;
  component_code: string;
  file_name: string;
  mime_type: string;
  blob_sha256: string;
  blob_ext: string;
  bytes: number;
  page_count: number | null;
  dossier_code: string | null;
  component_name: string | null;
  received_at: string | null;
}

type ReusedFile = Omit<FileRecord, 'id' | 'source_batch_id' | 'created_at'> & {
  source: 'reused-desk' | 'reused-province';
};
type ReusedFrom = { dossierCode: string | null; title: string; source: 'desk' | 'province' };

/** Asks the province what it holds for the applicant, within the timeout; offline or slow means "nothing". */
export async function lookupProvince(
  ctx: ReceptionContext,
  dossierId: string,
  idNumber: string,
  procedureCode: string,
): Promise<void> {
  const source = ctx.options.citizenDocuments;
  if (!source) return;
  const timeoutMs = ctx.options.provinceLookupTimeoutMs ?? 3000;
  let timer: NodeJS.Timeout | undefined;
  try {
    const docs = await Promise.race([
      source.lookup(idNumber, procedureCode),
      new Promise<never>((_, reject) => {
        timer = setTimeout(() => reject(new Error('province lookup timed out')), timeoutMs);
      }),
    ]);
    ctx.provinceFound.set(dossierId, docs);
  } catch (error) {
    // Offline or slow: the clerk scans the paper; nothing is lost.
    ctx.logger.warn('reception.province-lookup-failed', { dossierId, error: (error as Error).message });
  } finally {
    clearTimeout(timer);
  }
}

/** What the clerk may reuse for this dossier's components: desk files first, then the province's. */
export function reusableDocuments(
  ctx: ReceptionContext,
  row: DossierRow,
  procedure: ProcedureVersion,
): ReusableDocumentView[] {
  const codes = procedure.components.map((c) => c.code);
  const desk = deskFiles(ctx, row, codes).map(
    (f): ReusableDocumentView => ({
      documentId: f.id,
      componentCode: f.component_code,
      title: f.component_name ?? f.file_name,
      source: 'desk',
      dossierCode: f.dossier_code,
      issuedOn: f.received_at ? f.received_at.slice(0, 10) : null,
      validUntil: null,
    }),
  );
  const province = (ctx.provinceFound.get(row.id) ?? [])
    .filter((d) => d.MaThanhPhanHoSo && codes.includes(d.MaThanhPhanHoSo))
    .map(
      (d): ReusableDocumentView => ({
        documentId: `${PROVINCE_PREFIX}${d.MaTaiLieuKho}`,
        componentCode: d.MaThanhPhanHoSo as string,
        title: d.TenGiayTo,
        source: 'province',
        dossierCode: d.MaHoSo ?? null,
        issuedOn: d.NgayBanHanh ?? null,
        validUntil: d.ThoiHanHieuLuc ?? null,
      }),
    );
  return [...desk, ...province];
}

/** Once-only: the component is taken from what is already digitized for this applicant; no scan asked. */
export async function reuseDocument(
  ctx: ReceptionContext,
  dossierId: string,
  componentCode: string,
  documentId: string,
  clerk: ClerkView,
): Promise<void> {
  const row = requireOpenDossier(ctx.db, dossierId);
  const procedure = procedureOf(ctx, row);
  const component = procedure.components.find((c) => c.code === componentCode);
  if (!component) throw unknownComponent(componentCode);
  const missing = () => new ReceptionError('not-found', t.documentNotFound, 'reusable document not found');
  if (documentId.startsWith(PROVINCE_PREFIX)) {
    const storeId = documentId.slice(PROVINCE_PREFIX.length);
    const source = ctx.options.citizenDocuments;
    const doc = (ctx.provinceFound.get(dossierId) ?? []).find(
      (d) => d.MaTaiLieuKho === storeId && d.MaThanhPhanHoSo === componentCode,
    );
    if (!source || !doc) throw missing();
    let bytes: Uint8Array;
    try {
      bytes = await source.download(doc);
    } catch (error) {
      ctx.logger.warn('reception.province-download-failed', { dossierId, error: (error as Error).name });
      throw new ReceptionError('unavailable', t.provinceUnavailable, 'province document download failed');
    }
    const blob = await ctx.options.store.blobs.putAsync(
      bytes,
      doc.MimeType === 'application/pdf' ? '.pdf' : '',
    );
    recordReuse(
      ctx,
      dossierId,
      componentCode,
      {
        file_name: `${componentCode}.pdf`,
        mime_type: doc.MimeType,
        blob_sha256: blob.sha256,
        blob_ext: blob.path.endsWith('.pdf') ? '.pdf' : '',
        bytes: blob.bytes,
        page_count: null,
        source: 'reused-province',
        reused_file_id: null,
        store_document_id: doc.MaTaiLieuKho,
      },
      { dossierCode: doc.MaHoSo ?? null, title: doc.TenGiayTo, source: 'province' },
      clerk,
      { storeDocumentId: doc.MaTaiLieuKho },
    );
    return;
  }
  const file = deskFiles(ctx, row, [componentCode]).find((f) => f.id === documentId);
  if (!file) throw missing();
  recordReuse(
    ctx,
    dossierId,
    componentCode,
    {
      file_name: file.file_name,
      mime_type: file.mime_type,
      blob_sha256: file.blob_sha256,
      blob_ext: file.blob_ext,
      bytes: file.bytes,
      page_count: file.page_count,
      source: 'reused-desk',
      reused_file_id: file.id,
      store_document_id: null,
    },
    {
      dossierCode: file.dossier_code,
      title: format(t.reusedTitle, { component: component.name, code: file.dossier_code ?? '' }),
      source: 'desk',
    },
    clerk,
    { fileId: file.id },
  );
}

/** Files of this applicant's earlier received dossiers on this desk, for the given component codes. */
function deskFiles(ctx: ReceptionContext, row: DossierRow, componentCodes: string[]): DeskFileRow[] {
  if (!row.applicant_id_number || componentCodes.length === 0) return [];
  const rows = ctx.db
    .prepare(
      `SELECT f.id, f.component_code, f.file_name, f.mime_type, f.blob_sha256, f.blob_ext, f.bytes, f.page_count,
              d.code AS dossier_code, c.name AS component_name, d.received_at
       FROM dossier_files f
       JOIN dossiers d ON d.id = f.dossier_id
       LEFT JOIN dossier_components c ON c.dossier_id = f.dossier_id AND c.component_code = f.component_code
       WHERE d.applicant_id_number = ? AND d.id != ? AND d.status IN ('received', 'synced')
         AND d.purged_at IS NULL
         AND f.component_code IN (SELECT value FROM json_each(?))
       ORDER BY d.received_at DESC, f.created_at DESC`,
    )
    .all(row.applicant_id_number, row.id, JSON.stringify(componentCodes)) as DeskFileRow[];
  // The same bytes reused dossier after dossier are one document: offer the newest only.
  const seen = new Set<string>();
  return rows.filter((f) => {
    const key = `${f.component_code}:${f.blob_sha256}`;
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}

/** One transaction: the reused file replaces the component's files, the component is flagged, audited. */
function recordReuse(
  ctx: ReceptionContext,
  dossierId: string,
  componentCode: string,
  file: ReusedFile,
  reusedFrom: ReusedFrom,
  clerk: ClerkView,
  objects: Record<string, string>,
): void {
  const now = ctx.clock().toISOString();
  ctx.db
    .transaction(() => {
      replaceFiles(ctx.db, dossierId, componentCode, {
        id: randomUUID(),
        ...file,
        source_batch_id: null,
        created_at: now,
      });
      setComponent(ctx.db, dossierId, componentCode, 'reused', reusedFrom);
      touchDossier(ctx.db, dossierId, now);
      ctx.options.audit.append({
        clerkId: clerk.id,
        action: 'dossier.reuse-document',
        objects: { dossierId, ...objects },
        details: { component: componentCode, source: reusedFrom.source },
      });
    })
    .immediate();
}
