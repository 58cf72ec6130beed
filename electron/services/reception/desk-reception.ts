import type { DeskCalls } from '../../api/desk-api';
import { RECEPTION_CALL_NAMES } from '../../api/desk-api';
import { AuditLog } from '../audit/audit-log';
import { ProcedureCatalog } from '../catalog/procedure-catalog';
import { ClerkStore } from '../clerks/clerk-store';
import { DeskSession } from '../clerks/desk-session';
import type { DeskConfig } from '../config/config';
import { DossierCodeIssuer, MAX_SLOTS } from '../dossier/dossier-code-issuer';
import type { ImagingThread } from '../imaging/imaging-thread';
import type { Logger } from '../logging/logger';
import type { ScanService } from '../scan/scan-service';
import type { Store } from '../store/store';
import { translated } from './desk-errors';
import { ReceptionService } from './reception-service';
import type { CitizenDocumentSource } from './types';

export { RECEPTION_CALL_NAMES };
export type ReceptionCallName = (typeof RECEPTION_CALL_NAMES)[number];

export type ReceptionHandlers = {
  [K in ReceptionCallName]: (input: DeskCalls[K]['input']) => Promise<DeskCalls[K]['output']>;
};

export interface DeskReceptionOptions {
  store: Store;
  scans: ScanService;
  config: DeskConfig;
  logger: Logger;
  /** The desk's imaging thread (black-and-white PDFs of scanned components). */
  imaging: ImagingThread;
  clock?: () => Date;
  citizenDocuments?: CitizenDocumentSource | null;
  /** A dossier changed state: the desk pushes `dossierChanged` and wakes sync. */
  onDossierChanged?: (dossierId: string) => void;
}

const base64 = (bytes: Uint8Array) => Buffer.from(bytes).toString('base64');

/**
 * Everything the desk needs for reception: clerks and the session, catalog, codes, audit, the workflow, and the
 * desk-call handlers. Every reception call needs a signed-in, unlocked clerk; `createClerk` needs an admin.
 */
export function createDeskReception(options: DeskReceptionOptions) {
  const { store, config, logger } = options;
  const clock = options.clock ?? (() => new Date());
  const audit = new AuditLog(store.db, clock);
  const catalog = new ProcedureCatalog(store.db, { clock, logger: logger.child('catalog') });
  catalog.loadSampleIfEmpty();
  const issuer = new DossierCodeIssuer(store.db, {
    agencyCode: config.agencyCode,
    clock,
    audit,
    onIssued: (code) => store.identity.recordIssued(code.agencyCode, code.day, code.sequence),
  });
  if (config.deskSlot !== null && !issuer.ranges().some((r) => r.source === 'slot')) {
    // A desk working without the provincial system gets its slot from config (IT staff).
    issuer.enrolDeskSlot(config.deskSlot, MAX_SLOTS);
  }
  const clerks = new ClerkStore(store.db, {
    audit,
    clock,
    maxAttempts: config.security.pinMaxAttempts,
    lockoutMinutes: config.security.pinLockoutMinutes,
  });
  const session = new DeskSession(clerks, audit, {
    idleLockMs: config.security.idleLockMinutes * 60_000,
    clock,
  });
  const reception = new ReceptionService({
    store,
    scans: options.scans,
    catalog,
    issuer,
    imaging: options.imaging,
    audit,
    agencyName: config.agencyName,
    clock,
    logger: logger.child('reception'),
    citizenDocuments: options.citizenDocuments ?? null,
  });
  const changed = <T>(dossierId: string, value: T): T => {
    options.onDossierChanged?.(dossierId);
    return value;
  };
  const handlers: ReceptionHandlers = {
    getSession: () => translated(() => session.view()),
    listClerks: () => translated(() => clerks.list()),
    setupFirstAdmin: (input) => translated(() => session.setupFirstAdmin(input)),
    signIn: ({ clerkId, pin }) => translated(() => session.signIn(clerkId, pin)),
    signOut: () => translated(() => session.signOut()),
    lockSession: () => translated(() => session.lock()),
    createClerk: (input) => translated(() => clerks.create(input, session.require('admin').id)),
    searchProcedures: ({ query, limit }) =>
      translated(() => {
        session.require();
        return reception.searchProcedures(query, limit);
      }),
    startReception: (input) =>
      translated(async () => {
        const view = await reception.start(input, session.require());
        return changed(view.dossierId, view);
      }),
    getReception: ({ dossierId }) =>
      translated(() => {
        session.check();
        return reception.view(dossierId);
      }),
    attachScan: ({ dossierId, componentCode, batchId, pagesPerComponent }) =>
      translated(() =>
        reception.attachScan(dossierId, componentCode, batchId, session.require(), pagesPerComponent),
      ),
    reuseDocument: ({ dossierId, componentCode, documentId }) =>
      translated(() => reception.reuseDocument(dossierId, componentCode, documentId, session.require())),
    completeReception: ({ dossierId }) =>
      translated(async () => {
        const { view, receiptPdf } = await reception.complete(dossierId, session.require());
        return changed(dossierId, { view, receiptPdfBase64: base64(receiptPdf) });
      }),
    requestSupplement: ({ dossierId, componentCodes, note }) =>
      translated(async () => {
        const result = await reception.requestSupplement(dossierId, componentCodes, note, session.require());
        return changed(dossierId, {
          view: result.view,
          pdfBase64: base64(result.pdf),
          countsAsOverdue: result.countsAsOverdue,
        });
      }),
    refuseDossier: ({ dossierId, reason }) =>
      translated(async () => {
        const result = await reception.refuse(dossierId, reason, session.require());
        return changed(dossierId, { view: result.view, pdfBase64: base64(result.pdf) });
      }),
    getDossierForm: ({ dossierId, form }) =>
      translated(async () => ({
        pdfBase64: base64(await reception.form(dossierId, form, session.require())),
      })),
    prefillReport: (input) =>
      translated(() => {
        // Counts only: any signed-in account, the IT officer included.
        session.require('account');
        return reception.prefillReport(input ?? {});
      }),
  };
  return { audit, catalog, issuer, clerks, session, reception, handlers };
}

export type DeskReception = ReturnType<typeof createDeskReception>;
