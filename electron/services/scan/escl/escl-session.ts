/**
 * One eSCL scanner opened for the desk: settings → a ScanSettings document, then the job flow
 * (POST ScanJobs → Location; NextDocument 200 page / 503 retry after a pause / 404 end / 410 cancelled;
 * DELETE at the end, as sane-airscan does, and to cancel). A failed request is explained by the
 * ScannerStatus read right after it (jam, hatch open, empty feeder…), as sane-airscan and NAPS2 do.
 */
import { type Logger, silentLogger } from '../../logging/logger';
import { ScanError, type ScanErrorCode } from '../errors';
import { PAGE_SIZES, pageSizesWithin } from '../page-sizes';
import type {
  CapturedPage,
  ScannerCapabilities,
  ScannerDevice,
  ScannerSession,
  ScanOptions,
  ScanRun,
  ScanSettings,
} from '../types';
import {
  type EsclCapabilities,
  type EsclInputCaps,
  esclModeFor,
  MM_PER_ESCL_UNIT,
  toScannerCapabilities,
} from './capabilities';
import type { EsclClient, EsclJobSettings } from './escl-client';
import { PAGE_FIRST_BYTE_MS } from './http';
import { decodeEsclPage } from './page-decode';
import { adfProblem, type EsclStatus, statusProblem } from './status';

export interface EsclRetryPolicy {
  /** Pause before asking again after a 503 when the device gives no Retry-After, ms. */
  pauseMs: number;
  /** 503s in a row before the device counts as busy. */
  maxRetries: number;
}

/** sane-airscan retries a NextDocument 503 up to 30 times a second apart; NAPS2 waits 2 s. */
export const DEFAULT_RETRY: EsclRetryPolicy = { pauseMs: 1_000, maxRetries: 30 };
/** A Retry-After is honoured within these bounds (a device asking for 10 minutes is not waited for). */
const RETRY_AFTER_MS = { min: 200, max: 5_000 };

/** Feeder problems that stop a batch even after pages came (unlike "empty", which ends it). */
const FEEDER_FAULTS = new Set<ScanErrorCode>([
  'jammed',
  'cover-open',
  'escl-double-feed',
  'escl-paper-size',
  'escl-tray-problem',
]);

function sleep(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal.aborted) return reject(new ScanError('cancelled', 'aborted while waiting'));
    const timer = setTimeout(() => {
      signal.removeEventListener('abort', onAbort);
      resolve();
    }, ms);
    const onAbort = () => {
      clearTimeout(timer);
      reject(new ScanError('cancelled', 'aborted while waiting'));
    };
    signal.addEventListener('abort', onAbort, { once: true });
  });
}

function retryAfterMs(header: string | string[] | undefined, fallback: number): number {
  const seconds = Number(Array.isArray(header) ? header[0] : header);
  if (!Number.isFinite(seconds) || seconds < 0) return fallback;
  return Math.min(RETRY_AFTER_MS.max, Math.max(RETRY_AFTER_MS.min, seconds * 1000));
}

const nearest = (values: number[], wanted: number) =>
  values.reduce((best, v) => (Math.abs(v - wanted) < Math.abs(best - wanted) ? v : best));

export class EsclSession implements ScannerSession {
  private closed = false;

  constructor(
    private readonly client: EsclClient,
    readonly device: ScannerDevice,
    private readonly caps: EsclCapabilities,
    private readonly retry: EsclRetryPolicy = DEFAULT_RETRY,
    private readonly logger: Logger = silentLogger,
    private readonly pageFirstByteMs = PAGE_FIRST_BYTE_MS,
  ) {}

  async capabilities(): Promise<ScannerCapabilities> {
    return toScannerCapabilities(this.caps);
  }

