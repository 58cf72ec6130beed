import { randomUUID } from 'node:crypto';
import type { Database } from 'better-sqlite3';
import type { AuditLog } from '../audit/audit-log';
import type { ProcedureVersion } from '../catalog/catalog-schema';
import { parseDossierCode } from '../dossier/dossier-code';
import { renderSupplementRequest, type SupplementForm, type SupplementInput } from './desk-forms';
import type { RenderOptions } from './render-form';

export interface SupplementRecord {
  id: string;
  dossierCode: string;
  ordinal: number;
  procedureCode: string;
  items: { componentCode: string; originals: number | null; copies: number | null }[];
  clerkId: string;
  requestedAt: string;
}

interface Row {
  id: string;
  dossier_code: string;
  ordinal: number;
  procedure_code: string;
  items: string;
  clerk_id: string;
  requested_at: string;
}

/**
 * The supplement requests sent for each dossier. Decision 766 scores a dossier with more than one request as
 * overdue, so the desk numbers them and flags the second one before it is printed.
 */
export class SupplementRegister {
  constructor(
    private readonly db: Database,
    private readonly options: { audit?: AuditLog; clock?: () => Date } = {},
  ) {}

  requestsFor(dossierCode: string): SupplementRecord[] {
    const code = parseDossierCode(dossierCode)?.code ?? dossierCode;
    const rows = this.db
      .prepare('SELECT * FROM supplement_requests WHERE dossier_code = ? ORDER BY ordinal')
      .all(code) as Row[];
    return rows.map((r) => ({
      id: r.id,
      dossierCode: r.dossier_code,
      ordinal: r.ordinal,
      procedureCode: r.procedure_code,
      items: JSON.parse(r.items),
      clerkId: r.clerk_id,
      requestedAt: r.requested_at,
    }));
  }

  nextOrdinal(dossierCode: string): number {
    const code = parseDossierCode(dossierCode)?.code ?? dossierCode;
    const { n } = this.db
      .prepare('SELECT COALESCE(MAX(ordinal), 0) AS n FROM supplement_requests WHERE dossier_code = ?')
      .get(code) as { n: number };
    return n + 1;
  }

  /**
   * Validates the items against the procedure, renders the form with the dossier's next ordinal, then records
   * the request (and its audit entry) — so what is printed is what is recorded. Nothing is recorded when the
   * items are refused.
   */
  async request(
    procedure: ProcedureVersion,
    input: Omit<SupplementInput, 'ordinal'>,
    context: { clerkId: string; render?: RenderOptions },
  ): Promise<SupplementForm & { requestId: string; ordinal: number }> {
    for (let attempt = 0; ; attempt += 1) {
      const ordinal = this.nextOrdinal(input.dossierCode);
      const form = await renderSupplementRequest(procedure, { ...input, ordinal }, context.render);
      const code = parseDossierCode(input.dossierCode)?.code ?? input.dossierCode;
      const id = randomUUID();
      const recorded = this.db
        .transaction(() => {
          // Another request recorded meanwhile: render again with the new ordinal.
          if (this.nextOrdinal(code) !== ordinal) return false;
          this.db
            .prepare(
              `INSERT INTO supplement_requests (id, dossier_code, ordinal, procedure_code, items, clerk_id, requested_at)
               VALUES (?, ?, ?, ?, ?, ?, ?)`,
            )
            .run(
              id,
              code,
              ordinal,
              procedure.code,
              JSON.stringify(
                input.items.map((i) => ({
                  componentCode: i.componentCode,
                  originals: i.originals ?? null,
                  copies: i.copies ?? null,
                })),
              ),
              context.clerkId,
              (this.options.clock?.() ?? new Date()).toISOString(),
            );
          this.options.audit?.append({
            clerkId: context.clerkId,
            action: 'dossier.supplement-request',
            objects: { code, requestId: id },
            details: { ordinal, items: input.items.length, countsAsOverdue: ordinal >= 2 },
          });
          return true;
        })
        .immediate();
      if (recorded) return { ...form, requestId: id, ordinal };
      if (attempt >= 2) throw new Error('supplement request ordinal kept changing');
    }
  }
}
