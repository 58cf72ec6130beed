import { join } from 'node:path';
import type {
  CccdView,
  DeskCallName,
  DeskCallResult,
  DeskCalls,
  DeskEvents,
  DeskStatus,
  DossierSummary,
  NetworkState,
} from '../../api/desk-api';
import { DeskError } from '../../api/errors';
import { vi } from '../../api/i18n';
import { type DeskConfig, loadConfig } from '../config/config';
import { DossierRepository } from '../dossier/dossier-repository';
import { toDeskError } from '../errors';
import { EventHub } from '../events/event-hub';
import { parseCccdPayload } from '../extract/cccd-payload';
import { ImagingThread } from '../imaging/imaging-thread';
import {
  runShutdown,
  SHUTDOWN_DEADLINE_MS,
  type ShutdownReport,
  type ShutdownStep,
} from '../lifecycle/shutdown';
import { createLogger, type Logger } from '../logging/logger';
import { createDeskQuality, type DeskQuality } from '../quality/desk-quality';
import { createDeskReception, type DeskReception } from '../reception/desk-reception';
import { createDeskScanDriver } from '../scan/desk-driver';
import type { HostLauncher } from '../scan/host/protocol';
import { ScanService } from '../scan/scan-service';
import type { ScannerDriver } from '../scan/types';
import { scheduleRetention } from '../security/retention';
import { SettingsService } from '../settings/settings-service';
import { storageFailure } from '../store/storage-errors';
import { openStore, type Store } from '../store/store';
import { probeProvincialServer } from '../sync/connectivity';
import { applyEnrolmentToConfig, syncEngineFromConfig } from '../sync/engine-from-config';
import { type HeartbeatFacts, HeartbeatSender } from '../sync/heartbeat';
import type { SyncEngine } from '../sync/sync-engine';
import { type InstallDecision, installDecision } from '../update/install-guard';
import { APP_VERSION } from '../version';
import { CALL_ACCESS, PASSIVE_CALLS } from './call-access';
import { callInputSchemas } from './call-schemas';
import { createDeskOperations } from './desk-operations';
import { buildDiagnosticsBundle } from './diagnostics-bundle';
import { DiskReserve } from './disk-reserve';
import { OcrWorkspace } from './ocr-workspace';
import { importPages } from './page-import';
import { runScanTest } from './scan-test';
import { ScanWorkspace } from './scan-workspace';

export interface DeskOptions {
  dataDir: string;
  logger?: Logger;
  clock?: () => Date;
  env?: NodeJS.ProcessEnv;
  /** The scanner technology; SANE unless a test or platform says otherwise. */
  scanDriver?: ScannerDriver & { available?: boolean };
  /** How the scanner host process starts (Electron: `utilityProcessLauncher`); default child_process.fork. */
  launchScannerHost?: HostLauncher;
  /** How often the provincial server is probed; 0 disables the timer (tests call refreshStatus). */
  networkPollMs?: number;
  /**
   * False for a short-lived front door (the CLI): no probes, no sync scheduler, no retention timers, no OCR
   * workers, so a command starts and ends quickly. Calls still do their work (a runSync call syncs).
   */
  background?: boolean;
  /**
   * The front door's printer (Electron's main process: the OS print dialog). Without one, printForm answers
   * with the PDF and `printed: null`, and the browser prints it.
   */
  printer?: (pdf: Uint8Array) => Promise<{ printed: boolean }>;
}

/** A draft reception untouched for longer is abandoned, not in progress: it must not block updates forever. */
const OPEN_RECEPTION_WINDOW_MS = 4 * 60 * 60 * 1000;

type Handlers = {
  [K in DeskCallName]: (
    input: DeskCalls[K]['input'],
  ) => DeskCalls[K]['output'] | Promise<DeskCalls[K]['output']>;
};

/** The card's QR, validated; a bad payload answers with the extraction service's Vietnamese reason. */
function readCccd(payload: string): CccdView {
  // A refusal is an ExtractError: the one mapper gives the clerk its reason (the detail has no personal data).
  const card = parseCccdPayload(payload);
  return {
    idNumber: card.idNumber,
    oldIdNumber: card.oldIdNumber,
    fullName: card.fullName,
    dateOfBirth: card.dateOfBirth,
    sex: card.sex,
    address: card.address,
    issueDate: card.issueDate,
  };
}

