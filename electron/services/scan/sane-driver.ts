import { rm } from 'node:fs/promises';
import { SaneClient, SaneError } from '../../../native/sane/client';
import type { SaneResults, ScannedFrame, StoredFrame } from '../../../native/sane/protocol';
import {
  type SaneOptionDescriptor,
  SaneStatus,
  type SaneValue,
  saneStatusName,
} from '../../../native/sane/types';
import type { ColorMode } from '../imaging/raw-page';
import { type Logger, silentLogger } from '../logging/logger';
import { ScanError, scanErrorCodeForSaneStatus } from './errors';
import { pageSizesWithin, scanArea } from './page-sizes';
import type {
  CapturedPage,
  PageContent,
  ScannerCapabilities,
  ScannerDevice,
  ScannerDriver,
  ScannerSession,
  ScanOptions,
  ScanRun,
  ScanSettings,
  ScanSource,
} from './types';

/** Turns whatever the SANE layer threw into a ScanError with the clerk's code. */
export function toScanError(error: unknown): ScanError {
  if (error instanceof ScanError) return error;
  if (error instanceof SaneError) {
    if (error.operation === 'locate') return new ScanError('driver-missing', error.message);
    if (error.status === undefined) return new ScanError('device-failed', error.message);
    if (error.operation === 'set' && error.status === SaneStatus.UNSUPPORTED)
      return new ScanError('unsupported-setting', error.message, error.statusName);
    return new ScanError(scanErrorCodeForSaneStatus(error.status), error.message, error.statusName);
  }
  return new ScanError('device-failed', (error as Error)?.message ?? String(error));
}

const COMMON_RESOLUTIONS = [75, 100, 150, 200, 240, 300, 400, 600, 1200];

// SANE backends name sources and modes freely; these patterns cover the well-known spellings.
const SOURCE_PATTERNS: [ScanSource, RegExp][] = [
  ['duplex', /duplex/i],
  ['adf', /adf|feeder|automatic document|document feeder|sheet/i],
  ['flatbed', /flatbed|platen|glass|normal/i],
];
const MODE_PATTERNS: [ColorMode, RegExp][] = [
  ['color', /colou?r|rgb/i],
  ['gray', /gr[ae]y/i],
  // Lineart first: halftone dithers, which hurts OCR.
  ['bw', /lineart|line art|binary|black\s*(&|and)?\s*white/i],
  ['bw', /halftone|mono/i],
];

function stringList(option: SaneOptionDescriptor | undefined): string[] {
  return option?.constraint.kind === 'string-list' ? option.constraint.values : [];
}

function sourceNames(options: SaneOptionDescriptor[]): Map<ScanSource, string> {
  const map = new Map<ScanSource, string>();
  for (const value of stringList(active(options, 'source'))) {
    const match = SOURCE_PATTERNS.find(([, pattern]) => pattern.test(value));
    if (match && !map.has(match[0])) map.set(match[0], value);
  }
  return map;
}

/** How each colour mode is reached: a `mode` value, and for black-and-white maybe grey at depth 1. */
function modePlans(options: SaneOptionDescriptor[]): Map<ColorMode, { mode?: string; depth?: number }> {
  const plans = new Map<ColorMode, { mode?: string; depth?: number }>();
  const modes = stringList(active(options, 'mode'));
  for (const [name, pattern] of MODE_PATTERNS) {
    const value = modes.find((m) => pattern.test(m));
    if (value && !plans.has(name)) plans.set(name, { mode: value, ...(name === 'bw' ? {} : { depth: 8 }) });
  }
  const depth = active(options, 'depth');
  const depths = depth?.constraint.kind === 'word-list' ? depth.constraint.values : [];
  if (!plans.has('bw') && plans.has('gray') && depths.includes(1))
    plans.set('bw', { mode: plans.get('gray')?.mode as string, depth: 1 });
  if (modes.length === 0) plans.set('gray', {});
  return plans;
}

function active(options: SaneOptionDescriptor[], name: string): SaneOptionDescriptor | undefined {
  return options.find((o) => o.name === name && o.active);
}

