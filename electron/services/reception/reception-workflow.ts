/**
 * The reception workflow's transitions: draft → received, or refused, or supplement-requested (→ received
 * once complete); and the scans attached on the way. Each state change writes its audit entry in the
 * transaction that makes it; a received dossier gets its outbox row in the same transaction as its code.
 * Each function returns nothing: the facade answers with the dossier's view.
 */
import { randomUUID } from 'node:crypto';
import type { ApplicantInput, ClerkView } from '../../api/desk-api';
import { format, vi } from '../../api/i18n';
import {
  insertDossier,
  markDossierReceived,
  setDossierCode,
  setDossierStatus,
  touchDossier,
} from '../dossier/dossier-rows';
import { checkApplicant } from '../extract/applicant-text';
import { renderRefusal } from '../forms';
import { batchParts } from './batch-parts';
import { lookupProvince } from './document-reuse';
import { dueDate, procedureOf, type ReceptionContext } from './reception-context';
import { renderAndStoreReceipt, storeForm } from './reception-forms';
import {
  type ComponentRow,
  componentRows,
  insertComponents,
  notDraft,
  OPEN,
  personOf,
  queueForSync,
  replaceFiles,
  requireDossier,
  requireOpenDossier,
  setComponent,
  unknownComponent,
} from './reception-rows';
import { ReceptionError } from './types';

const t = vi.reception.workflow;
const ID_NUMBER = /^(\d{12}|\d{9})$/;

/** A draft dossier: the procedure's components copied in, the applicant and the pre-fill counts recorded. */
export async function startReception(
  ctx: ReceptionContext,
  input: { procedureCode: string; applicant: ApplicantInput; prefill?: { prefilled: number; typed: number } },
  clerk: ClerkView,
): Promise<string> {
  const { db } = ctx;
  const procedure = ctx.options.catalog.requireProcedure(input.procedureCode, ctx.clock());
  // The one check of the applicant's text: what is stored here is what the receipt, the UI and the province see.
  const checked = checkApplicant(input.applicant);
  if (!checked.ok) throw new ReceptionError('invalid-input', checked.clerkMessage, checked.detail);
  const applicant = checked.applicant;
  if (!ID_NUMBER.test(applicant.idNumber))
    throw new ReceptionError('invalid-input', t.invalidIdNumber, 'applicant id number is not 9 or 12 digits');
  const id = randomUUID();
  const now = ctx.clock().toISOString();
  const { idNumber, fullName, ...extras } = applicant;
  db.transaction(() => {
    insertDossier(db, {
      id,
      procedureCode: procedure.code,
      procedureName: procedure.name,
      applicantName: fullName,
      status: 'draft',
      at: now,
      applicantIdNumber: idNumber,
      applicantJson: JSON.stringify(extras),
      clerkId: clerk.id,
      prefilledFields: input.prefill?.prefilled ?? 0,
      typedFields: input.prefill?.typed ?? 0,
    });
    insertComponents(db, id, procedure.components);
    ctx.options.audit.append({
      clerkId: clerk.id,
      action: 'dossier.start',
      objects: { dossierId: id },
      details: {
        procedureCode: procedure.code,
        prefilled: input.prefill?.prefilled ?? 0,
        typed: input.prefill?.typed ?? 0,
      },
    });
  }).immediate();
  ctx.logger.info('reception.started', { dossierId: id, procedure: procedure.code });
  await lookupProvince(ctx, id, idNumber, procedure.code);
  return id;
}

/**
 * The batch's kept pages become the component's PDF. Separator sheets split the batch: the first part fills
 * `componentCode`, each further part the next missing component in the procedure's order. `pagesPerPart`
 * splits by page counts instead (headless reception without separator sheets).
 */