/**
 * The composition root of the services: one per data dir and process. Electron's main process, the web host
 * and the CLI all open a Desk and talk to it through `call`, so every front door gets the same validation.
 */
export class Desk {
  readonly config: DeskConfig;
  readonly store: Store;
  readonly logger: Logger;
  readonly events = new EventHub();
  readonly dossiers: DossierRepository;
  readonly scans: ScanService;
  /** Classification of scanned sheets and black-and-white encoding, off the main thread. */
  private readonly imaging = new ImagingThread();
  readonly scanWorkspace: ScanWorkspace;
  readonly ocr: OcrWorkspace;
  readonly sync: SyncEngine;
  /** Clerks, session, catalog, codes, audit and the reception workflow (issue #5). */
  readonly reception: DeskReception;
  /** Free space against the reserve below which no new scan starts. */
  readonly disk: DiskReserve;
  /** Decision 766 estimates, the citizen's rating, the result's return (issue 15). */
  readonly quality: DeskQuality;
  private lastQueue = '';
  private scanner: DeskStatus['scanner'] = { state: 'checking', deviceCount: 0 };
  private network: DeskStatus['network'];
  private readonly timers: NodeJS.Timeout[] = [];
  private readonly handlers: Handlers;
  private readonly abortOperations: () => void;
  /** Effective settings with their sources; changes are the admin's and apply at the next start. */
  readonly settings: SettingsService;
  private readonly ownScanDriver: ScannerDriver | null;

