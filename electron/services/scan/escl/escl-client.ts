/**
 * The eSCL protocol, one call per endpoint (shared/design/SCANNERS.md §1.1-1.2). Transport failures become
 * ScanErrors here: a refused or timed-out connection is `escl-unreachable`, silence after that is
 * `escl-not-answering`. What an HTTP status means is the session's business (it depends on the page count).
 */
import { ScanError } from '../errors';
import {
  type EsclCapabilities,
  type EsclColorMode,
  type EsclFormat,
  parseCapabilities,
} from './capabilities';
import {
  type CertificatePins,
  DEFAULT_TIMEOUTS,
  type EsclRequest,
  type EsclResponse,
  EsclTimeout,
  type EsclTimeouts,
  esclRequest,
  memoryPins,
} from './http';
import { type EsclStatus, parseStatus } from './status';
import { escapeXml } from './xml';

export interface EsclJobSettings {
  source: 'Platen' | 'Feeder';
  duplex: boolean;
  colorMode: EsclColorMode;
  format: EsclFormat;
  resolution: number;
  /** Scan region in 1/300 inch, from the top-left corner. */
  width: number;
  height: number;
}

const NS =
  'xmlns:pwg="http://www.pwg.org/schemas/2010/12/sm" xmlns:scan="http://schemas.hp.com/imaging/escl/2011/05/03"';

/** The ScanSettings document, in the shape sane-airscan and NAPS2 send (the one devices are tested with). */
export function scanSettingsXml(job: EsclJobSettings): string {
  const region =
    `<pwg:ScanRegions pwg:MustHonor="true"><pwg:ScanRegion>` +
    `<pwg:ContentRegionUnits>escl:ThreeHundredthsOfInches</pwg:ContentRegionUnits>` +
    `<pwg:XOffset>0</pwg:XOffset><pwg:YOffset>0</pwg:YOffset>` +
    `<pwg:Width>${Math.round(job.width)}</pwg:Width><pwg:Height>${Math.round(job.height)}</pwg:Height>` +
    `</pwg:ScanRegion></pwg:ScanRegions>`;
  const format = escapeXml(job.format);
  return (
    `<?xml version="1.0" encoding="UTF-8"?>\n<scan:ScanSettings ${NS}>` +
    `<pwg:Version>2.0</pwg:Version><scan:Intent>TextAndGraphic</scan:Intent>${region}` +
    `<pwg:InputSource>${job.source}</pwg:InputSource><scan:ColorMode>${job.colorMode}</scan:ColorMode>` +
    `<pwg:DocumentFormat>${format}</pwg:DocumentFormat><scan:DocumentFormatExt>${format}</scan:DocumentFormatExt>` +
    `<scan:XResolution>${job.resolution}</scan:XResolution><scan:YResolution>${job.resolution}</scan:YResolution>` +
    (job.source === 'Feeder' ? `<scan:Duplex>${job.duplex}</scan:Duplex>` : '') +
    `</scan:ScanSettings>`
  );
}

