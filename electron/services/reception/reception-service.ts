import { randomUUID } from 'node:crypto';
import type {
  ApplicantInput,
  ClerkView,
  DossierStatus,
  ProcedureView,
  ReceptionComponentView,
  ReceptionView,
  ReusableDocumentView,
} from '../../api/desk-api';
import { format, vi } from '../../api/i18n';
import type { AuditLog } from '../audit/audit-log';
import { computeDueDate, openWorkingCalendar } from '../calendar';
import type { ProcedureVersion } from '../catalog/catalog-schema';
import type { ProcedureCatalog } from '../catalog/procedure-catalog';
import type { DossierCodeIssuer } from '../dossier/dossier-code-issuer';
import { checkApplicant } from '../extract/applicant-text';
import { renderReceipt, renderRefusal, SupplementRegister } from '../forms';
import type { RenderOptions } from '../forms/render-form';
import type { ImagingThread } from '../imaging/imaging-thread';
import { type Logger, silentLogger } from '../logging/logger';
import type { ScanService } from '../scan/scan-service';
import type { Store } from '../store/store';
import { batchParts } from './batch-parts';
import { prefillReport } from './prefill-report';
import { toProcedureView } from './procedure-view';
import { type CitizenDocumentSource, type ProvinceDocument, ReceptionError } from './types';

const t = vi.reception.workflow;

export type DeskForm = 'receipt' | 'supplement' | 'refusal';

export interface ReceptionServiceOptions {
  store: Store;
  scans: ScanService;
  catalog: ProcedureCatalog;
  issuer: DossierCodeIssuer;
  /** Black-and-white pages are encoded there, off the caller's thread. */
  imaging: ImagingThread;
  audit: AuditLog;
  /** Printed on the forms (config agencyName). */
  agencyName: string;
  clock?: () => Date;
  logger?: Logger;
  /** The province's store of digitized documents; absent while the desk is not enrolled. */
  citizenDocuments?: CitizenDocumentSource | null;
  /** The desk never waits long for the province: a slower lookup is treated as "nothing found". */
  provinceLookupTimeoutMs?: number;
  render?: RenderOptions;
}

interface DossierRow {
  id: string;
  code: string | null;
  procedure_code: string | null;
  procedure_name: string;
  applicant_name: string;
  applicant_id_number: string | null;
  applicant_json: string | null;
  status: DossierStatus;
  created_at: string;
  received_at: string | null;
  due_at: string | null;
  prefilled_fields: number;
  typed_fields: number;
}

interface ComponentRow {
  component_code: string;
  name: string;
  required: number;
  position: number;
  status: 'missing' | 'scanned' | 'reused';
  reused_json: string | null;
  pages: number | null;
}

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

const ID_NUMBER = /^(\d{12}|\d{9})$/;
const PROVINCE_PREFIX = 'province:';
/** States in which the dossier's components may still change. */
const OPEN: readonly DossierStatus[] = ['draft', 'supplement-requested'];

const notFound = () => new ReceptionError('not-found', t.dossierNotFound, 'no such reception dossier');

/**
 * The reception workflow at the desk: draft → received (then synced, province statuses: the sync engine) or
 * refused or supplement-requested (→ received once complete). Each state change writes its audit entry in the
 * transaction that makes it; a received dossier gets its outbox row in the same transaction as its code.
 */
export class ReceptionService {
  private readonly clock: () => Date;
  private readonly logger: Logger;
  private readonly supplements: SupplementRegister;
  /** Province documents found per dossier at start, so a view never waits on the network. */
  private readonly provinceFound = new Map<string, ProvinceDocument[]>();

  constructor(private readonly options: ReceptionServiceOptions) {
    this.clock = options.clock ?? (() => new Date());
    this.logger = options.logger ?? silentLogger;
    this.supplements = new SupplementRegister(options.store.db, { audit: options.audit, clock: this.clock });
  }

  private get db() {
    return this.options.store.db;
  }

  searchProcedures(query: string, limit = 20): ProcedureView[] {
    return this.options.catalog.search(query, { limit }).map((m) => toProcedureView(this.db, m.procedure));
  }

