import { randomUUID } from 'node:crypto';
import { mkdir } from 'node:fs/promises';
import type { ScannerState } from '../../api/desk-api';
import type { ColorMode } from '../imaging/raw-page';
import { type Logger, silentLogger } from '../logging/logger';
import type { Store } from '../store/store';
import { adoptFileDurably, putBlobDurably } from './durable-file';
import { ScanError } from './errors';
import { type ScanProfile, ScanProfiles } from './profiles';
import { type ScanBatch, type ScanPageRecord, ScanRepository } from './scan-repository';
import { type SweepResult, scanTempTag, sweepScanTemps } from './temp-files';
import type { CapturedPage, ScannerCapabilities, ScannerDevice, ScannerDriver, ScanSettings } from './types';

export type ScanEvent =
  | { type: 'page-progress'; batchId: string; seq: number; bytesRead: number; totalBytes: number | null }
  | { type: 'page-stored'; batchId: string; page: ScanPageRecord };

export interface ScanRunOptions {
  signal?: AbortSignal;
  onEvent?: (event: ScanEvent) => void;
}

export interface StartBatchRequest extends ScanRunOptions {
  deviceId: string;
  /** Id of the new batch when the caller wants to know it before the scan ends (a UUID); default: new. */
  batchId?: string;
  /** Explicit choices; anything left out comes from `profileName`, the model's default profile, then defaults. */
  settings?: Partial<ScanSettings>;
  profileName?: string;
  dossierId?: string | null;
}

export interface ScanOutcome {
  batch: ScanBatch;
  /** Pages added by this run (a resumed batch already had some). */
  pagesThisRun: number;
  endedBy: 'completed' | 'cancelled';
  effective: ScanSettings;
  profile: ScanProfile | null;
  /** Milliseconds: whole run, and the part spent waiting for the device (feed + transfer). */
  elapsedMs: number;
  captureMs: number;
}

export interface ScannerProbeResult {
  state: Extract<ScannerState, 'ready' | 'not-found' | 'unavailable'>;
  deviceCount: number;
}

/** Captured pages that may wait for storing while the device goes on (page files or recycled buffers). */
const STORE_BACKLOG = 2;

const EXTENSIONS = { 1: '.pbm', 8: '.pgm', 24: '.ppm' } as const;
const extensionFor = (page: Pick<CapturedPage, 'channels' | 'depth'>) =>
  page.channels === 3 ? EXTENSIONS[24] : EXTENSIONS[page.depth];

/** What the desk scans with when neither the clerk nor a profile says otherwise: OCR-friendly grey A4. */
export function defaultSettings(caps: ScannerCapabilities): ScanSettings {
  const mode: ColorMode = caps.modes.includes('gray') ? 'gray' : (caps.modes[0] ?? 'gray');
  const nearest300 = caps.resolutions.reduce(
    (best, r) => (Math.abs(r - 300) < Math.abs(best - 300) ? r : best),
    caps.resolutions[0] ?? 300,
  );
  return {
    source: caps.sources.includes('adf') ? 'adf' : (caps.sources[0] ?? 'flatbed'),
    resolution: nearest300,
    mode,
    pageSize: caps.pageSizes.includes('A4') ? 'A4' : (caps.pageSizes[0] ?? 'A4'),
  };
}

/**
 * Scanning for the desk: runs a driver, stores every page durably the moment it arrives (file fsync'd, then
 * its row committed), keeps scan profiles per scanner model, and lets an interrupted batch be resumed.
 */
export class ScanService {
  readonly profiles: ScanProfiles;
  readonly repository: ScanRepository;
  private readonly logger: Logger;
  /** Batches being scanned by this process right now: not "pending" even though their status is 'scanning'. */
  private readonly active = new Set<string>();
  private readonly capabilityCache = new Map<
    string,
    { identity: string; value: Promise<ScannerCapabilities> }
  >();
  /** Vendor and model per device id, as last listed. */
  private listed = new Map<string, string>();
  /**
   * The startup sweep of page temp files a killed run left in the blob root (see temp-files.ts). Never
   * rejects: a failed sweep is logged and retried at the next start. Scans wait for it.
   */
  readonly swept: Promise<SweepResult>;