/** An address the clerk typed (`192.168.1.20`, `http://host:8080`, `https://host/eSCL/`) → the eSCL root. */
export function parseEsclRoot(text: string): URL {
  const trimmed = text.trim().replace(/^escl:/i, '');
  if (/^[a-z][\w+.-]*:\/\//i.test(trimmed) && !/^https?:\/\//i.test(trimmed))
    throw new ScanError('escl-bad-address', `not an http(s) address: ${trimmed.slice(0, 80)}`);
  let url: URL;
  try {
    url = new URL(/^https?:\/\//i.test(trimmed) ? trimmed : `http://${trimmed}`);
  } catch {
    throw new ScanError('escl-bad-address', `not an eSCL address: ${trimmed.slice(0, 80)}`);
  }
  if (!/^https?:$/.test(url.protocol) || !url.hostname || url.username || url.password)
    throw new ScanError('escl-bad-address', `not an eSCL address: ${url.protocol}//${url.host}`);
  const path = url.pathname.replace(/\/+$/, '');
  url.pathname = path === '' ? '/eSCL' : path;
  url.search = '';
  url.hash = '';
  return url;
}

/** Transport failures as the clerk's codes (English detail for logs: no personal data in a URL here). */
export function transportError(error: unknown, what: string): ScanError {
  if (error instanceof ScanError) return error;
  if (error instanceof EsclTimeout)
    return new ScanError(
      error.phase === 'connect' ? 'escl-unreachable' : 'escl-not-answering',
      `${what}: ${error.message}`,
    );
  const code = (error as NodeJS.ErrnoException)?.code ?? '';
  if (/ECONNREFUSED|EHOSTUNREACH|ENETUNREACH|ENOTFOUND|EAI_AGAIN|EADDRNOTAVAIL/.test(code))
    return new ScanError('escl-unreachable', `${what}: ${code}`, code);
  return new ScanError('escl-not-answering', `${what}: ${(error as Error)?.message ?? String(error)}`, code);
}

export class EsclClient {
  readonly root: URL;

  constructor(
    root: URL | string,
    private readonly options: { pins?: CertificatePins; timeouts?: Partial<EsclTimeouts> } = {},
  ) {
    this.root = typeof root === 'string' ? parseEsclRoot(root) : root;
    this.options.pins ??= memoryPins();
  }

  private url(path: string): URL {
    return new URL(`${this.root.pathname}/${path}`, this.root);
  }

  private async send(what: string, request: Omit<EsclRequest, 'pins'>): Promise<EsclResponse> {
    try {
      return await esclRequest({
        ...request,
        timeouts: { ...DEFAULT_TIMEOUTS, ...this.options.timeouts, ...request.timeouts },
        ...(this.options.pins ? { pins: this.options.pins } : {}),
      });
    } catch (error) {
      throw transportError(error, what);
    }
  }

  async capabilities(signal?: AbortSignal): Promise<EsclCapabilities> {
    const response = await this.send('capabilities', {
      method: 'GET',
      url: this.url('ScannerCapabilities'),
      signal,
    });
    if (response.status !== 200)
      throw new ScanError(
        'escl-protocol',
        `capabilities answered ${response.status}`,
        String(response.status),
      );
    try {
      return parseCapabilities(response.body.toString('utf8'));
    } catch (error) {
      throw new ScanError('escl-protocol', `capabilities: ${(error as Error).message}`);
    }
  }

  async status(signal?: AbortSignal): Promise<EsclStatus> {
    const response = await this.send('status', { method: 'GET', url: this.url('ScannerStatus'), signal });
    if (response.status !== 200)
      throw new ScanError('escl-protocol', `status answered ${response.status}`, String(response.status));
    try {
      return parseStatus(response.body.toString('utf8'));
    } catch (error) {
      throw new ScanError('escl-protocol', `status: ${(error as Error).message}`);
    }
  }

  /** POST ScanJobs: the HTTP status and, on 201, the job's URL. */
  async createJob(
    job: EsclJobSettings,
    signal?: AbortSignal,
  ): Promise<{ status: number; jobUrl: URL | null }> {
    const response = await this.send('create job', {
      method: 'POST',
      url: this.url('ScanJobs'),
      body: scanSettingsXml(job),
      signal,
    });
    const location = response.headers.location;
    if (response.status !== 201) return { status: response.status, jobUrl: null };
    if (!location) throw new ScanError('escl-protocol', 'job created without a Location');
    const resolved = new URL(location, this.root);
    // Like sane-airscan, trust only the path: some devices put a wrong host (or a broken IPv6) in Location.
    const jobUrl = new URL(resolved.pathname.replace(/\/+$/, ''), this.root);
    return { status: 201, jobUrl };
  }

  /** GET {job}/NextDocument: the raw answer (200 page, 503 retry, 404 end, 410 gone, other = failed). */
  nextDocument(
    jobUrl: URL,
    options: { signal?: AbortSignal; onData?: EsclRequest['onData']; firstByteMs: number },
  ): Promise<EsclResponse> {
    return this.send('next document', {
      method: 'GET',
      url: new URL(`${jobUrl.pathname}/NextDocument`, jobUrl),
      timeouts: { firstByteMs: options.firstByteMs },
      ...(options.signal ? { signal: options.signal } : {}),
      ...(options.onData ? { onData: options.onData } : {}),
    });
  }

  /** DELETE {job}: cancels the job, or cleans it up after its end. Never throws. */
  async deleteJob(jobUrl: URL): Promise<number | null> {
    try {
      const response = await this.send('delete job', {
        method: 'DELETE',
        url: jobUrl,
        // Short: after a stall the clerk's message waits for this cleanup (worst case about 7 s here).
        timeouts: { connectMs: 2_000, firstByteMs: 3_000, idleMs: 2_000 },
      });
      return response.status;
    } catch {
      return null;
    }
  }
}
