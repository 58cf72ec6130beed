import type { Database } from 'better-sqlite3';
import type { ProcedureView } from '../../api/desk-api';
import type { ProcedureVersion } from '../catalog/catalog-schema';

/** The catalog's procedure version as the reception screen shows it. */
export function toProcedureView(db: Database, procedure: ProcedureVersion): ProcedureView {
  const row = db
    .prepare('SELECT source FROM catalog_procedures WHERE code = ? AND effective_from = ?')
    .get(procedure.code, procedure.effectiveFrom) as { source: string } | undefined;
  return {
    code: procedure.code,
    name: procedure.name,
    field: procedure.field.name,
    level: procedure.level,
    sample: row?.source === 'sample',
    processingTime: { amount: procedure.processingTime.amount, unit: procedure.processingTime.unit },
    // An amount set elsewhere (null in the feed) shows as 0: the fee note in the catalog explains it.
    fees: procedure.fees.map((f) => ({ name: f.name, amountVnd: f.amountVnd ?? 0 })),
    components: procedure.components.map((c) => ({
      code: c.code,
      name: c.name,
      originals: c.originals,
      copies: c.copies,
      required: c.required,
      resultOfProcedure: c.resultOfProcedure,
    })),
  };
}