  constructor(options: DeskOptions) {
    this.logger = options.logger ?? createLogger({ dir: join(options.dataDir, 'logs') });
    this.config = loadConfig(options.dataDir, options.env);
    this.store = openStore(options.dataDir, options.env ? { env: options.env } : {});
    this.disk = new DiskReserve(options.dataDir, this.config.storage.reserveMb);
    this.dossiers = new DossierRepository(this.store, options.clock);
    // The desk ends the scanner host it started itself (a driver a caller passed in is the caller's).
    this.ownScanDriver = options.scanDriver
      ? null
      : createDeskScanDriver({
          store: this.store,
          logger: this.logger,
          env: options.env,
          ...(options.launchScannerHost ? { launchHost: options.launchScannerHost } : {}),
        });
    const scanDriver = options.scanDriver ?? (this.ownScanDriver as ScannerDriver);
    this.scans = new ScanService(this.store, scanDriver, {
      logger: this.logger,
      ...(options.clock ? { clock: options.clock } : {}),
    });
    this.scanWorkspace = new ScanWorkspace(
      this.store,
      this.scans,
      this.events,
      this.logger.child('scan'),
      this.config.scan,
      this.imaging,
    );
    const scan = this.scanWorkspace;
    this.ocr = new OcrWorkspace(this.store, this.scans, this.config, this.events, this.logger.child('ocr'));
    const ocr = this.ocr;
    // The engine signs requests with the real time, so it does not take the desk's (test) clock.
    this.sync = syncEngineFromConfig(this.store, this.config, this.logger.child('sync'), {
      heartbeat: new HeartbeatSender(this.store, {
        dataDir: options.dataDir,
        facts: () => this.heartbeatFacts(),
      }),
      env: options.env,
      onState: (state) => {
        this.events.emit('syncState', state);
        // The status bar's queue follows the engine; only a changed count is worth a status event.
        const queue = `${state.pending}/${state.parked}`;
        if (queue !== this.lastQueue) {
          this.lastQueue = queue;
          this.emitStatus();
        }
      },
    });
    const sync = this.sync;
    this.reception = createDeskReception({
      store: this.store,
      scans: this.scans,
      imaging: this.imaging,
      config: this.config,
      logger: this.logger,
      ...(options.clock ? { clock: options.clock } : {}),
      // Once-only: the province's store of the citizen's documents, through the enrolled sync engine.
      citizenDocuments: {
        lookup: (idNumber, procedureCode) => sync.lookupCitizenDocuments(idNumber, procedureCode),
        download: (doc) =>
          sync.downloadCitizenDocument(doc as Parameters<SyncEngine['downloadCitizenDocument']>[0]),
      },
      onDossierChanged: (dossierId) => {
        const dossier = this.dossiers.get(dossierId);
        if (dossier) this.events.emit('dossierChanged', dossier);
        sync.wake();
      },
    });
    this.quality = createDeskQuality({
      store: this.store,
      audit: this.reception.audit,
      session: this.reception.session,
      events: this.events,
      agencyName: this.config.agencyName,
      ...(options.clock ? { clock: options.clock } : {}),
      reception: this.reception.handlers,
      onDossierChanged: (dossierId) => {
        const dossier = this.dossiers.get(dossierId);
        if (dossier) this.events.emit('dossierChanged', dossier);
      },
    });
    const background = options.background ?? true;
    if (background) {
      // Every batch that ended with pages goes to OCR, whether the feeder emptied, the clerk stopped or it jammed.
      this.events.subscribe((event, payload) => {
        const ended = payload as DeskEvents['scanEnded'];
        if (event === 'scanEnded' && ended.pageCount > 0) ocr.queueBatch(ended.batchId);
      });
      ocr.resumeIfPending();
      // Retention (issue #7): scans and personal data of dossiers the province confirmed long enough ago.
      this.timers.push(
        ...scheduleRetention(this.store, {
          retentionDays: this.config.security.retentionDays,
          logger: this.logger.child('retention'),
          ...(options.clock ? { clock: options.clock } : {}),
        }),
      );
    }
    const operations = createDeskOperations({
      dataDir: options.dataDir,
      env: options.env,
      store: this.store,
      config: this.config,
      sync,
      audit: this.reception.audit,
      logger: this.logger,
      ...(options.clock ? { clock: options.clock } : {}),
      actorId: () => this.reception.session.check('account').id,
    });
    this.abortOperations = operations.abort;
    this.settings = new SettingsService({
      dataDir: options.dataDir,
      ...(options.env ? { env: options.env } : {}),
      audit: this.reception.audit,
      logger: this.logger.child('settings'),
    });
    const settings = this.settings;
    this.network = {
      state: this.config.provincialServerUrl ? 'checking' : 'not-configured',
      lastCheckedAt: null,
    };
    this.handlers = {
      getStatus: () => this.status(),
      listDossiers: (input) => this.withProvinceStatus(this.dossiers.list(input)),
      listScanners: () => scan.listScanners(),
      startScan: (input) => {
        this.disk.requireRoomForScans();
        return scan.startScan(input);
      },
      cancelScan: ({ batchId }) => scan.cancelScan(batchId),
      resumeScan: ({ batchId }) => {
        this.disk.requireRoomForScans();
        return scan.resumeScan(batchId);
      },
      listUnfinishedScans: () => scan.unfinishedBatches(),
      getScanBatch: ({ batchId }) => scan.batchWithPages(batchId),
      editScanPage: ({ batchId, seq, edit }) => scan.editPage(batchId, seq, edit),
      rescanPage: ({ batchId, seq, deviceId }) => {
        this.disk.requireRoomForScans();
        return scan.rescanPage(batchId, seq, deviceId);
      },
      saveScanProfile: (input) => scan.saveProfile(input),
      importPages: async ({ files }) => {
        this.disk.requireRoomForScans();
        const imported = await importPages(this.store, this.scans, files, this.logger.child('import'));
        for (const page of this.scans.pages(imported.batchId))
          await scan.classify(imported.batchId, page, 'flatbed');
        ocr.queueBatch(imported.batchId);
        return imported;
      },
      getOcrStatus: ({ batchId }) => ocr.status(batchId),
      getPageText: ({ batchId, seq }) => ocr.pageText(batchId, seq),
      extractFromPage: ({ batchId, seq }) => ocr.fields(batchId, seq),
      readCccdQr: ({ payload }) => readCccd(payload),
      searchDocuments: ({ query }) => ({
        dossiers: this.withProvinceStatus(this.dossiers.list({ query, limit: 50 })),
        pages: ocr.searchPages(query),
      }),
      getSyncState: () => sync.state(),
      syncNow: () => {
        if (sync.isScheduled()) sync.wake();
        else
          sync.syncOnce().catch((error: Error) => this.logger.warn('sync.now-failed', { error: error.name }));
        return sync.state();
      },
      enrolDesk: async ({ serverUrl, code }) => {
        // A refusal is a SyncError: the one mapper answers forbidden, invalid-input or unavailable.
        const enrolled = await sync.enrol(serverUrl, code);
        applyEnrolmentToConfig(options.dataDir, serverUrl, enrolled.agencyCode);
        sync.wake();
        return enrolled;
      },
      getSettings: () => settings.list(),
      createDiagnosticsBundle: async () => {
        const zip = await buildDiagnosticsBundle(this, options.dataDir);
        const stamp = new Date().toISOString().slice(0, 16).replace(/[-:T]/g, '');
        return { fileName: `chan-doan-motcua-${stamp}.zip`, zipBase64: Buffer.from(zip).toString('base64') };
      },
      setSetting: ({ key, value }) => settings.set(key, value, this.reception.session.require('admin').id),
      ...this.reception.handlers,
      ...operations.handlers,
      scanTest: (input) => runScanTest(this.store, this.scans, input),
      printForm: async (input) => {
        // The form the desk keeps for the dossier (a reprint is the very same document), as the clerk may see it.
        const { pdfBase64 } = await this.reception.handlers.getDossierForm(input);
        if (!options.printer) return { pdfBase64, printed: null };
        try {
          const { printed } = await options.printer(Buffer.from(pdfBase64, 'base64'));
          return { pdfBase64, printed };
        } catch (error) {
          this.logger.warn('print.failed', { error: (error as Error).message });
          throw new DeskError('unavailable', 'printer failed', vi.gate.printFailed);
        }
      },
      ...this.quality.handlers,
    };
    const pollMs = background ? (options.networkPollMs ?? 30_000) : 0;
    if (pollMs > 0) {
      void this.refreshStatus();
      const timer = setInterval(() => void this.refreshStatus(), pollMs);
      timer.unref();
      this.timers.push(timer);
      this.sync.start();
    }
  }

