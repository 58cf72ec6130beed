import sharp from 'sharp';
import type {
  DeskEvents,
  ScanBatchView,
  ScannerView,
  ScanPageEdit,
  ScanPageView,
  ScanSettingsView,
} from '../../api/desk-api';
import { DeskError } from '../../api/errors';
import type { DeskConfig } from '../config/config';
import type { EventHub } from '../events/event-hub';
import type { ImagingThread } from '../imaging/imaging-thread';
import type { Logger } from '../logging/logger';
import { ScanError, scanErrorMessage } from '../scan/errors';
import { classifyScanPage } from '../scan/page-classification';
import { readScanPage } from '../scan/page-image';
import { type LaidOutPage, ScanLayout } from '../scan/scan-layout';
import type { ScanBatch, ScanPageRecord } from '../scan/scan-repository';
import { defaultSettings, type ScanEvent, type ScanOutcome, type ScanService } from '../scan/scan-service';
import type { Store } from '../store/store';

const THUMBNAIL_WIDTH = 200;
const THUMBNAIL_CACHE_SIZE = 300;

/**
 * The desk's side of scanning: starts runs in the background and turns the scan service's progress into desk
 * events, keeps the clerk's page arrangement, and renders thumbnails. The libsane work itself runs in the
 * scan driver's worker thread; thumbnails are made by libvips on its own threads.
 */
export class ScanWorkspace {
  private readonly runs = new Map<string, AbortController>();
  /** Each run's end (never rejects), for stopAll. */
  private readonly ending = new Map<string, Promise<unknown>>();
  private readonly layout: ScanLayout;
  private readonly thumbnails = new Map<string, string>();
  /** Per batch, the events still being prepared: pages are announced in scan order, the end after them. */
  private readonly announcements = new Map<string, Promise<void>>();

  constructor(
    private readonly store: Store,
    private readonly scans: ScanService,
    private readonly events: EventHub,
    private readonly logger: Logger,
    private readonly settings: DeskConfig['scan'],
    /** Blank and separator sheets are found there (the desk owns it and closes it). */
    private readonly imaging: ImagingThread,
  ) {
    this.layout = new ScanLayout(store);
  }

  async listScanners(): Promise<ScannerView[]> {
    const devices = await this.guard(() => this.scans.listScanners());
    const views: ScannerView[] = [];
    for (const device of devices) {
      const capabilities = await this.guard(() => this.scans.capabilities(device.id));
      const profiles = this.scans.profiles.forDevice(device);
      views.push({
        id: device.id,
        label: `${device.vendor} ${device.model}`.trim(),
        vendor: device.vendor,
        model: device.model,
        capabilities: {
          sources: capabilities.sources,
          modes: capabilities.modes,
          resolutions: capabilities.resolutions,
          pageSizes: capabilities.pageSizes,
        },
        profiles: profiles.map((p) => ({ name: p.name, isDefault: p.isDefault, settings: p.settings })),
        defaults: profiles.find((p) => p.isDefault)?.settings ?? defaultSettings(capabilities),
      });
    }
    return views;
  }

  async saveProfile(input: {
    deviceId: string;
    name: string;
    settings: ScanSettingsView;
    isDefault: boolean;
  }) {
    const devices = await this.guard(() => this.scans.listScanners());
    const device = devices.find((d) => d.id === input.deviceId);
    if (!device) throw new DeskError('not-found', `scanner ${input.deviceId} is not connected`);
    this.scans.profiles.save(device, input.name, input.settings, { isDefault: input.isDefault });
    const view = (await this.listScanners()).find((s) => s.id === device.id);
    if (!view) throw new DeskError('not-found', `scanner ${input.deviceId} is not connected`);
    return view;
  }

  /** Answers once the device has accepted the settings; pages arrive as `scanPage` events. */
  /** Batches being scanned right now (an installer restart must wait for them). */
  activeScanCount(): number {
    return this.runs.size;
  }

  startScan(input: { deviceId: string; settings: ScanSettingsView; profileName?: string }): {
    batchId: string;
  } {
    const batchId = crypto.randomUUID();
    this.runInBackground(batchId, (signal) =>
      this.scans.startBatch({
        batchId,
        deviceId: input.deviceId,
        settings: input.settings,
        ...(input.profileName ? { profileName: input.profileName } : {}),
        signal,
        onEvent: (event) => this.forward(event),
      }),
    );
    return { batchId };
  }

