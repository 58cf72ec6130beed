/**
 * One HTTP(S) exchange with a network scanner, bounded in time at every step: connecting, the first byte of
 * the answer, and each pause inside its body. A scanner that stops answering (powered off mid-page, Wi-Fi
 * gone, firmware stuck after the headers) fails the request with `EsclTimeout` instead of hanging the batch.
 *
 * https: devices carry self-signed certificates, so the chain is not checked; instead the certificate's
 * SHA-256 is pinned on first use (trust on first use, as SSH does) and a different one later is refused
 * before any request is written. The connection is ours (net/tls), then handed to node:http, so the check
 * happens between the handshake and the first byte of HTTP.
 */
import { request as httpRequest, type IncomingHttpHeaders } from 'node:http';
import { connect as netConnect, type Socket } from 'node:net';
import { type TLSSocket, connect as tlsConnect } from 'node:tls';
import { ScanError } from '../errors';

export interface EsclTimeouts {
  /** TCP (and TLS) connection set up. */
  connectMs: number;
  /** From the request written to the response's status line. */
  firstByteMs: number;
  /** Longest silence inside a response body. */
  idleMs: number;
}

/**
 * Why these bounds: on a commune LAN a scanner answers a connect in milliseconds, so 5 s means it is off or
 * unreachable. Devices that hold NextDocument until the sheet is scanned (instead of answering 503) take up
 * to ~30 s for a 600 dpi colour A4 page; NAPS2 allows 120 s for such "long" calls, we allow 60 s for the
 * first byte of a page and 15 s for anything else. Once a page flows, a pause of 20 s is not a slow device
 * but a stuck one (a LAN page at 100 Mbit/s takes well under a second).
 */
export const DEFAULT_TIMEOUTS: EsclTimeouts = { connectMs: 5_000, firstByteMs: 15_000, idleMs: 20_000 };
export const PAGE_FIRST_BYTE_MS = 60_000;

/** Largest answer accepted: an A4 page at 600 dpi in colour as PNG is ~100 MB; a document is far less. */
const MAX_BODY_BYTES = 256 * 1024 * 1024;

export class EsclTimeout extends Error {
  override name = 'EsclTimeout';
  constructor(
    readonly phase: 'connect' | 'first-byte' | 'body',
    ms: number,
  ) {
    super(`no answer from the scanner (${phase}) within ${ms} ms`);
  }
}

/** Where certificate pins live (the desk's settings table; memory in the CLI's `scanners`). */
export interface CertificatePins {
  get(origin: string): string | null;
  set(origin: string, sha256: string): void;
}

export function memoryPins(): CertificatePins {
  const pins = new Map<string, string>();
  return { get: (o) => pins.get(o) ?? null, set: (o, v) => void pins.set(o, v) };
}

export interface EsclRequest {
  method: 'GET' | 'POST' | 'DELETE';
  url: URL;
  body?: string;
  timeouts?: Partial<EsclTimeouts>;
  signal?: AbortSignal;
  pins?: CertificatePins;
  /** Called as body bytes arrive (page progress). */
  onData?: (bytesRead: number, totalBytes: number | null) => void;
}

export interface EsclResponse {
  status: number;
  headers: IncomingHttpHeaders;
  body: Buffer;
}

function aborted(): ScanError {
  return new ScanError('cancelled', 'request aborted');
}

function openSocket(url: URL, connectMs: number, pins: CertificatePins | undefined): Promise<Socket> {
  const port = Number(url.port) || (url.protocol === 'https:' ? 443 : 80);
  const host = url.hostname.replace(/^\[|\]$/g, '');
  return new Promise((resolve, reject) => {
    const secure = url.protocol === 'https:';
    const socket: Socket = secure
      ? tlsConnect({
          host,
          port,
          rejectUnauthorized: false,
          ...(/^[\d.:]+$/.test(host) ? {} : { servername: host }),
        })
      : netConnect({ host, port });
    const timer = setTimeout(() => {
      socket.destroy();
      reject(new EsclTimeout('connect', connectMs));
    }, connectMs);
    socket.once('error', (error) => {
      clearTimeout(timer);
      reject(error);
    });
    socket.once(secure ? 'secureConnect' : 'connect', () => {
      clearTimeout(timer);
      if (secure) {
        const fingerprint = (socket as TLSSocket).getPeerCertificate().fingerprint256;
        const origin = `${host}:${port}`;
        const pinned = pins?.get(origin);
        if (pinned && pinned !== fingerprint) {
          socket.destroy();
          reject(new ScanError('escl-certificate-changed', `certificate of ${origin} differs from its pin`));
          return;
        }
        if (!pinned && fingerprint) pins?.set(origin, fingerprint);
      }
      resolve(socket);
    });
  });
}

/** Sends one request and reads the whole answer, or fails within the bounds (never hangs). */
export async function esclRequest(options: EsclRequest): Promise<EsclResponse> {
  const timeouts = { ...DEFAULT_TIMEOUTS, ...options.timeouts };
  const { signal, url } = options;
  if (signal?.aborted) throw aborted();
  const socket = await openSocket(url, timeouts.connectMs, options.pins);
  return new Promise<EsclResponse>((resolve, reject) => {
    let timer: NodeJS.Timeout | undefined;
    let settled = false;
    const finish = (error: Error | null, response?: EsclResponse) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      signal?.removeEventListener('abort', onAbort);
      if (error) {
        socket.destroy();
        reject(error);
      } else resolve(response as EsclResponse);
    };
    const arm = (phase: EsclTimeout['phase'], ms: number) => {
      clearTimeout(timer);
      timer = setTimeout(() => finish(new EsclTimeout(phase, ms)), ms);
    };
    const onAbort = () => finish(aborted());
    signal?.addEventListener('abort', onAbort, { once: true });

    const body = options.body === undefined ? undefined : Buffer.from(options.body, 'utf8');
    const req = httpRequest({
      createConnection: () => socket,
      method: options.method,
      path: `${url.pathname}${url.search}`,
      // Some devices want the port in Host (Epson), the IP literal as given; sane-airscan does the same.
      headers: {
        Host: url.host,
        Connection: 'close',
        Accept: '*/*',
        ...(body ? { 'Content-Type': 'text/xml', 'Content-Length': body.length } : {}),
      },
    });
    req.once('error', (error) => finish(error));
    req.once('response', (res) => {
      const status = res.statusCode ?? 0;
      const declared = Number(res.headers['content-length']);
      const total = Number.isFinite(declared) && declared >= 0 ? declared : null;
      if (total !== null && total > MAX_BODY_BYTES) {
        finish(new ScanError('escl-protocol', `answer of ${total} bytes is too large`));
        return;
      }
      const chunks: Buffer[] = [];
      let received = 0;
      arm('body', timeouts.idleMs);
      res.on('data', (chunk: Buffer) => {
        received += chunk.length;
        if (received > MAX_BODY_BYTES) {
          finish(new ScanError('escl-protocol', `answer over ${MAX_BODY_BYTES} bytes`));
          return;
        }
        chunks.push(chunk);
        arm('body', timeouts.idleMs);
        options.onData?.(received, total);
      });
      res.once('aborted', () => finish(new ScanError('escl-not-answering', 'connection closed mid-answer')));
      res.once('error', (error) => finish(error));
      res.once('end', () => {
        if (total !== null && received < total)
          finish(new ScanError('escl-not-answering', `answer cut at ${received} of ${total} bytes`));
        else finish(null, { status, headers: res.headers, body: Buffer.concat(chunks) });
      });
    });
    arm('first-byte', timeouts.firstByteMs);
    req.end(body);
  });
}