  status(): DeskStatus {
    return {
      appVersion: APP_VERSION,
      agencyName: this.config.agencyName,
      scanner: this.scanner,
      network: this.network,
      queue: this.syncQueue(),
      disk: this.disk.state(),
    };
  }

  /**
   * Asked by Electron's main before it installs a downloaded update: never during a scan, a reception opened in
   * the last hours or an upload; otherwise on quit or in IT's install minute (`update.installAt`).
   */
  updateInstallDecision(when: { onQuit: boolean; now?: Date }): InstallDecision {
    const now = when.now ?? new Date();
    const since = new Date(now.getTime() - OPEN_RECEPTION_WINDOW_MS).toISOString();
    const open = this.store.db
      .prepare("SELECT COUNT(*) AS n FROM dossiers WHERE status = 'draft' AND updated_at >= ?")
      .get(since) as { n: number };
    const activity = {
      scansRunning: this.scanWorkspace.activeScanCount(),
      receptionsOpen: open.n,
      uploading: this.sync.state().running,
    };
    const decision = installDecision(activity, {
      onQuit: when.onQuit,
      installAt: this.config.update.installAt,
      now,
    });
    if (!decision.allowed) this.logger.debug('update.install-deferred', { reason: decision.reason });
    return decision;
  }

  /** The desk's part of the fleet heartbeat: states and counts only. */
  private heartbeatFacts(): HeartbeatFacts {
    const waiting = this.store.db
      .prepare("SELECT COUNT(*) AS n FROM ocr_jobs WHERE status IN ('pending', 'running')")
      .get() as { n: number };
    const install = this.updateInstallDecision({ onQuit: false });
    return {
      appVersion: APP_VERSION,
      scanner: { state: this.scanner.state, deviceCount: this.scanner.deviceCount },
      ocr: { pagesWaiting: waiting.n },
      update: {
        channel: this.config.update.channel,
        installDeferredBy: install.allowed ? null : install.reason,
      },
    };
  }

  /** Re-probes scanners and the provincial server, then pushes the new status to every front door. */
  async refreshStatus(): Promise<DeskStatus> {
    const [scanner, network] = await Promise.all([this.probeScanner(), this.probeNetwork()]);
    this.scanner = scanner;
    this.network = network;
    return this.emitStatus();
  }

