/** What the reception rooms (workflow, document reuse, forms) share: the service's parts and two lookups. */
import type { Database } from 'better-sqlite3';
import { vi } from '../../api/i18n';
import type { AuditLog } from '../audit/audit-log';
import { computeDueDate, openWorkingCalendar } from '../calendar';
import type { ProcedureVersion } from '../catalog/catalog-schema';
import type { ProcedureCatalog } from '../catalog/procedure-catalog';
import type { DossierCodeIssuer } from '../dossier/dossier-code-issuer';
import type { DossierRow } from '../dossier/dossier-rows';
import type { SupplementRegister } from '../forms';
import type { RenderOptions } from '../forms/render-form';
import type { ImagingThread } from '../imaging/imaging-thread';
import type { Logger } from '../logging/logger';
import type { ScanService } from '../scan/scan-service';
import type { Store } from '../store/store';
import { type CitizenDocumentSource, type ProvinceDocument, ReceptionError } from './types';

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

export interface ReceptionContext {
  options: ReceptionServiceOptions;
  db: Database;
  clock: () => Date;
  logger: Logger;
  supplements: SupplementRegister;
  /** Province documents found per dossier at start, so a view never waits on the network. */
  provinceFound: Map<string, ProvinceDocument[]>;
}

export function procedureOf(ctx: ReceptionContext, row: DossierRow): ProcedureVersion {
  if (!row.procedure_code)
    throw new ReceptionError(
      'not-found',
      vi.reception.workflow.notReceptionDossier,
      'dossier has no procedure',
    );
  // The version in force when reception started governs the whole dossier.
  return ctx.options.catalog.requireProcedure(row.procedure_code, new Date(row.created_at));
}

export function dueDate(ctx: ReceptionContext, procedure: ProcedureVersion, received: Date): Date {
  const calendar = openWorkingCalendar({ db: ctx.db, logger: ctx.logger });
  return computeDueDate(calendar, {
    received,
    amount: procedure.processingTime.amount,
    unit: procedure.processingTime.unit,
  }).due;
}