  constructor(
    private readonly store: Store,
    private readonly driver: ScannerDriver & { available?: boolean },
    options: { logger?: Logger; clock?: () => Date } = {},
  ) {
    this.logger = (options.logger ?? silentLogger).child('scan');
    this.profiles = new ScanProfiles(store, options.clock);
    this.repository = new ScanRepository(store, options.clock);
    this.swept = this.sweepOrphans(Date.now());
  }

  private async sweepOrphans(startedAt: number): Promise<SweepResult> {
    try {
      const result = await sweepScanTemps(this.store.blobs.root, { startedAt, activeBatches: this.active });
      if (result.removed > 0 || result.kept > 0) this.logger.info('orphans.swept', { ...result });
      return result;
    } catch (error) {
      this.logger.warn('orphans.sweep-failed', { error: (error as Error).message });
      return { removed: 0, kept: 0 };
    }
  }

  async listScanners(): Promise<ScannerDevice[]> {
    const devices = await this.driver.listDevices();
    // A device that left, or another model now answering to the same id, is asked again next time.
    for (const [id, cached] of this.capabilityCache) {
      const device = devices.find((d) => d.id === id);
      if (!device || cached.identity !== deviceIdentity(device)) this.capabilityCache.delete(id);
    }
    this.listed = new Map(devices.map((d) => [d.id, deviceIdentity(d)]));
    return devices;
  }

  /** Compatible with the desk's `ScannerProbe`: never throws. */
  readonly scannerProbe = async (): Promise<ScannerProbeResult> => {
    if (this.driver.available === false) return { state: 'unavailable', deviceCount: 0 };
    try {
      const devices = await this.driver.listDevices();
      return { state: devices.length > 0 ? 'ready' : 'not-found', deviceCount: devices.length };
    } catch (error) {
      this.logger.warn('probe-failed', { code: (error as ScanError).code, error: (error as Error).message });
      return { state: 'unavailable', deviceCount: 0 };
    }
  };

  /**
   * What the device can do. Reading it means opening the device, which a scanner allows once at a time: so
   * callers asking together share one read, and the answer is kept while the device stays listed (a window
   * asking during a batch gets it without touching the busy scanner).
   */
  capabilities(deviceId: string): Promise<ScannerCapabilities> {
    const cached = this.capabilityCache.get(deviceId);
    if (cached) return cached.value;
    const value = this.readCapabilities(deviceId);
    this.capabilityCache.set(deviceId, { identity: this.listed.get(deviceId) ?? '', value });
    value.catch(() => this.capabilityCache.delete(deviceId));
    return value;
  }

  private async readCapabilities(deviceId: string): Promise<ScannerCapabilities> {
    const session = await this.driver.open(deviceId);
    try {
      return await session.capabilities();
    } finally {
      await session.close();
    }
  }

  /** Unfinished batches another run left behind (crash, kill, device error, cancel): offer to resume them. */
  pendingBatches(): ScanBatch[] {
    return this.repository.unfinishedBatches().filter((b) => !this.active.has(b.id));
  }

  batch(id: string): ScanBatch | null {
    return this.repository.batch(id);
  }

  pages(batchId: string): ScanPageRecord[] {
    return this.repository.pages(batchId);
  }

  /** The clerk is done with the batch (its pages go on to imaging and the dossier). */
  completeBatch(id: string): void {
    this.repository.setStatus(id, 'done');
  }

  /** The clerk threw the batch away; its rows and files stay until retention cleanup. */
  discardBatch(id: string): void {
    this.repository.setStatus(id, 'discarded');
  }