  /** Runs one desk call with validated input; never throws — errors come back with a Vietnamese message. */
  async call<K extends DeskCallName>(name: K, rawInput: unknown): Promise<DeskCallResult<K>> {
    try {
      if (!Object.hasOwn(this.handlers, name))
        throw new DeskError('unknown-call', `unknown call ${String(name)}`);
      const parsed = callInputSchemas[name].safeParse(rawInput);
      if (!parsed.success) {
        const detail = parsed.error.issues
          .map((i) => `${i.path.join('.') || 'dữ liệu'}: ${i.message}`)
          .join('; ');
        throw new DeskError('invalid-input', detail);
      }
      const access = CALL_ACCESS[name];
      if (access !== 'anyone') {
        try {
          const session = this.reception.session;
          if (PASSIVE_CALLS.has(name)) session.check(access);
          else session.require(access);
        } catch (error) {
          throw toDeskError(error);
        }
      }
      const handler = this.handlers[name] as (input: unknown) => DeskCalls[K]['output'];
      return { ok: true, value: await handler(parsed.data) };
    } catch (error) {
      return { ok: false, error: this.describeError(name, error) };
    }
  }

  /** Stops background work (scans keep their pages, OCR its queue) and closes the database. */
  close(deadlineMs = SHUTDOWN_DEADLINE_MS): Promise<ShutdownReport> {
    return runShutdown(this.shutdownSteps(), this.logger, deadlineMs);
  }

  /** The steps of close(), for a host that has its own to run first. */
  shutdownSteps(): ShutdownStep[] {
    return [
      { name: 'timers', run: () => this.timers.forEach(clearInterval) },
      // First: the scanner host gets a short grace to cancel, then SIGKILL; a stuck driver never holds the rest.
      { name: 'scanner-host', run: () => this.ownScanDriver?.dispose() },
      { name: 'scan', run: () => this.scanWorkspace.stopAll() },
      { name: 'imaging', run: () => this.imaging.close() },
      { name: 'ocr', run: () => this.ocr.close() },
      { name: 'operations', run: () => this.abortOperations() },
      { name: 'sync', run: () => this.sync.stop() },
      { name: 'store', run: () => this.store.close() },
    ];
  }

  private describeError(name: string, raw: unknown) {
    // The one mapping of service errors to the desk's answer (services/errors.ts).
    const error = toDeskError(raw);
    if (error instanceof DeskError) {
      this.logger.warn('call.rejected', { call: name, code: error.code });
      return { code: error.code, message: error.clerkMessage };
    }
    const failure = storageFailure(error);
    this.logger.error('call.failed', {
      call: name,
      error: (error as Error).name,
      code: (error as { code?: string }).code,
      ...(failure ? { storage: failure } : {}),
    });
    // A full disk, a damaged file, a lock: the clerk is told which, and what still works.
    if (failure) return { code: 'storage', message: vi.store.runtimeErrors[failure] } as const;
    return { code: 'internal', message: vi.errors.internal } as const;
  }

  /** Parked dossiers (a person must decide) are the queue's failures. */
  private syncQueue(): DeskStatus['queue'] {
    const state = this.sync.state();
    return { pending: state.pending, failed: state.parked };
  }

  private withProvinceStatus(list: DossierSummary[]): DossierSummary[] {
    const statuses = this.sync.provinceStatuses(list.map((d) => d.id));
    return list.map((d) => ({ ...d, provinceStatus: statuses.get(d.id) ?? null }));
  }

  private emitStatus(): DeskStatus {
    const status = this.status();
    this.events.emit('status', status);
    return status;
  }

  private probeScanner(): Promise<DeskStatus['scanner']> {
    return this.scans.scannerProbe();
  }

  private async probeNetwork(): Promise<DeskStatus['network']> {
    const url = this.config.provincialServerUrl;
    if (!url) return { state: 'not-configured', lastCheckedAt: null };
    const result = await probeProvincialServer(url);
    const state: NetworkState = result.reachable ? 'online' : 'offline';
    if (state !== this.network.state) this.logger.info('network.state', { state, reason: result.reason });
    return { state, lastCheckedAt: new Date().toISOString() };
  }
}