function maxOf(option: SaneOptionDescriptor | undefined): number {
  if (option?.unit !== 'mm') return 0;
  const c = option.constraint;
  if (c.kind === 'range') return c.max;
  if (c.kind === 'word-list') return Math.max(...c.values);
  return 0;
}

/** The value of a numeric option closest to `wanted` that its constraint allows. */
export function nearestAllowed(option: SaneOptionDescriptor, wanted: number): number | string {
  const c = option.constraint;
  if (c.kind === 'range') {
    const clamped = Math.min(c.max, Math.max(c.min, wanted));
    return c.quant > 0 ? Math.min(c.max, c.min + Math.round((clamped - c.min) / c.quant) * c.quant) : clamped;
  }
  if (c.kind === 'word-list' && c.values.length > 0)
    return c.values.reduce((best, v) => (Math.abs(v - wanted) < Math.abs(best - wanted) ? v : best));
  if (c.kind === 'string-list' && c.values.length > 0) {
    // Some backends list resolutions as strings.
    return c.values.reduce((best, v) =>
      Math.abs(Number(v) - wanted) < Math.abs(Number(best) - wanted) ? v : best,
    );
  }
  return wanted;
}

function resolutionsOf(option: SaneOptionDescriptor | undefined): number[] {
  if (!option) return [];
  const c = option.constraint;
  if (c.kind === 'word-list') return [...c.values].sort((a, b) => a - b);
  if (c.kind === 'string-list') return c.values.map(Number).filter((v) => v > 0);
  if (c.kind === 'range') return COMMON_RESOLUTIONS.filter((r) => r >= c.min && r <= c.max);
  return typeof option.value === 'number' ? [option.value] : [];
}

export function capabilitiesFromOptions(options: SaneOptionDescriptor[]): ScannerCapabilities {
  const sources = [...sourceNames(options).keys()];
  const plans = modePlans(options);
  const maxWidthMm = maxOf(active(options, 'br-x'));
  const maxHeightMm = maxOf(active(options, 'br-y'));
  return {
    sources: sources.length > 0 ? sources : ['flatbed'],
    modes: (['color', 'gray', 'bw'] as ColorMode[]).filter((m) => plans.has(m)),
    resolutions: resolutionsOf(active(options, 'resolution') ?? active(options, 'x-resolution')),
    pageSizes: pageSizesWithin(maxWidthMm, maxHeightMm),
    maxWidthMm,
    maxHeightMm,
  };
}

class SaneSession implements ScannerSession {
  private closed = false;

  constructor(
    private readonly client: SaneClient,
    readonly device: ScannerDevice,
    private readonly handle: number,
    private options: SaneOptionDescriptor[],
    private readonly logger: Logger,
  ) {}

  async capabilities(): Promise<ScannerCapabilities> {
    return capabilitiesFromOptions(this.options);
  }

  /** Current option table (descriptors and values), e.g. for diagnostics. */
  get optionTable(): readonly SaneOptionDescriptor[] {
    return this.options;
  }

  private async set(name: string, value: SaneValue): Promise<SaneValue | undefined> {
    const current = active(this.options, name);
    if (current?.value === value) return value;
    try {
      const result = await this.client.set(this.handle, name, value);
      // After SANE_INFO_RELOAD_OPTIONS the worker re-read every descriptor; keep its table.
      if (result.options) this.options = result.options;
      else if (current && result.value !== undefined) current.value = result.value;
      return result.value;
    } catch (error) {
      throw toScanError(error);
    }
  }