  /** A draft dossier: the procedure's components copied in, the applicant and the pre-fill counts recorded. */
  async start(
    input: {
      procedureCode: string;
      applicant: ApplicantInput;
      prefill?: { prefilled: number; typed: number };
    },
    clerk: ClerkView,
  ): Promise<ReceptionView> {
    const procedure = this.options.catalog.requireProcedure(input.procedureCode, this.clock());
    // The one check of the applicant's text: what is stored here is what the receipt, the UI and the province see.
    const checked = checkApplicant(input.applicant);
    if (!checked.ok) throw new ReceptionError('invalid-input', checked.clerkMessage, checked.detail);
    const applicant = checked.applicant;
    if (!ID_NUMBER.test(applicant.idNumber))
      throw new ReceptionError(
        'invalid-input',
        t.invalidIdNumber,
        'applicant id number is not 9 or 12 digits',
      );
    const id = randomUUID();
    const now = this.clock().toISOString();
    const { idNumber, fullName, ...extras } = applicant;
    this.db
      .transaction(() => {
        this.db
          .prepare(
            `INSERT INTO dossiers (id, code, procedure_code, procedure_name, applicant_name, status, created_at,
               updated_at, applicant_id_number, applicant_json, clerk_id, prefilled_fields, typed_fields)
             VALUES (?, NULL, ?, ?, ?, 'draft', ?, ?, ?, ?, ?, ?, ?)`,
          )
          .run(
            id,
            procedure.code,
            procedure.name,
            fullName,
            now,
            now,
            idNumber,
            JSON.stringify(extras),
            clerk.id,
            input.prefill?.prefilled ?? 0,
            input.prefill?.typed ?? 0,
          );
        const insert = this.db.prepare(
          `INSERT INTO dossier_components (dossier_id, component_code, name, required, position)
           VALUES (?, ?, ?, ?, ?)`,
        );
        procedure.components.forEach((c, i) => {
          insert.run(id, c.code, c.name, c.required ? 1 : 0, i + 1);
        });
        this.options.audit.append({
          clerkId: clerk.id,
          action: 'dossier.start',
          objects: { dossierId: id },
          details: {
            procedureCode: procedure.code,
            prefilled: input.prefill?.prefilled ?? 0,
            typed: input.prefill?.typed ?? 0,
          },
        });
      })
      .immediate();
    this.logger.info('reception.started', { dossierId: id, procedure: procedure.code });
    await this.lookupProvince(id, idNumber, procedure.code);
    return this.view(id);
  }

  view(dossierId: string): ReceptionView {
    const row = this.row(dossierId);
    const procedure = this.procedureOf(row);
    const components = this.componentRows(dossierId).map(
      (c): ReceptionComponentView => ({
        code: c.component_code,
        name: c.name,
        required: c.required === 1,
        position: c.position,
        status: c.status,
        pageCount: c.pages ?? 0,
        reusedFrom: c.reused_json ? JSON.parse(c.reused_json) : null,
      }),
    );
    const extras = row.applicant_json ? (JSON.parse(row.applicant_json) as Partial<ApplicantInput>) : {};
    return {
      dossierId: row.id,
      code: row.code,
      status: row.status,
      procedure: toProcedureView(this.db, procedure),
      applicant: { ...extras, fullName: row.applicant_name, idNumber: row.applicant_id_number ?? '' },
      components,
      reusable: OPEN.includes(row.status) ? this.reusable(row, procedure) : [],
      receivedAt: row.received_at,
      dueAt: row.due_at ?? this.dueDate(procedure, this.clock()).toISOString(),
      prefill: { prefilled: row.prefilled_fields, typed: row.typed_fields },
    };
  }