  /** The job document for the settings, and the settings as the device will use them. */
  plan(settings: ScanSettings): { job: EsclJobSettings; effective: ScanSettings; input: EsclInputCaps } {
    const input = this.caps.inputs[settings.source];
    if (!input) throw new ScanError('unsupported-setting', `source ${settings.source}`);
    const colorMode = esclModeFor(input, settings.mode);
    if (!colorMode) throw new ScanError('unsupported-setting', `mode ${settings.mode}`);
    if (settings.deviceOptions && Object.keys(settings.deviceOptions).length > 0)
      throw new ScanError('unsupported-setting', 'device options are SANE-only');
    const maxWidthMm = input.maxWidth * MM_PER_ESCL_UNIT;
    const maxHeightMm = input.maxHeight * MM_PER_ESCL_UNIT;
    if (!pageSizesWithin(maxWidthMm, maxHeightMm).includes(settings.pageSize))
      throw new ScanError('unsupported-setting', `page size ${settings.pageSize}`);
    const size = PAGE_SIZES[settings.pageSize];
    const resolution = nearest(input.resolutions, settings.resolution);
    const job: EsclJobSettings = {
      source: settings.source === 'flatbed' ? 'Platen' : 'Feeder',
      duplex: settings.source === 'duplex',
      colorMode,
      // Lossless when the device offers it: the desk keeps raw pages for OCR and the record.
      format: input.formats.includes('image/png') ? 'image/png' : 'image/jpeg',
      resolution,
      width: Math.min(input.maxWidth, Math.round(size.widthMm / MM_PER_ESCL_UNIT)),
      height: Math.min(input.maxHeight, Math.round(size.heightMm / MM_PER_ESCL_UNIT)),
    };
    return { job, effective: { ...settings, resolution }, input };
  }

  /** The device's status, or null when it cannot say (some devices lack the endpoint). */
  private async readStatus(signal?: AbortSignal): Promise<EsclStatus | null> {
    try {
      return await this.client.status(signal);
    } catch (error) {
      if ((error as ScanError).code === 'escl-protocol') return null;
      throw error;
    }
  }

  async scan(settings: ScanSettings, options: ScanOptions = {}): Promise<ScanRun> {
    if (this.closed) throw new ScanError('disconnected', 'session closed');
    const { job, effective } = this.plan(settings);
    const feeder = job.source === 'Feeder';
    const status = await this.readStatus(options.signal);
    // Checked first, as NAPS2 does: an empty or jammed feeder is told before a job is made.
    const problem = status && (feeder ? adfProblem(status) : null);
    if (problem) throw new ScanError(problem, `before the job: ${status.adfState}`, status.adfState);
    if (status && /Stopped|Down/i.test(status.state))
      throw new ScanError('device-failed', `device state ${status.state}`, status.state);
    const jobUrl = await this.createJob(job, options.signal);
    this.logger.info('escl.job-created', { device: this.device.id, source: job.source, dpi: job.resolution });
    return { effective, pages: this.pages(jobUrl, job, effective, options) };
  }

  private async createJob(job: EsclJobSettings, signal?: AbortSignal): Promise<URL> {
    const feeder = job.source === 'Feeder';
    const local = signal ?? new AbortController().signal;
    for (let attempt = 0; ; attempt++) {
      const { status, jobUrl } = await this.client.createJob(job, signal);
      if (jobUrl) return jobUrl;
      const deviceStatus = await this.readStatus(signal);
      const problem = deviceStatus ? statusProblem(deviceStatus, { feeder }) : null;
      // 503 = busy for a moment (warming up, another job ending): wait like a NextDocument 503.
      if (status === 503 && (problem === null || problem === 'busy') && attempt < this.retry.maxRetries) {
        await sleep(this.retry.pauseMs, local);
        continue;
      }
      const code: ScanErrorCode =
        problem ?? (status === 503 ? 'busy' : status === 409 ? 'unsupported-setting' : 'device-failed');
      throw new ScanError(code, `ScanJobs answered ${status}`, String(status));
    }
  }

