/**
 * The reception workflow at the desk: draft → received (then synced, province statuses: the sync engine) or
 * refused or supplement-requested (→ received once complete). This class is the facade the desk holds; the
 * rooms are `reception-workflow.ts` (transitions and scans), `document-reuse.ts` (once-only),
 * `reception-forms.ts` (receipt and stored forms) and `reception-rows.ts` (its tables).
 */
import type {
  ApplicantInput,
  ClerkView,
  ProcedureView,
  ReceptionComponentView,
  ReceptionView,
} from '../../api/desk-api';
import { SupplementRegister } from '../forms';
import { silentLogger } from '../logging/logger';
import { reusableDocuments, reuseDocument } from './document-reuse';
import { prefillReport } from './prefill-report';
import { toProcedureView } from './procedure-view';
import {
  dueDate,
  procedureOf,
  type ReceptionContext,
  type ReceptionServiceOptions,
} from './reception-context';
import { storedForm } from './reception-forms';
import { componentRows, type DeskForm, OPEN, requireDossier } from './reception-rows';
import {
  attachScan,
  completeReception,
  refuseReception,
  requestSupplement,
  startReception,
} from './reception-workflow';

export type { ReceptionServiceOptions } from './reception-context';
export type { DeskForm } from './reception-rows';

export class ReceptionService {
  private readonly ctx: ReceptionContext;

  constructor(options: ReceptionServiceOptions) {
    const clock = options.clock ?? (() => new Date());
    this.ctx = {
      options,
      db: options.store.db,
      clock,
      logger: options.logger ?? silentLogger,
      supplements: new SupplementRegister(options.store.db, { audit: options.audit, clock }),
      provinceFound: new Map(),
    };
  }

  searchProcedures(query: string, limit = 20): ProcedureView[] {
    const { db, options } = this.ctx;
    return options.catalog.search(query, { limit }).map((m) => toProcedureView(db, m.procedure));
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
    return this.view(await startReception(this.ctx, input, clerk));
  }

  view(dossierId: string): ReceptionView {
    const { ctx } = this;
    const row = requireDossier(ctx.db, dossierId);
    const procedure = procedureOf(ctx, row);
    const components = componentRows(ctx.db, dossierId).map(
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
      procedure: toProcedureView(ctx.db, procedure),
      applicant: { ...extras, fullName: row.applicant_name, idNumber: row.applicant_id_number ?? '' },
      components,
      reusable: OPEN.includes(row.status) ? reusableDocuments(ctx, row, procedure) : [],
      receivedAt: row.received_at,
      dueAt: row.due_at ?? dueDate(ctx, procedure, ctx.clock()).toISOString(),
      prefill: { prefilled: row.prefilled_fields, typed: row.typed_fields },
    };
  }

  /** The batch's kept pages become the component's PDF (separator sheets or `pagesPerPart` split it). */
  async attachScan(
    dossierId: string,
    componentCode: string,
    batchId: string,
    clerk: ClerkView,
    pagesPerPart?: readonly number[],
  ): Promise<ReceptionView> {
    await attachScan(this.ctx, dossierId, componentCode, batchId, clerk, pagesPerPart);
    return this.view(dossierId);
  }

  /** Once-only: the component is taken from what is already digitized for this applicant; no scan asked. */
  async reuseDocument(
    dossierId: string,
    componentCode: string,
    documentId: string,
    clerk: ClerkView,
  ): Promise<ReceptionView> {
    await reuseDocument(this.ctx, dossierId, componentCode, documentId, clerk);
    return this.view(dossierId);
  }

  /** Receives the dossier (code, dates, audit, outbox in one transaction), then its receipt. */
  async complete(
    dossierId: string,
    clerk: ClerkView,
  ): Promise<{ view: ReceptionView; receiptPdf: Uint8Array }> {
    const receiptPdf = await completeReception(this.ctx, dossierId, clerk);
    return { view: this.view(dossierId), receiptPdf };
  }

  /** One complete list of what is missing (items of the procedure's official list only); a second is flagged. */
  async requestSupplement(
    dossierId: string,
    componentCodes: string[],
    note: string | undefined,
    clerk: ClerkView,
  ): Promise<{ view: ReceptionView; pdf: Uint8Array; countsAsOverdue: boolean }> {
    const form = await requestSupplement(this.ctx, dossierId, componentCodes, note, clerk);
    return { view: this.view(dossierId), ...form };
  }

  /** Phiếu từ chối with the specific reason; a dossier never received may be refused without a code. */
  async refuse(
    dossierId: string,
    reason: string,
    clerk: ClerkView,
  ): Promise<{ view: ReceptionView; pdf: Uint8Array }> {
    const pdf = await refuseReception(this.ctx, dossierId, reason, clerk);
    return { view: this.view(dossierId), pdf };
  }

  /** The form as printed (stored at the time); a receipt missing after a crash is rendered again. */
  form(dossierId: string, form: DeskForm, clerk: ClerkView): Promise<Uint8Array> {
    return storedForm(this.ctx, dossierId, form, clerk);
  }

  prefillReport(range: { from?: string; to?: string } = {}) {
    return prefillReport(this.ctx.db, range);
  }
}
