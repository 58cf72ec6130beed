/**
 * A simulated eSCL (AirScan) network scanner for tests: node:http (or https with a self-signed certificate)
 * on 127.0.0.1, port 0. It speaks the subset real clients use (see shared/design/SCANNERS.md §1):
 * ScannerCapabilities, ScannerStatus, POST ScanJobs → 201 + Location, NextDocument → 200 / 503 / 404 / 410,
 * DELETE job. Pages are real images (sharp) in the requested colour mode, resolution, region and format, so a
 * third-party client (sane-airscan) can decode them. Faults are configured per simulator: a jam at page k,
 * bursts of 503, slow pages, a device-side cancel, and a stall in the middle of a page's body.
 */
import { execFileSync } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import {
  createServer as createHttpServer,
  type IncomingMessage,
  type Server,
  type ServerResponse,
} from 'node:http';
import { createServer as createHttpsServer } from 'node:https';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import sharp from 'sharp';

export interface EsclSimulatorOptions {
  /** Sheets in the feeder at start (each gives two pages in a duplex job). Default 3. */
  sheets?: number;
  /** Whether the ADF can scan both sides (AdfDuplexInputCaps). Default true. */
  duplex?: boolean;
  /** 1-based page (image) number of the job at which the feeder jams: NextDocument fails, status shows Jam. */
  jamAtPage?: number;
  /** How many 503 answers (with Retry-After: 1) precede each page. Default 0. */
  busyBeforeEachPage?: number;
  /** Delay before each page's answer, ms. Default 0. */
  pageDelayMs?: number;
  /** 1-based page at which the device itself cancels the job (someone pressed Stop): 410 from then on. */
  cancelAtPage?: number;
  /** 1-based page whose body stops after its headers and a part of it: the scanner stops answering. */
  stallAtPage?: number;
  /** The hatch is open: status shows ScannerAdfHatchOpen and jobs fail. */
  coverOpen?: boolean;
  https?: boolean;
  makeAndModel?: string;
}

export interface SimulatedRequest {
  method: string;
  path: string;
  status: number;
}

interface Job {
  id: string;
  source: 'Platen' | 'Feeder';
  duplex: boolean;
  colorMode: 'BlackAndWhite1' | 'Grayscale8' | 'RGB24';
  format: 'image/jpeg' | 'image/png';
  xResolution: number;
  yResolution: number;
  /** Region in 1/300 inch. */
  width: number;
  height: number;
  delivered: number;
  busyLeft: number;
  state: 'Processing' | 'Completed' | 'Canceled' | 'Aborted';
}

const NS =
  'xmlns:pwg="http://www.pwg.org/schemas/2010/12/sm" xmlns:scan="http://schemas.hp.com/imaging/escl/2011/05/03"';
const RESOLUTIONS = [75, 150, 300, 600];
const COLOR_MODES = ['BlackAndWhite1', 'Grayscale8', 'RGB24'] as const;
const FORMATS = ['image/jpeg', 'image/png'] as const;
/** US Letter width and A4 height plus margin, in 1/300 inch (what most office MFPs report). */
const MAX_WIDTH = 2550;
const MAX_HEIGHT = 3508;

function inputCaps(tag: string): string {
  const profiles = `<scan:SettingProfiles><scan:SettingProfile>
<scan:ColorModes>${COLOR_MODES.map((m) => `<scan:ColorMode>${m}</scan:ColorMode>`).join('')}</scan:ColorModes>
<scan:DocumentFormats>${FORMATS.map((f) => `<pwg:DocumentFormat>${f}</pwg:DocumentFormat><scan:DocumentFormatExt>${f}</scan:DocumentFormatExt>`).join('')}</scan:DocumentFormats>
<scan:SupportedResolutions><scan:DiscreteResolutions>${RESOLUTIONS.map(
    (r) =>
      `<scan:DiscreteResolution><scan:XResolution>${r}</scan:XResolution><scan:YResolution>${r}</scan:YResolution></scan:DiscreteResolution>`,
  ).join('')}</scan:DiscreteResolutions></scan:SupportedResolutions>
</scan:SettingProfile></scan:SettingProfiles>`;
  return `<${tag}><scan:MinWidth>16</scan:MinWidth><scan:MaxWidth>${MAX_WIDTH}</scan:MaxWidth>
<scan:MinHeight>16</scan:MinHeight><scan:MaxHeight>${MAX_HEIGHT}</scan:MaxHeight><scan:MaxScanRegions>1</scan:MaxScanRegions>
${profiles}<scan:SupportedIntents><scan:Intent>Document</scan:Intent><scan:Intent>TextAndGraphic</scan:Intent></scan:SupportedIntents></${tag}>`;
}