  private async *pages(
    jobUrl: URL,
    job: EsclJobSettings,
    settings: ScanSettings,
    { signal, onProgress }: ScanOptions,
  ): AsyncGenerator<CapturedPage> {
    // Our own controller: it stops a prefetched page when the caller stops early, and follows the caller's.
    const stop = new AbortController();
    const onAbort = () => stop.abort();
    signal?.addEventListener('abort', onAbort, { once: true });
    if (signal?.aborted) stop.abort();
    const single = job.source === 'Platen';
    let index = 0;
    let inflight: Promise<CapturedPage | null> | null = null;
    try {
      inflight = this.fetchPage(jobUrl, job, settings, 0, stop.signal, onProgress);
      for (;;) {
        const page: CapturedPage | null = await inflight.catch((error) => {
          throw signal?.aborted ? new ScanError('cancelled', `cancelled on page ${index + 1}`) : error;
        });
        inflight = null;
        if (!page) return;
        index++;
        // Ask for the next sheet before handing this one out: the device scans while the caller stores.
        if (!single) {
          inflight = this.fetchPage(jobUrl, job, settings, index, stop.signal, onProgress);
          inflight.catch(() => {}); // read in the next turn of the loop, or dropped in `finally`
        }
        yield page;
        if (!inflight) return;
      }
    } finally {
      signal?.removeEventListener('abort', onAbort);
      stop.abort();
      if (inflight) await inflight.catch(() => null);
      // Cancels a job still running, and cleans up an ended one (sane-airscan sends it in both cases).
      const deleted = await this.client.deleteJob(jobUrl);
      this.logger.info('escl.job-ended', { device: this.device.id, pages: index, deleteStatus: deleted });
    }
  }

  /** One page of the job (waiting through 503s), or null at the normal end of the batch. */
  private async fetchPage(
    jobUrl: URL,
    job: EsclJobSettings,
    effective: ScanSettings,
    index: number,
    signal: AbortSignal,
    onProgress: ScanOptions['onProgress'],
  ): Promise<CapturedPage | null> {
    const feeder = job.source === 'Feeder';
    const t0 = performance.now();
    for (let retries = 0; ; retries++) {
      if (signal.aborted) throw new ScanError('cancelled', `cancelled before page ${index + 1}`);
      const response = await this.client.nextDocument(jobUrl, {
        signal,
        firstByteMs: this.pageFirstByteMs,
        onData: (bytesRead, totalBytes) => onProgress?.({ index, bytesRead, totalBytes }),
      });
      if (response.status === 200) {
        // In the clerk's mode, not the wire's: black-and-white may have come as grey.
        const decoded = await decodeEsclPage(response.body, effective.mode);
        return {
          width: decoded.width,
          height: decoded.height,
          channels: decoded.channels,
          depth: decoded.depth,
          dpi: effective.resolution,
          format: 'pnm',
          content: { kind: 'memory', bytes: decoded.pnm },
          captureMs: performance.now() - t0,
          // Memory pages of this driver are plain buffers: nothing to give back.
          release: async () => {},
        };
      }
      if (response.status === 503) {
        if (retries >= this.retry.maxRetries)
          throw new ScanError('busy', `NextDocument 503 ${retries + 1} times on page ${index + 1}`, '503');
        await sleep(retryAfterMs(response.headers['retry-after'], this.retry.pauseMs), signal);
        continue;
      }
      if (response.status === 410) {
        if (signal.aborted) throw new ScanError('cancelled', `cancelled on page ${index + 1}`);
        throw new ScanError('escl-cancelled-at-device', `job gone (410) at page ${index + 1}`, '410');
      }
      const status = await this.readStatus(signal).catch(() => null);
      const fault = status && feeder ? adfProblem(status) : null;
      if (response.status === 404) {
        if (fault && FEEDER_FAULTS.has(fault))
          throw new ScanError(fault, `404 at page ${index + 1}, ${status?.adfState}`, status?.adfState);
        // No more pages: the normal end of a feeder batch, or of a flatbed job after its page.
        if (index > 0) return null;
        throw new ScanError(feeder ? 'feeder-empty' : 'device-failed', 'no page in the job (404)', '404');
      }
      const problem = fault ?? (status && /Stopped|Down/i.test(status.state) ? 'device-failed' : null);
      throw new ScanError(
        problem ?? 'device-failed',
        `NextDocument ${response.status} at page ${index + 1}`,
        status?.adfState || String(response.status),
      );
    }
  }

  async close(): Promise<void> {
    this.closed = true;
  }
}