  /**
   * The batch's kept pages become the component's PDF. Separator sheets split the batch: the first part fills
   * `componentCode`, each further part the next missing component in the procedure's order. `pagesPerPart`
   * splits by page counts instead (headless reception without separator sheets).
   */
  async attachScan(
    dossierId: string,
    componentCode: string,
    batchId: string,
    clerk: ClerkView,
    pagesPerPart?: readonly number[],
  ): Promise<ReceptionView> {
    const row = this.openRow(dossierId);
    const components = this.componentRows(dossierId);
    const first = components.find((c) => c.component_code === componentCode);
    if (!first) throw unknownComponent(componentCode);
    const batch = this.options.scans.batch(batchId);
    if (!batch || batch.status === 'discarded')
      throw new ReceptionError('not-found', t.batchNotFound, 'no such scan batch');
    if (batch.status === 'scanning')
      throw new ReceptionError('conflict', t.batchScanning, 'batch is still scanning');
    const parts = await batchParts(
      this.options.store,
      this.options.scans,
      batch,
      this.options.imaging,
      pagesPerPart,
    );
    if (parts.length === 0)
      throw new ReceptionError('invalid-input', t.emptyBatch, 'batch has no kept pages');
    const later = components.filter((c) => c.position > first.position && c.status === 'missing');
    const targets = [first, ...later].slice(0, parts.length);
    if (targets.length < parts.length) {
      throw new ReceptionError(
        'invalid-input',
        format(vi.reception.cli.tooManyParts, { parts: parts.length, components: targets.length }),
        `${parts.length} batch parts for ${targets.length} components`,
      );
    }
    // Files first (durable), rows after: a crash leaves at most an unreferenced blob.
    const stored = await Promise.all(
      parts.map(async (part) => ({ part, blob: await this.options.store.blobs.putAsync(part.pdf, '.pdf') })),
    );
    const now = this.clock().toISOString();
    this.db
      .transaction(() => {
        stored.forEach(({ part, blob }, i) => {
          const target = targets[i] as ComponentRow;
          this.replaceFiles(dossierId, target.component_code, {
            id: randomUUID(),
            file_name: `${target.component_code}.pdf`,
            mime_type: 'application/pdf',
            blob_sha256: blob.sha256,
            blob_ext: '.pdf',
            bytes: blob.bytes,
            page_count: part.seqs.length,
            source: 'scan',
            source_batch_id: batchId,
            reused_file_id: null,
            store_document_id: null,
            created_at: now,
          });
          this.setComponent(dossierId, target.component_code, 'scanned', null);
        });
        this.db.prepare('UPDATE scan_batches SET dossier_id = ? WHERE id = ?').run(dossierId, batchId);
        this.touch(dossierId, now);
        this.options.audit.append({
          clerkId: clerk.id,
          action: 'dossier.attach-scan',
          objects: { dossierId, batchId },
          details: {
            components: targets.map((c) => c.component_code).join(','),
            pages: parts.reduce((n, p) => n + p.seqs.length, 0),
          },
        });
      })
      .immediate();
    this.logger.info('reception.scan-attached', { dossierId: row.id, parts: parts.length });
    return this.view(dossierId);
  }

  /** Once-only: the component is taken from what is already digitized for this applicant; no scan asked. */
  async reuseDocument(
    dossierId: string,
    componentCode: string,
    documentId: string,
    clerk: ClerkView,
  ): Promise<ReceptionView> {
    const row = this.openRow(dossierId);
    const procedure = this.procedureOf(row);
    const component = procedure.components.find((c) => c.code === componentCode);
    if (!component) throw unknownComponent(componentCode);
    const missing = () => new ReceptionError('not-found', t.documentNotFound, 'reusable document not found');
    if (documentId.startsWith(PROVINCE_PREFIX)) {
      const storeId = documentId.slice(PROVINCE_PREFIX.length);
      const source = this.options.citizenDocuments;
      const doc = (this.provinceFound.get(dossierId) ?? []).find(
        (d) => d.MaTaiLieuKho === storeId && d.MaThanhPhanHoSo === componentCode,
      );
      if (!source || !doc) throw missing();
      let bytes: Uint8Array;
      try {
        bytes = await source.download(doc);
      } catch (error) {
        this.logger.warn('reception.province-download-failed', { dossierId, error: (error as Error).name });
        throw new ReceptionError('unavailable', t.provinceUnavailable, 'province document download failed');
      }
      const blob = await this.options.store.blobs.putAsync(
        bytes,
        doc.MimeType === 'application/pdf' ? '.pdf' : '',
      );
      const reusedFrom = {
        dossierCode: doc.MaHoSo ?? null,
        title: doc.TenGiayTo,
        source: 'province' as const,
      };
      this.recordReuse(
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
        reusedFrom,
        clerk,
        { storeDocumentId: doc.MaTaiLieuKho },
      );
      return this.view(dossierId);
    }
    const file = this.deskFiles(row, [componentCode]).find((f) => f.id === documentId);
    if (!file) throw missing();
    const reusedFrom = {
      dossierCode: file.dossier_code,
      title: format(t.reusedTitle, { component: component.name, code: file.dossier_code ?? '' }),
      source: 'desk' as const,
    };
    this.recordReuse(
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
      reusedFrom,
      clerk,
      { fileId: file.id },
    );
    return this.view(dossierId);
  }