/** The text of `<prefix:name>` (any namespace prefix) in a small XML document, or undefined. */
function xmlValue(xml: string, name: string): string | undefined {
  return new RegExp(`<(?:\\w+:)?${name}(?:\\s[^>]*)?>([^<]*)</(?:\\w+:)?${name}>`).exec(xml)?.[1]?.trim();
}

/** A page with real content (text, rules, a colour band) in the job's mode, size and format. */
async function renderPage(job: Job, pageNumber: number): Promise<Buffer> {
  const width = Math.max(16, Math.floor((job.width * job.xResolution) / 300));
  const height = Math.max(16, Math.floor((job.height * job.yResolution) / 300));
  const side = job.duplex ? (pageNumber % 2 === 1 ? 'mat truoc' : 'mat sau') : 'mot mat';
  const font = Math.round(height / 24);
  const rules = Array.from({ length: 8 }, (_, i) => {
    const y = Math.round(height * (0.35 + i * 0.07));
    return `<rect x="${Math.round(width * 0.1)}" y="${y}" width="${Math.round(width * 0.8)}" height="${Math.max(1, Math.round(height / 400))}" fill="#000"/>`;
  }).join('');
  const svg = `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}">
<rect width="100%" height="100%" fill="#fff"/>
<rect x="0" y="0" width="${width}" height="${Math.round(height * 0.04)}" fill="#c0392b"/>
<text x="${Math.round(width * 0.1)}" y="${Math.round(height * 0.2)}" font-family="DejaVu Sans" font-size="${font}" fill="#000">ESCL PAGE ${pageNumber}</text>
<text x="${Math.round(width * 0.1)}" y="${Math.round(height * 0.28)}" font-family="DejaVu Sans" font-size="${Math.round(font * 0.6)}" fill="#1a5276">${side}</text>
${rules}</svg>`;
  let image = sharp(Buffer.from(svg), { density: 72 }).flatten({ background: '#ffffff' });
  if (job.colorMode === 'RGB24') image = image.toColourspace('srgb');
  else image = image.toColourspace('b-w');
  if (job.colorMode === 'BlackAndWhite1') image = image.threshold(128);
  image = image.withDensity(job.xResolution);
  return job.format === 'image/jpeg'
    ? image.jpeg({ quality: 85 }).toBuffer()
    : image.png({ compressionLevel: 3 }).toBuffer();
}