  /** Scans a new batch: until the feeder is empty (ADF), or one page (flatbed). */
  async startBatch(request: StartBatchRequest): Promise<ScanOutcome> {
    const session = await this.driver.open(request.deviceId);
    try {
      const caps = await session.capabilities();
      const named = request.profileName ? this.profiles.find(session.device, request.profileName) : null;
      if (request.profileName && !named)
        throw new ScanError('unsupported-setting', `no profile ${request.profileName} for this model`);
      const profile = named ?? this.profiles.defaultFor(session.device);
      const settings: ScanSettings = {
        ...defaultSettings(caps),
        ...profile?.settings,
        ...stripUndefined(request.settings ?? {}),
      };
      if (profile) this.profiles.touch(profile.id, session.device.id);
      const id = request.batchId ?? randomUUID();
      // The batch row is written once the device accepted the settings and before the first sheet moves,
      // so a crash on page 1 leaves a trace but a refused setting leaves no empty batch behind.
      const create = (effective: ScanSettings) =>
        this.repository.createBatch({
          id,
          device: session.device,
          settings: effective,
          dossierId: request.dossierId ?? null,
        });
      return await this.run(id, session, settings, 1, request, profile, create);
    } finally {
      await session.close();
    }
  }

  /**
   * Continues a batch: its pages stay, new pages follow them in order. The scanner is found by id, or —
   * when it was replugged and got a new id — by vendor and model.
   */
  async resumeBatch(
    batchId: string,
    options: ScanRunOptions & { deviceId?: string } = {},
  ): Promise<ScanOutcome> {
    const batch = this.repository.batch(batchId);
    if (!batch || batch.status === 'discarded')
      throw new ScanError('unsupported-setting', `no batch ${batchId}`);
    if (this.active.has(batchId)) throw new ScanError('busy', `batch ${batchId} is being scanned`);
    const devices = await this.driver.listDevices();
    const device =
      devices.find((d) => d.id === (options.deviceId ?? batch.deviceId)) ??
      devices.find((d) => d.vendor === batch.deviceVendor && d.model === batch.deviceModel);
    if (!device)
      throw new ScanError(devices.length ? 'disconnected' : 'no-scanner', `scanner of batch ${batchId}`);
    const session = await this.driver.open(device.id);
    try {
      this.repository.reopen(batchId, device.id);
      return await this.run(
        batchId,
        session,
        batch.settings,
        this.repository.nextSeq(batchId),
        options,
        null,
      );
    } finally {
      await session.close();
    }
  }