  private async apply(settings: ScanSettings): Promise<ScanSettings> {
    const sources = sourceNames(this.options);
    if (sources.size > 0) {
      const source = sources.get(settings.source);
      if (!source) throw new ScanError('unsupported-setting', `source ${settings.source}`);
      await this.set('source', source);
    } else if (settings.source !== 'flatbed') {
      throw new ScanError('unsupported-setting', `source ${settings.source}`);
    }

    const plan = modePlans(this.options).get(settings.mode);
    if (!plan) throw new ScanError('unsupported-setting', `mode ${settings.mode}`);
    if (plan.mode) await this.set('mode', plan.mode);
    const depth = active(this.options, 'depth');
    if (plan.depth !== undefined && depth?.settable)
      await this.set('depth', nearestAllowed(depth, plan.depth));

    let dpi = settings.resolution;
    for (const name of ['resolution', 'x-resolution', 'y-resolution']) {
      const option = active(this.options, name);
      if (!option?.settable) continue;
      const kept = await this.set(name, nearestAllowed(option, settings.resolution));
      if (name !== 'y-resolution' && kept !== undefined) dpi = Number(kept);
    }

    const maxWidth = maxOf(active(this.options, 'br-x'));
    const maxHeight = maxOf(active(this.options, 'br-y'));
    if (maxWidth > 0 && maxHeight > 0) {
      if (!pageSizesWithin(maxWidth, maxHeight).includes(settings.pageSize))
        throw new ScanError('unsupported-setting', `page size ${settings.pageSize}`);
      const area = scanArea(settings.pageSize, maxWidth, maxHeight);
      // Sheet-fed backends centre the paper by its declared size; set it before the window.
      for (const [name, value] of [
        ['page-width', area.brX],
        ['page-height', area.brY],
      ] as const) {
        const option = active(this.options, name);
        if (option?.settable) await this.set(name, nearestAllowed(option, value));
      }
      for (const [name, value] of [
        ['tl-x', area.tlX],
        ['tl-y', area.tlY],
        ['br-x', area.brX],
        ['br-y', area.brY],
      ] as const) {
        const option = active(this.options, name);
        if (option?.settable) await this.set(name, nearestAllowed(option, value));
      }
    }

    for (const [name, value] of Object.entries(settings.deviceOptions ?? {})) await this.set(name, value);
    return { ...settings, resolution: Math.round(dpi * 100) / 100 };
  }

  async scan(settings: ScanSettings, options: ScanOptions = {}): Promise<ScanRun> {
    if (this.closed) throw new ScanError('disconnected', 'session closed');
    const effective = await this.apply(settings);
    return { effective, pages: this.pages(effective, options) };
  }

  private async *pages(
    settings: ScanSettings,
    { signal, onProgress, sink }: ScanOptions,
  ): AsyncGenerator<CapturedPage> {
    const { client, handle } = this;
    const single = settings.source === 'flatbed';
    const request = (index: number) =>
      client.scanPage(
        handle,
        (bytesRead, totalBytes) => onProgress?.({ index, bytesRead, totalBytes }),
        sink,
      );
    const onAbort = () => void client.cancel(handle).catch((error) => this.driverFailed('cancel', error));
    signal?.addEventListener('abort', onAbort);
    let index = 0;
    let inflight: Promise<SaneResults['scan-page']> | null = signal?.aborted ? null : request(0);
    try {
      if (!inflight) throw new ScanError('cancelled', 'aborted before the first page');
      for (;;) {
        const result: SaneResults['scan-page'] = await inflight.catch((error) => {
          throw toScanError(error);
        });
        inflight = null;
        if (result.kind === 'status') {
          const status = saneStatusName(result.status);
          if (result.cancelled || signal?.aborted)
            throw new ScanError('cancelled', `cancelled on page ${index + 1}`, status);
          // An empty feeder after at least one page is how an ADF batch ends.
          if (result.status === SaneStatus.NO_DOCS && index > 0 && result.bytesRead === 0) return;
          throw new ScanError(
            scanErrorCodeForSaneStatus(result.status),
            `${status} at ${result.phase} of page ${index + 1}`,
            status,
          );
        }
        const page = toCapturedPage(client, result, settings.resolution);
        // Ask for the next sheet before handing this one out: the device scans while the caller stores.
        if (!single && !signal?.aborted) inflight = request(index + 1);
        index++;
        yield page;
        if (!inflight) {
          if (signal?.aborted) throw new ScanError('cancelled', `cancelled after page ${index}`);
          return;
        }
      }
    } finally {
      signal?.removeEventListener('abort', onAbort);
      if (inflight) {
        // The caller stopped early: stop the sheet in flight too.
        await client.cancel(handle).catch((error) => this.driverFailed('cancel', error));
        const late = await inflight.catch((error) => {
          this.driverFailed('page-after-cancel', error);
          return null;
        });
        if (late && late.kind !== 'status') {
          this.logger.warn('scan.page-dropped', { device: this.device.id, page: index + 1 });
          // Awaited: when the run ends, no temp file of a dropped page is left in the caller's sink.
          if (late.kind === 'file') await rm(late.path, { force: true }).catch(() => {});
          else client.recycle(late.pnm);
        }
      }
      // sane_cancel ends the batch and returns the device to idle, after success and failure alike.
      await client.end(handle).catch((error) => this.driverFailed('end', error));
    }
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    await this.client.closeDevice(this.handle).catch((error) => this.driverFailed('close', error));
  }