  /**
   * Receives the dossier: in one transaction the code (unless a supplement request already issued one),
   * received_at, due_at, status, audit entry and outbox row. Then the receipt, stored for reprints.
   */
  async complete(
    dossierId: string,
    clerk: ClerkView,
  ): Promise<{ view: ReceptionView; receiptPdf: Uint8Array }> {
    const row = this.openRow(dossierId);
    const procedure = this.procedureOf(row);
    const missing = this.componentRows(dossierId).filter((c) => c.required === 1 && c.status === 'missing');
    if (missing.length > 0) {
      throw new ReceptionError(
        'invalid-input',
        format(t.missingRequired, { items: missing.map((c) => `“${c.name}”`).join(', ') }),
        `required components missing: ${missing.map((c) => c.component_code).join(',')}`,
      );
    }
    const received = this.clock();
    const due = this.dueDate(procedure, received);
    this.db
      .transaction(() => {
        const current = this.row(dossierId);
        if (!OPEN.includes(current.status)) throw notDraft(current);
        const record = (code: string | null) => {
          this.db
            .prepare(
              `UPDATE dossiers SET code = COALESCE(code, ?), status = 'received', received_at = ?, due_at = ?,
                 clerk_id = ?, updated_at = ? WHERE id = ?`,
            )
            .run(
              code,
              received.toISOString(),
              due.toISOString(),
              clerk.id,
              received.toISOString(),
              dossierId,
            );
        };
        if (current.code) record(null);
        else
          this.options.issuer.issue({
            clerkId: clerk.id,
            dossierId,
            recordUse: (issued) => record(issued.code),
          });
        this.options.audit.append({
          clerkId: clerk.id,
          action: 'dossier.receive',
          objects: { dossierId, code: this.row(dossierId).code ?? '' },
          details: { procedureCode: procedure.code, dueAt: due.toISOString() },
        });
        this.queueForSync(dossierId, received.toISOString());
      })
      .immediate();
    this.logger.info('reception.received', { dossierId });
    const receiptPdf = await this.renderAndStore(dossierId, 'receipt', clerk);
    return { view: this.view(dossierId), receiptPdf };
  }

  /** One complete list of what is missing (items of the procedure's official list only); a second is flagged. */
  async requestSupplement(
    dossierId: string,
    componentCodes: string[],
    note: string | undefined,
    clerk: ClerkView,
  ): Promise<{ view: ReceptionView; pdf: Uint8Array; countsAsOverdue: boolean }> {
    const row = this.openRow(dossierId);
    const procedure = this.procedureOf(row);
    for (const code of componentCodes)
      if (!procedure.components.some((c) => c.code === code)) throw unknownComponent(code);
    const code = row.code ?? this.issueCode(dossierId, clerk);
    const now = this.clock();
    const form = await this.supplements.request(
      procedure,
      {
        agencyName: this.options.agencyName,
        dossierCode: code,
        applicant: this.personOf(row),
        items: componentCodes.map((componentCode) => ({ componentCode })),
        reason: note?.trim() ? note : t.supplementReason,
        requestedAt: now,
        officer: { name: clerk.name, title: t.officerTitle },
      },
      { clerkId: clerk.id, ...(this.options.render ? { render: this.options.render } : {}) },
    );
    this.db
      .transaction(() => {
        this.db
          .prepare(`UPDATE dossiers SET status = 'supplement-requested', updated_at = ? WHERE id = ?`)
          .run(now.toISOString(), dossierId);
        this.storeForm(dossierId, 'supplement', form.pdf, form.template.version);
        this.queueForSync(dossierId, now.toISOString());
      })
      .immediate();
    return { view: this.view(dossierId), pdf: form.pdf, countsAsOverdue: form.countsAsOverdue };
  }

