import { existsSync } from 'node:fs';
import { join } from 'node:path';
import type { DeskCalls, ParkedDossierView } from '../../api/desk-api';
import { DeskError } from '../../api/errors';
import { format, vi } from '../../api/i18n';
import { type AuditLog, verifyAuditChain } from '../audit/audit-log';
import {
  CalendarInputError,
  computeDueDate,
  DURATION_UNITS,
  type DurationUnit,
  formatVietnamIso,
  openWorkingCalendar,
} from '../calendar';
import type { DeskConfig } from '../config/config';
import type { Logger } from '../logging/logger';
import { translated } from '../reception/desk-errors';
import { purgeExpiredDossiers } from '../security/retention';
import { defaultKeyFile, resolveDataKey, WRAPPED_KEY_FILE_NAME } from '../store/data-key';
import { checkIntegrity } from '../store/integrity';
import { schemaVersion } from '../store/migrate';
import type { Store } from '../store/store';
import type { SyncEngine } from '../sync/sync-engine';
import { rolloutDeskId } from '../update/desk-identity';

/** The desk calls IT staff make (mostly from the CLI): each delegates to the service that owns the work. */
export const OPERATION_CALL_NAMES = [
  'getStoreInfo',
  'checkStoreIntegrity',
  'verifyAuditLog',
  'purgeExpired',
  'getKeyStatus',
  'beginKeyRotation',
  'listParkedDossiers',
  'runSync',
  'stopSync',
  'describeCalendarDay',
  'computeDueDate',
] as const;
type OperationCallName = (typeof OPERATION_CALL_NAMES)[number];

export type OperationHandlers = {
  [K in OperationCallName]: (input: DeskCalls[K]['input']) => Promise<DeskCalls[K]['output']>;
};

export interface DeskOperationsOptions {
  dataDir: string;
  env: NodeJS.ProcessEnv | undefined;
  store: Store;
  config: DeskConfig;
  sync: SyncEngine;
  audit: AuditLog;
  logger: Logger;
  clock?: () => Date;
  /** Id of the signed-in account the gate let in (the call gate checked the role already). */
  actorId: () => string;
}

export function createDeskOperations(options: DeskOperationsOptions) {
  const { store, config, sync, audit } = options;
  // One sync run at a time from this door; stopSync (Ctrl-C at the CLI) or close() aborts it.
  let running: AbortController | null = null;

  const handlers: OperationHandlers = {
    getStoreInfo: async () => ({
      schemaVersion: schemaVersion(store.db),
      rolloutDeskId: rolloutDeskId(options.dataDir, store),
    }),
    checkStoreIntegrity: ({ full }) => checkIntegrity(store, { full }),
    verifyAuditLog: async () => verifyAuditChain(store.db),
    purgeExpired: async ({ dryRun }) => {
      const report = purgeExpiredDossiers(store, {
        retentionDays: config.security.retentionDays,
        dryRun,
        logger: options.logger.child('purge'),
        ...(options.clock ? { clock: options.clock } : {}),
      });
      if (!dryRun && report.available)
        audit.append({
          clerkId: options.actorId(),
          action: 'retention.purge-run',
          objects: {},
          details: { dossiers: report.dossiers, resumed: report.resumed, blobsDeleted: report.blobsDeleted },
        });
      return { retentionDays: config.security.retentionDays, ...report };
    },
    getKeyStatus: async ({ seal }) => {
      const key = resolveDataKey(options.dataDir, options.env ? { env: options.env } : {});
      const sealedNow = seal ? store.blobs.sealClearBlobs().sealed : 0;
      if (sealedNow > 0)
        audit.append({
          clerkId: options.actorId(),
          action: 'key.seal-clear-blobs',
          objects: {},
          details: { sealed: sealedNow },
        });
      return { source: key.source, keyFile: key.file ?? null, sealedNow, ...store.blobs.census() };
    },
    beginKeyRotation: async () => {
      if (existsSync(join(options.dataDir, WRAPPED_KEY_FILE_NAME)))
        throw new DeskError('conflict', 'safeStorage desk: rotate from the app', vi.gate.rotateFromApp);
      audit.append({ clerkId: options.actorId(), action: 'key.rotate', objects: {} });
      return { keyFile: defaultKeyFile(options.dataDir, options.env) };
    },
    listParkedDossiers: async () =>
      (
        store.db
          .prepare(
            `SELECT o.id, o.dossier_id, d.code, o.parked_code, o.last_error FROM outbox o
             LEFT JOIN dossiers d ON d.id = o.dossier_id WHERE o.status = 'parked' ORDER BY o.id`,
          )
          .all() as {
          id: number;
          dossier_id: string;
          code: string | null;
          parked_code: string;
          last_error: string;
        }[]
      ).map(
        (r): ParkedDossierView => ({
          outboxId: r.id,
          dossierId: r.dossier_id,
          code: r.code,
          reason: r.parked_code,
          message: r.last_error,
        }),
      ),
    runSync: async ({ once }) => {
      running?.abort();
      const controller = new AbortController();
      running = controller;
      try {
        const report = once ? await sync.syncOnce(controller.signal) : await sync.drain(controller.signal);
        const state = sync.state();
        const stopped = sync.stoppedBy();
        const ok = once ? report.failed === 0 && !stopped : state.pending === 0 && !stopped;
        const message = ok
          ? null
          : (stopped?.clerkMessage ?? state.lastError?.clerkMessage ?? vi.sync.errors.network);
        return { ok, report, state, message };
      } finally {
        if (running === controller) running = null;
      }
    },
    describeCalendarDay: async ({ date }) =>
      translated(() => openWorkingCalendar({ db: store.db }).describeDay(date)),
    computeDueDate: async ({ received, amount, unit }) =>
      translated(() => {
        if (!(DURATION_UNITS as readonly string[]).includes(unit))
          throw new CalendarInputError(
            format(vi.calendar.invalidUnit, { value: unit }),
            `unknown unit ${unit}`,
          );
        const calendar = openWorkingCalendar({ db: store.db });
        const result = computeDueDate(calendar, { received, amount, unit: unit as DurationUnit });
        return {
          received: formatVietnamIso(result.received),
          amount: result.amount,
          unit: result.unit,
          countFrom: formatVietnamIso(result.countFrom),
          due: formatVietnamIso(result.due),
        };
      }),
    stopSync: async () => {
      running?.abort();
      return null;
    },
  };
  return { handlers, abort: () => running?.abort() };
}