export async function attachScan(
  ctx: ReceptionContext,
  dossierId: string,
  componentCode: string,
  batchId: string,
  clerk: ClerkView,
  pagesPerPart?: readonly number[],
): Promise<void> {
  const { db, options } = ctx;
  const row = requireOpenDossier(db, dossierId);
  const components = componentRows(db, dossierId);
  const first = components.find((c) => c.component_code === componentCode);
  if (!first) throw unknownComponent(componentCode);
  const batch = options.scans.batch(batchId);
  if (!batch || batch.status === 'discarded')
    throw new ReceptionError('not-found', t.batchNotFound, 'no such scan batch');
  if (batch.status === 'scanning')
    throw new ReceptionError('conflict', t.batchScanning, 'batch is still scanning');
  const parts = await batchParts(options.store, options.scans, batch, options.imaging, pagesPerPart);
  if (parts.length === 0) throw new ReceptionError('invalid-input', t.emptyBatch, 'batch has no kept pages');
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
    parts.map(async (part) => ({ part, blob: await options.store.blobs.putAsync(part.pdf, '.pdf') })),
  );
  const now = ctx.clock().toISOString();
  db.transaction(() => {
    stored.forEach(({ part, blob }, i) => {
      const target = targets[i] as ComponentRow;
      replaceFiles(db, dossierId, target.component_code, {
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
      setComponent(db, dossierId, target.component_code, 'scanned', null);
    });
    db.prepare('UPDATE scan_batches SET dossier_id = ? WHERE id = ?').run(dossierId, batchId);
    touchDossier(db, dossierId, now);
    options.audit.append({
      clerkId: clerk.id,
      action: 'dossier.attach-scan',
      objects: { dossierId, batchId },
      details: {
        components: targets.map((c) => c.component_code).join(','),
        pages: parts.reduce((n, p) => n + p.seqs.length, 0),
      },
    });
  }).immediate();
  ctx.logger.info('reception.scan-attached', { dossierId: row.id, parts: parts.length });
}

/**
 * Receives the dossier: in one transaction the code (unless a supplement request already issued one),
 * received_at, due_at, status, audit entry and outbox row. Then the receipt, stored for reprints.
 */
export async function completeReception(
  ctx: ReceptionContext,
  dossierId: string,
  clerk: ClerkView,
): Promise<Uint8Array> {
  const { db, options } = ctx;
  const row = requireOpenDossier(db, dossierId);
  const procedure = procedureOf(ctx, row);
  const missing = componentRows(db, dossierId).filter((c) => c.required === 1 && c.status === 'missing');
  if (missing.length > 0) {
    throw new ReceptionError(
      'invalid-input',
      format(t.missingRequired, { items: missing.map((c) => `“${c.name}”`).join(', ') }),
      `required components missing: ${missing.map((c) => c.component_code).join(',')}`,
    );
  }
  const received = ctx.clock();
  const due = dueDate(ctx, procedure, received);
  db.transaction(() => {
    const current = requireDossier(db, dossierId);
    if (!OPEN.includes(current.status)) throw notDraft(current);
    const record = (code: string | null) =>
      markDossierReceived(db, dossierId, {
        code,
        receivedAt: received.toISOString(),
        dueAt: due.toISOString(),
        clerkId: clerk.id,
      });
    if (current.code) record(null);
    else options.issuer.issue({ clerkId: clerk.id, dossierId, recordUse: (issued) => record(issued.code) });
    options.audit.append({
      clerkId: clerk.id,
      action: 'dossier.receive',
      objects: { dossierId, code: requireDossier(db, dossierId).code ?? '' },
      details: { procedureCode: procedure.code, dueAt: due.toISOString() },
    });
    queueForSync(db, dossierId, received.toISOString());
  }).immediate();
  ctx.logger.info('reception.received', { dossierId });
  return renderAndStoreReceipt(ctx, dossierId, clerk);
}

/** One complete list of what is missing (items of the procedure's official list only); a second is flagged. */
export async function requestSupplement(
  ctx: ReceptionContext,
  dossierId: string,
  componentCodes: string[],
  note: string | undefined,
  clerk: ClerkView,
): Promise<{ pdf: Uint8Array; countsAsOverdue: boolean }> {
  const { db, options } = ctx;
  const row = requireOpenDossier(db, dossierId);
  const procedure = procedureOf(ctx, row);
  for (const code of componentCodes)
    if (!procedure.components.some((c) => c.code === code)) throw unknownComponent(code);
  const code = row.code ?? issueCode(ctx, dossierId, clerk);
  const now = ctx.clock();
  const form = await ctx.supplements.request(
    procedure,
    {
      agencyName: options.agencyName,
      dossierCode: code,
      applicant: personOf(row),
      items: componentCodes.map((componentCode) => ({ componentCode })),
      reason: note?.trim() ? note : t.supplementReason,
      requestedAt: now,
      officer: { name: clerk.name, title: t.officerTitle },
    },
    { clerkId: clerk.id, ...(options.render ? { render: options.render } : {}) },
  );
  db.transaction(() => {
    setDossierStatus(db, dossierId, 'supplement-requested', now.toISOString());
    storeForm(ctx, dossierId, 'supplement', form.pdf, form.template.version);
    queueForSync(db, dossierId, now.toISOString());
  }).immediate();
  return { pdf: form.pdf, countsAsOverdue: form.countsAsOverdue };
}

/** Phiếu từ chối with the specific reason; a dossier never received may be refused without a code. */
export async function refuseReception(
  ctx: ReceptionContext,
  dossierId: string,
  reason: string,
  clerk: ClerkView,
): Promise<Uint8Array> {
  const { db, options } = ctx;
  const row = requireOpenDossier(db, dossierId);
  const procedure = procedureOf(ctx, row);
  const now = ctx.clock();
  const form = await renderRefusal(
    {
      agencyName: options.agencyName,
      ...(row.code ? { dossierCode: row.code } : {}),
      applicant: personOf(row),
      procedure: { code: procedure.code, name: procedure.name },
      reason,
      refusedAt: now,
      officer: { name: clerk.name, title: t.officerTitle },
    },
    options.render,
  );
  db.transaction(() => {
    const current = requireDossier(db, dossierId);
    if (!OPEN.includes(current.status)) throw notDraft(current);
    setDossierStatus(db, dossierId, 'refused', now.toISOString());
    storeForm(ctx, dossierId, 'refusal', form.pdf, form.template.version);
    // Only a dossier with a code exists for the province; a refusal at the counter stays on the desk.
    if (current.code) queueForSync(db, dossierId, now.toISOString());
    options.audit.append({
      clerkId: clerk.id,
      action: 'dossier.refuse',
      objects: { dossierId, ...(current.code ? { code: current.code } : {}) },
      details: { reasonLength: reason.length },
    });
  }).immediate();
  return form.pdf;
}

function issueCode(ctx: ReceptionContext, dossierId: string, clerk: ClerkView): string {
  const issued = ctx.options.issuer.issue({
    clerkId: clerk.id,
    dossierId,
    recordUse: (code) => setDossierCode(ctx.db, dossierId, code.code),
  });
  return issued.code;
}
