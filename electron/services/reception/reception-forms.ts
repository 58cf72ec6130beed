/** The desk's forms for a dossier: rendered once, stored with the dossier, and printed again from the store. */
import type { ClerkView } from '../../api/desk-api';
import { format, vi } from '../../api/i18n';
import { receivingClerkName } from '../dossier/dossier-rows';
import { renderReceipt } from '../forms';
import { procedureOf, type ReceptionContext } from './reception-context';
import {
  componentRows,
  type DeskForm,
  personOf,
  requireDossier,
  storedFormSha256,
  upsertForm,
} from './reception-rows';
import { ReceptionError } from './types';

const t = vi.reception.workflow;

/** Stores the printed PDF as the dossier's form (a reprint gives the same bytes). Call inside a transaction. */
export function storeForm(
  ctx: ReceptionContext,
  dossierId: string,
  form: DeskForm,
  pdf: Uint8Array,
  version: string,
): void {
  const blob = ctx.options.store.blobs.put(pdf, '.pdf');
  upsertForm(ctx.db, { dossierId, form, sha256: blob.sha256, version, at: ctx.clock().toISOString() });
}

/** The form as printed (stored at the time); a receipt missing after a crash is rendered again. */
export async function storedForm(
  ctx: ReceptionContext,
  dossierId: string,
  form: DeskForm,
  clerk: ClerkView,
): Promise<Uint8Array> {
  const row = requireDossier(ctx.db, dossierId);
  const sha256 = storedFormSha256(ctx.db, dossierId, form);
  if (sha256) return ctx.options.store.blobs.read(sha256, '.pdf');
  if (form === 'receipt' && row.received_at) return renderAndStoreReceipt(ctx, dossierId, clerk);
  throw new ReceptionError(
    'not-found',
    format(t.formNotFound, { form: t.formNames[form] }),
    `dossier has no ${form} form`,
  );
}

/** Giấy tiếp nhận hồ sơ và hẹn trả kết quả, from the rows as they are now. */
export async function renderAndStoreReceipt(
  ctx: ReceptionContext,
  dossierId: string,
  clerk: ClerkView,
): Promise<Uint8Array> {
  const row = requireDossier(ctx.db, dossierId);
  const procedure = procedureOf(ctx, row);
  const byCode = new Map(procedure.components.map((c) => [c.code, c]));
  const handed = componentRows(ctx.db, dossierId).filter((c) => c.status !== 'missing');
  const receivedBy = row.received_at ? receivingClerkName(ctx.db, dossierId) : null;
  const { agencyName, render } = ctx.options;
  const rendered = await renderReceipt(
    {
      agencyName,
      dossierCode: row.code ?? '',
      applicant: personOf(row),
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
      receivedAt: new Date(row.received_at ?? ctx.clock()),
      dueAt: new Date(row.due_at ?? ctx.clock()),
      collectAt: format(t.collectAt, { agency: agencyName }),
      officer: { name: receivedBy ?? clerk.name, title: t.officerTitle },
    },
    render,
  );
  ctx.db
    .transaction(() => storeForm(ctx, dossierId, 'receipt', rendered.pdf, rendered.template.version))
    .immediate();
  return rendered.pdf;
}