function selfSignedCertificate(): { key: Buffer; cert: Buffer } {
  const dir = mkdtempSync(join(tmpdir(), 'escl-sim-cert-'));
  try {
    const subject = ['-subj', '/CN=escl-simulator', '-addext', 'subjectAltName=IP:127.0.0.1'];
    const files = ['-keyout', 'key.pem', '-out', 'cert.pem'];
    execFileSync(
      'openssl',
      ['req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-days', '2', ...subject, ...files],
      {
        cwd: dir,
        stdio: 'ignore',
        timeout: 20_000,
      },
    );
    return { key: readFileSync(join(dir, 'key.pem')), cert: readFileSync(join(dir, 'cert.pem')) };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

export class EsclSimulator {
  readonly requests: SimulatedRequest[] = [];
  /** Settings documents received, as sent (for checks on what a client asked). */
  readonly scanSettings: string[] = [];
  private readonly jobs = new Map<string, Job>();
  private feeder: number;
  private jammed = false;
  private server: Server | null = null;
  private certificate: { key: Buffer; cert: Buffer } | null = null;
  /** Pages whose body is stalled: their responses, to end them at close. */
  private readonly stalled = new Set<ServerResponse>();
  private readonly delays = new Set<NodeJS.Timeout>();

  constructor(readonly options: EsclSimulatorOptions = {}) {
    this.feeder = options.sheets ?? 3;
  }

  /** The eSCL root, e.g. `http://127.0.0.1:40123/eSCL`. */
  get root(): string {
    return `${this.options.https ? 'https' : 'http'}://127.0.0.1:${this.port}/eSCL`;
  }

  get port(): number {
    const address = this.server?.address() as AddressInfo | null;
    if (!address) throw new Error('simulator not started');
    return address.port;
  }

  /** The PEM certificate the https simulator presents. */
  get certificatePem(): string | null {
    return this.certificate?.cert.toString('utf8') ?? null;
  }

  /** Puts sheets in the feeder (replacing what is there) and clears a jam. */
  loadFeeder(sheets: number): void {
    this.feeder = sheets;
    this.jammed = false;
  }

  async start(): Promise<this> {
    const handler = (req: IncomingMessage, res: ServerResponse) => {
      this.handle(req, res).catch((error) => {
        if (!res.headersSent) res.writeHead(500).end(String((error as Error).message));
        else res.destroy();
      });
    };
    if (this.options.https) {
      this.certificate = selfSignedCertificate();
      this.server = createHttpsServer(this.certificate, handler);
    } else {
      this.server = createHttpServer(handler);
    }
    const server = this.server;
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(0, '127.0.0.1', () => resolve());
    });
    return this;
  }

  async close(): Promise<void> {
    const server = this.server;
    if (!server) return;
    this.server = null;
    for (const timer of this.delays) clearTimeout(timer);
    this.delays.clear();
    for (const res of this.stalled) res.destroy();
    this.stalled.clear();
    server.closeAllConnections();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  }

  private reply(
    req: IncomingMessage,
    res: ServerResponse,
    status: number,
    headers = {},
    body?: string,
  ): void {
    this.requests.push({ method: req.method ?? '', path: req.url ?? '', status });
    res.writeHead(status, headers);
    res.end(body);
  }

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = new URL(req.url ?? '/', 'http://x');
    const path = url.pathname.replace(/\/+$/, '');
    const xml = { 'Content-Type': 'text/xml' };
    if (req.method === 'GET' && path === '/eSCL/ScannerCapabilities')
      return this.reply(req, res, 200, xml, this.capabilitiesXml());
    if (req.method === 'GET' && path === '/eSCL/ScannerStatus')
      return this.reply(req, res, 200, xml, this.statusXml());
    if (req.method === 'POST' && path === '/eSCL/ScanJobs') return this.createJob(req, res);
    const match = /^\/eSCL\/ScanJobs\/([\w-]+)(\/NextDocument)?$/.exec(path);
    const job = match ? this.jobs.get(match[1] as string) : undefined;
    if (!match || !job) return this.reply(req, res, 404);
    if (req.method === 'DELETE' && !match[2]) {
      if (job.state === 'Processing') job.state = 'Canceled';
      return this.reply(req, res, 200);
    }
    if (req.method === 'GET' && match[2]) return this.nextDocument(req, res, job);
    return this.reply(req, res, 405);
  }

  private async createJob(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    const body = Buffer.concat(chunks).toString('utf8');
    this.scanSettings.push(body);
    if (this.options.coverOpen || this.jammed) return this.reply(req, res, 503, { 'Retry-After': '1' });
    const source = xmlValue(body, 'InputSource') === 'Feeder' ? 'Feeder' : 'Platen';
    const colorMode = xmlValue(body, 'ColorMode') as Job['colorMode'];
    const format = (xmlValue(body, 'DocumentFormatExt') ?? xmlValue(body, 'DocumentFormat')) as Job['format'];
    const xResolution = Number(xmlValue(body, 'XResolution'));
    const yResolution = Number(xmlValue(body, 'YResolution') ?? xResolution);
    const duplex = xmlValue(body, 'Duplex') === 'true';
    if (
      !COLOR_MODES.includes(colorMode) ||
      !FORMATS.includes(format) ||
      !RESOLUTIONS.includes(xResolution) ||
      !RESOLUTIONS.includes(yResolution) ||
      (duplex && (source !== 'Feeder' || this.options.duplex === false))
    )
      return this.reply(req, res, 409);
    const width = Math.min(MAX_WIDTH, Number(xmlValue(body, 'Width') ?? MAX_WIDTH));
    const height = Math.min(MAX_HEIGHT, Number(xmlValue(body, 'Height') ?? MAX_HEIGHT));
    const id = randomUUID();
    this.jobs.set(id, {
      id,
      source,
      duplex,
      colorMode,
      format,
      xResolution,
      yResolution,
      width,
      height,
      delivered: 0,
      busyLeft: this.options.busyBeforeEachPage ?? 0,
      state: 'Processing',
    });
    // Relative to the server, as many devices send it; clients resolve it against the root.
    this.reply(req, res, 201, { Location: `/eSCL/ScanJobs/${id}` });
  }

  /** Whether the job has another page to give: the platen gives one, the feeder one per sheet side. */
  private hasNextPage(job: Job): boolean {
    if (job.source === 'Platen') return job.delivered === 0;
    // The front of a sheet takes it from the feeder; its back comes with it.
    if (job.duplex && job.delivered % 2 === 1) return true;
    return this.feeder > 0;
  }

  private async nextDocument(req: IncomingMessage, res: ServerResponse, job: Job): Promise<void> {
    if (job.state === 'Canceled') return this.reply(req, res, 410);
    if (job.state === 'Aborted' || this.jammed) return this.reply(req, res, 409);
    const pageNumber = job.delivered + 1;
    if (this.options.cancelAtPage === pageNumber) {
      job.state = 'Canceled';
      return this.reply(req, res, 410);
    }
    if (!this.hasNextPage(job)) {
      job.state = 'Completed';
      return this.reply(req, res, 404);
    }
    if (this.options.jamAtPage === pageNumber) {
      this.jammed = true;
      job.state = 'Aborted';
      return this.reply(req, res, 409);
    }
    if (job.busyLeft > 0) {
      job.busyLeft--;
      return this.reply(req, res, 503, { 'Retry-After': '1' });
    }
    if (this.options.pageDelayMs) {
      const delay = this.options.pageDelayMs;
      // A delay still running at close is dropped with its connection (the timer must not outlive the test).
      await new Promise<void>((resolve) => {
        const timer = setTimeout(() => {
          this.delays.delete(timer);
          resolve();
        }, delay);
        this.delays.add(timer);
      });
    }
    const image = await renderPage(job, pageNumber);
    if (job.source === 'Feeder' && !(job.duplex && job.delivered % 2 === 1)) this.feeder--;
    job.delivered++;
    job.busyLeft = this.options.busyBeforeEachPage ?? 0;
    if (!this.hasNextPage(job)) job.state = job.source === 'Platen' ? 'Completed' : job.state;
    this.requests.push({ method: req.method ?? '', path: req.url ?? '', status: 200 });
    res.writeHead(200, { 'Content-Type': job.format, 'Content-Length': image.length });
    if (this.options.stallAtPage === pageNumber) {
      // Headers and a third of the page, then nothing: the socket stays open until the client gives up.
      res.write(image.subarray(0, Math.floor(image.length / 3)));
      this.stalled.add(res);
      res.on('close', () => this.stalled.delete(res));
      return;
    }
    res.end(image);
  }

  private capabilitiesXml(): string {
    const adf = `<scan:Adf>${inputCaps('scan:AdfSimplexInputCaps')}${
      this.options.duplex === false ? '' : inputCaps('scan:AdfDuplexInputCaps')
    }<scan:FeederCapacity>50</scan:FeederCapacity><scan:AdfOptions><scan:AdfOption>DetectPaperLoaded</scan:AdfOption>${
      this.options.duplex === false ? '' : '<scan:AdfOption>Duplex</scan:AdfOption>'
    }</scan:AdfOptions></scan:Adf>`;
    return `<?xml version="1.0" encoding="UTF-8"?>
<scan:ScannerCapabilities ${NS}>
<pwg:Version>2.63</pwg:Version><pwg:MakeAndModel>${this.options.makeAndModel ?? 'MotCua eSCL Simulator'}</pwg:MakeAndModel>
<pwg:SerialNumber>SIM-0001</pwg:SerialNumber><scan:Manufacturer>MotCua</scan:Manufacturer>
<scan:UUID>4509a320-00a0-008f-00b6-00559a327d32</scan:UUID>
<scan:Platen>${inputCaps('scan:PlatenInputCaps')}</scan:Platen>${adf}
</scan:ScannerCapabilities>`;
  }

  private statusXml(): string {
    const busy = [...this.jobs.values()].some((j) => j.state === 'Processing');
    const adfState = this.options.coverOpen
      ? 'ScannerAdfHatchOpen'
      : this.jammed
        ? 'ScannerAdfJam'
        : this.feeder > 0
          ? 'ScannerAdfLoaded'
          : 'ScannerAdfEmpty';
    const jobs = [...this.jobs.values()]
      .map(
        (j) =>
          `<scan:JobInfo><pwg:JobUri>/eSCL/ScanJobs/${j.id}</pwg:JobUri><pwg:JobUuid>${j.id}</pwg:JobUuid><scan:Age>1</scan:Age><pwg:ImagesCompleted>${j.delivered}</pwg:ImagesCompleted><pwg:ImagesToTransfer>${this.hasNextPage(j) ? 1 : 0}</pwg:ImagesToTransfer><pwg:JobState>${j.state}</pwg:JobState><pwg:JobStateReasons><pwg:JobStateReason>${j.state === 'Processing' ? 'JobScanning' : 'JobCompletedSuccessfully'}</pwg:JobStateReason></pwg:JobStateReasons></scan:JobInfo>`,
      )
      .join('');
    return `<?xml version="1.0" encoding="UTF-8"?>
<scan:ScannerStatus ${NS}><pwg:Version>2.63</pwg:Version><pwg:State>${
      this.jammed || this.options.coverOpen ? 'Stopped' : busy ? 'Processing' : 'Idle'
    }</pwg:State><scan:AdfState>${adfState}</scan:AdfState><scan:Jobs>${jobs}</scan:Jobs></scan:ScannerStatus>`;
  }
}

/** Starts a simulator; close it in `afterEach`/`finally`. */
export function startEsclSimulator(options: EsclSimulatorOptions = {}): Promise<EsclSimulator> {
  return new EsclSimulator(options).start();
}