  /** Phiếu từ chối with the specific reason; a dossier never received may be refused without a code. */
  async refuse(
    dossierId: string,
    reason: string,
    clerk: ClerkView,
  ): Promise<{ view: ReceptionView; pdf: Uint8Array }> {
    const row = this.openRow(dossierId);
    const procedure = this.procedureOf(row);
    const now = this.clock();
    const form = await renderRefusal(
      {
        agencyName: this.options.agencyName,
        ...(row.code ? { dossierCode: row.code } : {}),
        applicant: this.personOf(row),
        procedure: { code: procedure.code, name: procedure.name },
        reason,
        refusedAt: now,
        officer: { name: clerk.name, title: t.officerTitle },
      },
      this.options.render,
    );
    this.db
      .transaction(() => {
        const current = this.row(dossierId);
        if (!OPEN.includes(current.status)) throw notDraft(current);
        this.db
          .prepare(`UPDATE dossiers SET status = 'refused', updated_at = ? WHERE id = ?`)
          .run(now.toISOString(), dossierId);
        this.storeForm(dossierId, 'refusal', form.pdf, form.template.version);
        // Only a dossier with a code exists for the province; a refusal at the counter stays on the desk.
        if (current.code) this.queueForSync(dossierId, now.toISOString());
        this.options.audit.append({
          clerkId: clerk.id,
          action: 'dossier.refuse',
          objects: { dossierId, ...(current.code ? { code: current.code } : {}) },
          details: { reasonLength: reason.length },
        });
      })
      .immediate();
    return { view: this.view(dossierId), pdf: form.pdf };
  }

  /** The form as printed (stored at the time); a receipt missing after a crash is rendered again. */
  async form(dossierId: string, form: DeskForm, clerk: ClerkView): Promise<Uint8Array> {
    const row = this.row(dossierId);
    const stored = this.db
      .prepare('SELECT blob_sha256 FROM dossier_forms WHERE dossier_id = ? AND form = ?')
      .get(dossierId, form) as { blob_sha256: string } | undefined;
    if (stored) return this.options.store.blobs.read(stored.blob_sha256, '.pdf');
    if (form === 'receipt' && row.received_at) return this.renderAndStore(dossierId, 'receipt', clerk);
    throw new ReceptionError(
      'not-found',
      format(t.formNotFound, { form: t.formNames[form] }),
      `dossier has no ${form} form`,
    );
  }

  prefillReport(range: { from?: string; to?: string } = {}) {
    return prefillReport(this.db, range);
  }

  // ---- internals ----

  private async lookupProvince(dossierId: string, idNumber: string, procedureCode: string): Promise<void> {
    const source = this.options.citizenDocuments;
    if (!source) return;
    const timeoutMs = this.options.provinceLookupTimeoutMs ?? 3000;
    let timer: NodeJS.Timeout | undefined;
    try {
      const docs = await Promise.race([
        source.lookup(idNumber, procedureCode),
        new Promise<never>((_, reject) => {
          timer = setTimeout(() => reject(new Error('province lookup timed out')), timeoutMs);
        }),
      ]);
      this.provinceFound.set(dossierId, docs);
    } catch (error) {
      // Offline or slow: the clerk scans the paper; nothing is lost.
      this.logger.warn('reception.province-lookup-failed', { dossierId, error: (error as Error).message });
    } finally {
      clearTimeout(timer);
    }
  }