  private async run(
    batchId: string,
    session: Awaited<ReturnType<ScannerDriver['open']>>,
    settings: ScanSettings,
    firstSeq: number,
    { signal, onEvent }: ScanRunOptions,
    profile: ScanProfile | null,
    create?: (effective: ScanSettings) => void,
  ): Promise<ScanOutcome> {
    this.active.add(batchId);
    await this.swept;
    let created = !create;
    const t0 = performance.now();
    let seq = firstSeq;
    let captureMs = 0;
    let stored = 0;
    const log = { batch: batchId, device: session.device.id };
    try {
      // Into a clear store, pages may be streamed by the driver into its root, then renamed into place. A
      // sealing store takes them from memory: a clear copy of a citizen's page never touches the disk, and
      // the page is not written twice.
      const sink = this.store.blobs.encrypted
        ? undefined
        : { dir: this.store.blobs.root, tag: scanTempTag(batchId) };
      if (sink) await mkdir(sink.dir, { recursive: true });
      const run = await session.scan(settings, {
        ...(sink ? { sink } : {}),
        ...(signal ? { signal } : {}),
        onProgress: (p) =>
          onEvent?.({
            type: 'page-progress',
            batchId,
            seq: firstSeq + p.index,
            bytesRead: p.bytesRead,
            totalBytes: p.totalBytes,
          }),
      });
      create?.(run.effective);
      created = true;
      this.logger.info('batch.scanning', {
        ...log,
        seq,
        source: run.effective.source,
        dpi: run.effective.resolution,
      });
      // While the driver captures the next sheets, each page's file is written at once (the page writer
      // thread takes them in order) and the rows follow in page order, each after its own file: one page's
      // rename and row commit do not hold up the next page's write. At most STORE_BACKLOG pages wait.
      let storing: Promise<void> = Promise.resolve();
      const waiting: Promise<void>[] = [];
      let storeError: unknown = null;
      try {
        for await (const page of run.pages) {
          const pageSeq = seq++;
          const file = this.storeFile(batchId, page);
          file.catch(() => {}); // handled in the chain below, in page order
          storing = storing.then(async () => {
            try {
              const written = await file;
              if (storeError) return; // an earlier page failed: this one is dropped with the run
              const record = this.recordPage(batchId, pageSeq, page, written);
              captureMs += page.captureMs;
              stored++;
              onEvent?.({ type: 'page-stored', batchId, page: record });
            } catch (error) {
              storeError ??= error;
            } finally {
              // Awaited: when the run ends, no temp file of its pages is left (an adopted duplicate's included).
              await page.release();
            }
          });
          waiting.push(storing);
          while (waiting.length >= STORE_BACKLOG) await waiting.shift();
          if (storeError) break;
        }
      } finally {
        // Pages already captured are stored even when the scan stops (cancel, jam) — they are real sheets.
        await storing;
      }
      if (storeError) throw storeError;
      this.repository.setStatus(batchId, 'done');
      const elapsedMs = performance.now() - t0;
      this.logger.info('batch.done', { ...log, pages: stored, ms: Math.round(elapsedMs) });
      return this.outcome(batchId, stored, 'completed', run.effective, profile, elapsedMs, captureMs);
    } catch (error) {
      const scanError =
        error instanceof ScanError ? error : new ScanError('storage', (error as Error).message);
      if (!created) throw scanError;
      this.repository.setStatus(batchId, 'interrupted', scanError.code);
      this.logger.warn('batch.interrupted', {
        ...log,
        pages: stored,
        code: scanError.code,
        error: scanError.message,
      });
      if (scanError.code === 'cancelled') {
        return this.outcome(
          batchId,
          stored,
          'cancelled',
          settings,
          profile,
          performance.now() - t0,
          captureMs,
        );
      }
      scanError.batchId = batchId;
      throw scanError;
    } finally {
      this.active.delete(batchId);
    }
  }

  /**
   * The page's file, fsync'd and renamed into place. Its row comes after (`recordPage`): a crash in between
   * leaves an orphan file, never a row pointing at nothing.
   */
  private storeFile(batchId: string, page: CapturedPage): Promise<{ sha256: string; bytes: number }> {
    const { content } = page;
    return content.kind === 'file'
      ? adoptFileDurably(this.store.blobs, content, extensionFor(page))
      : putBlobDurably(this.store.blobs, content, extensionFor(page), scanTempTag(batchId));
  }

  private recordPage(
    batchId: string,
    seq: number,
    page: CapturedPage,
    file: { sha256: string; bytes: number },
  ): ScanPageRecord {
    return this.repository.addPage({
      batchId,
      seq,
      sha256: file.sha256,
      fileExt: extensionFor(page),
      bytes: file.bytes,
      width: page.width,
      height: page.height,
      channels: page.channels,
      depth: page.depth,
      dpi: page.dpi,
      captureMs: Math.round(page.captureMs * 10) / 10,
    });
  }

  private outcome(
    batchId: string,
    pagesThisRun: number,
    endedBy: ScanOutcome['endedBy'],
    effective: ScanSettings,
    profile: ScanProfile | null,
    elapsedMs: number,
    captureMs: number,
  ): ScanOutcome {
    return {
      batch: this.repository.batch(batchId) as ScanBatch,
      pagesThisRun,
      endedBy,
      effective,
      profile,
      elapsedMs,
      captureMs,
    };
  }
}

const deviceIdentity = (device: ScannerDevice) => `${device.driver}|${device.vendor}|${device.model}`;

function stripUndefined<T extends object>(value: T): Partial<T> {
  return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined)) as Partial<T>;
}