  /**
   * A cancel, end or close the driver could not do is not the caller's failure (the scan is over either way),
   * but it is the clue to a stuck scanner: logged, never thrown. English, device id and SANE status only.
   */
  private driverFailed(step: 'cancel' | 'page-after-cancel' | 'end' | 'close', error: unknown): void {
    const e = error as Error & { operation?: string; status?: number };
    this.logger.warn('scan.driver-step-failed', {
      device: this.device.id,
      step,
      error: e?.name ?? 'Error',
      detail: e?.message,
      status: e?.status,
    });
  }
}

function toCapturedPage(client: SaneClient, frame: ScannedFrame | StoredFrame, dpi: number): CapturedPage {
  let released = false;
  const content: PageContent =
    frame.kind === 'file'
      ? { kind: 'file', path: frame.path, bytes: frame.bytes, sha256: frame.sha256, synced: frame.synced }
      : { kind: 'memory', bytes: frame.pnm, sha256: frame.sha256 };
  return {
    width: frame.width,
    height: frame.height,
    channels: frame.channels,
    depth: frame.depth,
    dpi,
    format: 'pnm',
    content,
    captureMs: frame.startMs + frame.readMs,
    async release() {
      if (released) return;
      released = true;
      // A temp file the caller adopted has been renamed away: removing its old name is then a no-op.
      if (content.kind === 'file') await rm(content.path, { force: true }).catch(() => {});
      // The bytes now in the content: a writer thread they were lent to has put its view back there.
      else client.recycle(content.bytes);
    },
  };
}

/** Scanners reached through libsane (USB, network via saned/airscan, and the `test` backend). */
export class SaneDriver implements ScannerDriver {
  readonly name = 'sane';

  constructor(
    private readonly client: SaneClient = SaneClient.shared(),
    private readonly logger: Logger = silentLogger,
  ) {}

  /** Whether libsane is installed at all (no worker is started). */
  get available(): boolean {
    return this.client.libraryPath !== null;
  }

  async listDevices(): Promise<ScannerDevice[]> {
    try {
      const { devices } = await this.client.list();
      return devices.map((d) => ({
        id: d.name,
        driver: this.name,
        vendor: d.vendor,
        model: d.model,
        type: d.type,
      }));
    } catch (error) {
      throw toScanError(error);
    }
  }

  async open(deviceId: string): Promise<ScannerSession & { optionTable: readonly SaneOptionDescriptor[] }> {
    const listed = (await this.listDevices()).find((d) => d.id === deviceId);
    try {
      const { handle, options } = await this.client.open(deviceId);
      const device = listed ?? { id: deviceId, driver: this.name, vendor: '', model: '', type: '' };
      this.logger.info('scan.device-opened', { device: deviceId, options: options.length });
      return new SaneSession(this.client, device, handle, options, this.logger);
    } catch (error) {
      throw toScanError(error);
    }
  }

  async dispose(): Promise<void> {
    // The worker is process-wide and shared. It is not stopped and restarted with each desk: a sane_exit and
    // sane_init per desk made the libsane race of backend-threads.ts hang the scan tests about one run in three.
  }
}