  private reusable(row: DossierRow, procedure: ProcedureVersion): ReusableDocumentView[] {
    const codes = procedure.components.map((c) => c.code);
    const desk = this.deskFiles(row, codes).map(
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
    const province = (this.provinceFound.get(row.id) ?? [])
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

  /** Files of this applicant's earlier received dossiers on this desk, for the given component codes. */
  private deskFiles(row: DossierRow, componentCodes: string[]): DeskFileRow[] {
    if (!row.applicant_id_number || componentCodes.length === 0) return [];
    const rows = this.db
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

  private issueCode(dossierId: string, clerk: ClerkView): string {
    const issued = this.options.issuer.issue({
      clerkId: clerk.id,
      dossierId,
      recordUse: (code) => {
        this.db.prepare('UPDATE dossiers SET code = ? WHERE id = ?').run(code.code, dossierId);
      },
    });
    return issued.code;
  }

  private async renderAndStore(dossierId: string, form: 'receipt', clerk: ClerkView): Promise<Uint8Array> {
    const row = this.row(dossierId);
    const procedure = this.procedureOf(row);
    const byCode = new Map(procedure.components.map((c) => [c.code, c]));
    const handed = this.componentRows(dossierId).filter((c) => c.status !== 'missing');
    const receivedBy = row.received_at ? this.clerkName(dossierId) : null;
    const rendered = await renderReceipt(
      {
        agencyName: this.options.agencyName,
        dossierCode: row.code ?? '',
        applicant: this.personOf(row),
        procedure: {
          code: procedure.code,
          name: procedure.name,
          processingTime: procedure.processingTime,
        },
        components: handed.map((c) => ({
          name: c.name,
          originals: byCode.get(c.component_code)?.originals ?? 0,
          copies: byCode.get(c.component_code)?.copies ?? 0,
        })),
        receivedAt: new Date(row.received_at ?? this.clock()),
        dueAt: new Date(row.due_at ?? this.clock()),
        collectAt: format(t.collectAt, { agency: this.options.agencyName }),
        officer: { name: receivedBy ?? clerk.name, title: t.officerTitle },
      },
      this.options.render,
    );
    this.db
      .transaction(() => this.storeForm(dossierId, form, rendered.pdf, rendered.template.version))
      .immediate();
    return rendered.pdf;
  }

  private clerkName(dossierId: string): string | null {
    const found = this.db
      .prepare('SELECT c.name FROM dossiers d JOIN clerks c ON c.id = d.clerk_id WHERE d.id = ?')
      .get(dossierId) as { name: string } | undefined;
    return found?.name ?? null;
  }

  private storeForm(dossierId: string, form: DeskForm, pdf: Uint8Array, version: string): void {
    const blob = this.options.store.blobs.put(pdf, '.pdf');
    this.db
      .prepare(
        `INSERT INTO dossier_forms (dossier_id, form, blob_sha256, template_version, created_at)
         VALUES (?, ?, ?, ?, ?)
         ON CONFLICT (dossier_id, form) DO UPDATE SET blob_sha256 = excluded.blob_sha256,
           template_version = excluded.template_version, created_at = excluded.created_at`,
      )
      .run(dossierId, form, blob.sha256, version, this.clock().toISOString());
  }

  private queueForSync(dossierId: string, at: string): void {
    this.db
      .prepare(`INSERT INTO outbox (dossier_id, kind, created_at, updated_at) VALUES (?, 'dossier', ?, ?)`)
      .run(dossierId, at, at);
  }

  /** One transaction: the reused file replaces the component's files, the component is flagged, audited. */
  private recordReuse(
    dossierId: string,
    componentCode: string,
    file: Record<string, unknown> & { source: 'reused-desk' | 'reused-province' },
    reusedFrom: { dossierCode: string | null; title: string; source: 'desk' | 'province' },
    clerk: ClerkView,
    objects: Record<string, string>,
  ): void {
    const now = this.clock().toISOString();
    this.db
      .transaction(() => {
        this.replaceFiles(dossierId, componentCode, {
          id: randomUUID(),
          ...file,
          source_batch_id: null,
          created_at: now,
        });
        this.setComponent(dossierId, componentCode, 'reused', reusedFrom);
        this.touch(dossierId, now);
        this.options.audit.append({
          clerkId: clerk.id,
          action: 'dossier.reuse-document',
          objects: { dossierId, ...objects },
          details: { component: componentCode, source: reusedFrom.source },
        });
      })
      .immediate();
  }

  private replaceFiles(dossierId: string, componentCode: string, file: Record<string, unknown>): void {
    this.db
      .prepare('DELETE FROM dossier_files WHERE dossier_id = ? AND component_code = ?')
      .run(dossierId, componentCode);
    this.db
      .prepare(
        `INSERT INTO dossier_files (id, dossier_id, component_code, file_name, mime_type, blob_sha256, blob_ext,
           bytes, page_count, source, source_batch_id, reused_file_id, store_document_id, created_at)
         VALUES (@id, @dossier_id, @component_code, @file_name, @mime_type, @blob_sha256, @blob_ext, @bytes,
           @page_count, @source, @source_batch_id, @reused_file_id, @store_document_id, @created_at)`,
      )
      .run({ ...file, dossier_id: dossierId, component_code: componentCode });
  }

  private setComponent(
    dossierId: string,
    componentCode: string,
    status: ReceptionComponentView['status'],
    reusedFrom: ReceptionComponentView['reusedFrom'],
  ): void {
    this.db
      .prepare(
        'UPDATE dossier_components SET status = ?, reused_json = ? WHERE dossier_id = ? AND component_code = ?',
      )
      .run(status, reusedFrom ? JSON.stringify(reusedFrom) : null, dossierId, componentCode);
  }

  private touch(dossierId: string, at: string): void {
    this.db.prepare('UPDATE dossiers SET updated_at = ? WHERE id = ?').run(at, dossierId);
  }

  private personOf(row: DossierRow) {
    const extras = row.applicant_json ? (JSON.parse(row.applicant_json) as Partial<ApplicantInput>) : {};
    return {
      name: row.applicant_name,
      address: extras.address ?? '',
      phone: extras.phone ?? '',
      email: extras.email ?? '',
    };
  }

  private dueDate(procedure: ProcedureVersion, received: Date): Date {
    const calendar = openWorkingCalendar({ db: this.db, logger: this.logger });
    return computeDueDate(calendar, {
      received,
      amount: procedure.processingTime.amount,
      unit: procedure.processingTime.unit,
    }).due;
  }

  private procedureOf(row: DossierRow): ProcedureVersion {
    if (!row.procedure_code)
      throw new ReceptionError('not-found', t.notReceptionDossier, 'dossier has no procedure');
    // The version in force when reception started governs the whole dossier.
    return this.options.catalog.requireProcedure(row.procedure_code, new Date(row.created_at));
  }

  private componentRows(dossierId: string): ComponentRow[] {
    return this.db
      .prepare(
        `SELECT c.component_code, c.name, c.required, c.position, c.status, c.reused_json,
                (SELECT SUM(page_count) FROM dossier_files f
                  WHERE f.dossier_id = c.dossier_id AND f.component_code = c.component_code) AS pages
         FROM dossier_components c WHERE c.dossier_id = ? ORDER BY c.position`,
      )
      .all(dossierId) as ComponentRow[];
  }

  private row(dossierId: string): DossierRow {
    const row = this.db.prepare('SELECT * FROM dossiers WHERE id = ?').get(dossierId) as
      | DossierRow
      | undefined;
    if (!row) throw notFound();
    return row;
  }

  private openRow(dossierId: string): DossierRow {
    const row = this.row(dossierId);
    if (!OPEN.includes(row.status)) throw notDraft(row);
    return row;
  }
}

function notDraft(row: DossierRow): ReceptionError {
  const message = row.status === 'refused' ? t.alreadyClosed : t.notDraft;
  return new ReceptionError(
    'conflict',
    format(message, { code: row.code ?? '' }),
    `dossier is ${row.status}`,
  );
}

function unknownComponent(code: string): ReceptionError {
  return new ReceptionError('invalid-input', format(t.unknownComponent, { code }), 'unknown component code');
}