  resumeScan(batchId: string): { batchId: string } {
    this.requireBatch(batchId);
    this.runInBackground(batchId, (signal) =>
      this.scans.resumeBatch(batchId, { signal, onEvent: (event) => this.forward(event) }),
    );
    return { batchId };
  }

  cancelScan(batchId: string): null {
    this.runs.get(batchId)?.abort();
    return null;
  }

  /** Scans one sheet into the batch and puts it where page `seq` was. */
  rescanPage(batchId: string, seq: number, deviceId: string): { batchId: string } {
    this.requireBatch(batchId);
    if (!this.scans.pages(batchId).some((p) => p.seq === seq)) {
      throw new DeskError('not-found', `page ${seq} is not in batch ${batchId}`);
    }
    let replaced = false;
    this.runInBackground(batchId, async (signal, stop) => {
      const outcome = await this.scans.resumeBatch(batchId, {
        deviceId,
        signal,
        onEvent: (event) => {
          if (event.type === 'page-stored' && !replaced) {
            replaced = true;
            this.layout.replace(batchId, this.scans.pages(batchId), seq, event.page.seq);
            stop(); // One sheet only. A sheet the feeder had already pulled in is kept, at the end, in view.
          }
          this.forward(event);
        },
      });
      // Stopping ourselves after the sheet is the rescan finishing, not the clerk cancelling it.
      if (!replaced || outcome.endedBy !== 'cancelled') return outcome;
      this.scans.completeBatch(batchId);
      return { ...outcome, endedBy: 'completed' };
    });
    return { batchId };
  }

  unfinishedBatches(): ScanBatchView[] {
    return this.scans.pendingBatches().map((b) => this.batchView(b));
  }

  async batchWithPages(batchId: string): Promise<{ batch: ScanBatchView; pages: ScanPageView[] }> {
    const batch = this.requireBatch(batchId);
    return { batch: this.batchView(batch), pages: await this.pageViews(batchId) };
  }

  async editPage(batchId: string, seq: number, edit: ScanPageEdit): Promise<ScanPageView[]> {
    this.requireBatch(batchId);
    if (this.runs.has(batchId)) throw new DeskError('invalid-input', 'đợi quét xong rồi hãy sắp xếp trang');
    try {
      this.layout.edit(batchId, this.scans.pages(batchId), seq, edit);
    } catch (error) {
      if (error instanceof RangeError) throw new DeskError('not-found', error.message);
      throw error;
    }
    return this.pageViews(batchId);
  }

  /**
   * Stops every run (app closing) and waits for them to end: pages already stored stay, the batches can be
   * resumed next time.
   */
  async stopAll(): Promise<void> {
    for (const controller of this.runs.values()) controller.abort();
    await Promise.all(this.ending.values());
  }

  private runInBackground(
    batchId: string,
    run: (signal: AbortSignal, stop: () => void) => Promise<ScanOutcome>,
  ): void {
    if (this.runs.has(batchId)) throw new DeskError('invalid-input', 'lô này đang được quét');
    const controller = new AbortController();
    this.runs.set(batchId, controller);
    const stop = () => controller.abort();
    const finish = async (): Promise<DeskEvents['scanEnded']> => {
      try {
        const outcome = await run(controller.signal, stop);
        return { batchId, endedBy: outcome.endedBy, pageCount: this.keptPageCount(batchId), message: null };
      } catch (error) {
        const code = error instanceof ScanError ? error.code : 'storage';
        this.logger.warn('scan.failed', { batch: batchId, code, error: (error as Error).message });
        return {
          batchId,
          endedBy: 'failed',
          pageCount: this.scans.batch(batchId) ? this.keptPageCount(batchId) : 0,
          message: scanErrorMessage(code, (error as Error).message),
        };
      } finally {
        // Free before telling anyone, so a listener may start the next run on this batch right away.
        this.runs.delete(batchId);
      }
    };
    // Queued when the run has ended, so it follows every page the run announced; counted then, once every
    // sheet has been classified (blank backs and separators are not pages).
    const ended = finish();
    this.ending.set(batchId, ended);
    void ended.then((end) => {
      if (this.ending.get(batchId) === ended) this.ending.delete(batchId);
      return this.announce(batchId, async () =>
        this.events.emit('scanEnded', {
          ...end,
          pageCount: this.scans.batch(batchId) ? this.keptPageCount(batchId) : 0,
        }),
      );
    });
  }

  private forward(event: ScanEvent): void {
    if (event.type === 'page-progress') {
      this.events.emit('scanProgress', {
        batchId: event.batchId,
        pageNumber: this.keptPageCount(event.batchId) + 1,
        bytesRead: event.bytesRead,
        totalBytes: event.totalBytes,
      });
      return;
    }
    const { batchId, page: record } = event;
    const source = this.scans.batch(batchId)?.settings.source ?? 'flatbed';
    const classified = this.classify(batchId, record, source);
    this.announce(batchId, async () => {
      await classified;
      const laidOut = this.layout
        .arrange(batchId, this.scans.pages(batchId))
        .find((p) => p.record.seq === record.seq);
      // Blank backs and separator sheets are not pages of the dossier: nothing to show.
      if (laidOut) this.events.emit('scanPage', { batchId, page: await this.pageView(laidOut) });
    });
  }

  /**
   * Blank back sides (feeder batches only: a flatbed page is always meant) and separator sheets are found in
   * a worker thread. A page that cannot be classified is kept: losing a real page is worse than keeping a blank.
   */
  async classify(batchId: string, record: ScanPageRecord, source: ScanSettingsView['source']): Promise<void> {
    try {
      const kind = await classifyScanPage(this.imaging, this.store.blobs, record, source, this.settings);
      if (kind !== 'page') this.layout.classify(batchId, record.seq, kind);
    } catch (error) {
      this.logger.warn('scan.classify-failed', {
        batch: batchId,
        seq: record.seq,
        error: (error as Error).message,
      });
    }
  }

  /** Emits in call order even though thumbnails finish in any order; a failed thumbnail never stops the queue. */
  private announce(batchId: string, emit: () => Promise<void>): void {
    const previous = this.announcements.get(batchId) ?? Promise.resolve();
    const next = previous
      .then(emit)
      .catch((error: unknown) =>
        this.logger.warn('scan.announce-failed', { error: (error as Error).message }),
      );
    this.announcements.set(batchId, next);
    void next.then(() => {
      if (this.announcements.get(batchId) === next) this.announcements.delete(batchId);
    });
  }

  private keptPageCount(batchId: string): number {
    return this.layout.arrange(batchId, this.scans.pages(batchId)).length;
  }

  private async pageViews(batchId: string): Promise<ScanPageView[]> {
    const pages = this.layout.arrange(batchId, this.scans.pages(batchId));
    return Promise.all(pages.map((p) => this.pageView(p)));
  }

  private async pageView({ record, position, rotation, component }: LaidOutPage): Promise<ScanPageView> {
    return {
      seq: record.seq,
      position,
      rotation,
      component,
      width: record.width,
      height: record.height,
      dpi: record.dpi,
      bytes: record.bytes,
      thumbnail: await this.thumbnail(record, rotation),
    };
  }

  private async thumbnail(record: ScanPageRecord, rotation: number): Promise<string> {
    const key = `${record.sha256}:${rotation}`;
    const cached = this.thumbnails.get(key);
    if (cached) return cached;
    const page = await readScanPage(this.store.blobs, record);
    const jpeg = await sharp(page.data, {
      raw: { width: page.width, height: page.height, channels: page.channels },
    })
      .resize({ width: THUMBNAIL_WIDTH })
      .rotate(rotation)
      .jpeg({ quality: 70 })
      .toBuffer();
    const url = `data:image/jpeg;base64,${jpeg.toString('base64')}`;
    if (this.thumbnails.size >= THUMBNAIL_CACHE_SIZE) {
      this.thumbnails.delete(this.thumbnails.keys().next().value as string);
    }
    this.thumbnails.set(key, url);
    return url;
  }

  private batchView(batch: ScanBatch): ScanBatchView {
    return {
      id: batch.id,
      scannerLabel: `${batch.deviceVendor} ${batch.deviceModel}`.trim(),
      settings: batch.settings,
      status: batch.status,
      lastError: batch.lastError ? scanErrorMessage(batch.lastError) : null,
      pageCount: this.keptPageCount(batch.id),
      blankPages: this.layout.blankCount(batch.id),
      createdAt: batch.createdAt,
    };
  }

  private requireBatch(batchId: string): ScanBatch {
    const batch = this.scans.batch(batchId);
    if (!batch || batch.status === 'discarded') throw new DeskError('not-found', `no scan batch ${batchId}`);
    return batch;
  }

  /** Device errors from listing or opening become the clerk's scan message. */
  private async guard<T>(work: () => Promise<T>): Promise<T> {
    try {
      return await work();
    } catch (error) {
      if (error instanceof ScanError) throw new DeskError('scanner', error.clerkMessage);
      throw error;
    }
  }
}
