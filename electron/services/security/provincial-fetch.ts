import { createHash, X509Certificate } from 'node:crypto';
import type { ClientRequest, IncomingMessage, RequestOptions } from 'node:http';
import { Agent as HttpAgent, request as httpRequest } from 'node:http';
import { Agent as HttpsAgent, request as httpsRequest } from 'node:https';
import type { Socket } from 'node:net';
import { Readable } from 'node:stream';
import { checkServerIdentity, type PeerCertificate, rootCertificates } from 'node:tls';

/** Defaults of the two short waits (config sync.connectTimeoutMs and sync.firstByteTimeoutMs). */
export const DEFAULT_CONNECT_TIMEOUT_MS = 5_000;
export const DEFAULT_FIRST_BYTE_TIMEOUT_MS = 10_000;

export interface ProvincialFetchOptions {
  /**
   * Base64 SHA-256 of a SubjectPublicKeyInfo (as `openssl … pkey -pubin -outform der | openssl dgst -sha256
   * -binary | base64` prints). When set, a certificate chain without one of these keys is refused even if a
   * trusted CA signed it. Pin the province's key and a backup key, so a renewal does not lock desks out.
   */
  pinnedSpkiSha256?: readonly string[];
  /** Extra trusted CA certificates (PEM), e.g. a province's private CA; the system CAs stay trusted. */
  ca?: string | readonly string[];
  /** Called with an English reason when a connection is refused for its certificate (for logs). */
  onRefused?: (reason: 'untrusted' | 'pin-mismatch', detail: string) => void;
  /** Longest wait for the TCP connection (and its TLS handshake); default 5 s. */
  connectTimeoutMs?: number;
  /**
   * Longest silence of the server once the request is sent: until its response headers, then between two
   * pieces of its body; default 10 s. A proxy that accepts the connection for a server that is down fails
   * the attempt after this, not after the whole transfer timeout.
   */
  firstByteTimeoutMs?: number;
}

/** A request's own longer first-byte wait (the last tus PATCH, while the server hashes the file). */
export interface ProvincialRequestInit extends RequestInit {
  firstByteTimeoutMs?: number;
}

export type ProvincialTimeoutCode = 'connect-timeout' | 'first-byte-timeout' | 'stalled';

/** The server did not connect, or went silent; reaches the caller as the `cause` of fetch's TypeError. */
export class ProvincialTimeoutError extends Error {
  override name = 'ProvincialTimeoutError';
  constructor(
    readonly code: ProvincialTimeoutCode,
    readonly ms: number,
  ) {
    super(`${code} after ${ms} ms`);
  }
}

/** A refused TLS peer: `code` is stable, `message` English. */
export class TlsPeerError extends Error {
  constructor(
    readonly code: 'untrusted' | 'pin-mismatch',
    message: string,
  ) {
    super(message);
    this.name = 'TlsPeerError';
  }
}

/** Base64 SHA-256 of the certificate's SubjectPublicKeyInfo (DER), the usual pin format. */
export function spkiSha256(cert: { raw: Buffer } | X509Certificate): string {
  // PeerCertificate.pubkey is not SPKI for every key type (EC gives the bare point): parse the DER instead.
  const x509 = cert instanceof X509Certificate ? cert : new X509Certificate(cert.raw);
  return createHash('sha256')
    .update(x509.publicKey.export({ type: 'spki', format: 'der' }))
    .digest('base64');
}

function chainSpkis(leaf: PeerCertificate): string[] {
  const out: string[] = [];
  const seen = new Set<string>();
  let cert: PeerCertificate | undefined = leaf;
  while (cert?.raw && !seen.has(cert.fingerprint256)) {
    seen.add(cert.fingerprint256);
    out.push(spkiSha256(cert));
    cert = (cert as PeerCertificate & { issuerCertificate?: PeerCertificate }).issuerCertificate;
  }
  return out;
}

type BodyInit = string | Uint8Array | ArrayBuffer | null | undefined;

function bodyBytes(body: unknown): Buffer | undefined {
  if (body === null || body === undefined) return undefined;
  if (typeof body === 'string') return Buffer.from(body, 'utf8');
  if (body instanceof ArrayBuffer) return Buffer.from(body);
  if (ArrayBuffer.isView(body)) return Buffer.from(body.buffer, body.byteOffset, body.byteLength);
  throw new TypeError('provincial fetch sends only string or byte bodies');
}

/**
 * A `fetch` for the provincial system over Node's https with certificate validation always on (CA chain and
 * host name) and optional SPKI pinning. Node's global fetch cannot take a pin without the undici package, so
 * this one speaks https directly; it does not follow redirects (the protocol has none; a redirect is suspicious).
 */
export function createProvincialFetch(options: ProvincialFetchOptions = {}): typeof fetch {
  const pins = new Set(options.pinnedSpkiSha256 ?? []);
  const extraCa = typeof options.ca === 'string' ? [options.ca] : options.ca ? [...options.ca] : undefined;
  const agent = new HttpsAgent({
    keepAlive: true,
    rejectUnauthorized: true,
    minVersion: 'TLSv1.2',
    // Giving `ca` replaces Node's default list: keep the system roots too.
    ...(extraCa ? { ca: [...rootCertificates, ...extraCa] } : {}),
    checkServerIdentity: (host, cert) => {
      const identity = checkServerIdentity(host, cert);
      if (identity) return identity;
      if (pins.size === 0) return undefined;
      const chain = chainSpkis(cert);
      if (chain.some((spki) => pins.has(spki))) return undefined;
      return new TlsPeerError('pin-mismatch', `no pinned key in the certificate chain of ${host}`);
    },
  });

  const send = nodeFetch(httpsRequest, agent, options);
  const provincialFetch = (
    input: string | URL | Request,
    init: ProvincialRequestInit = {},
  ): Promise<Response> => {
    const url = new URL(input instanceof Request ? input.url : String(input));
    if (url.protocol !== 'https:')
      return Promise.reject(new TypeError('the provincial system is reached over https only'));
    return send(url, init);
  };
  return provincialFetch as typeof fetch;
}

type RequestFn = (
  url: URL,
  options: RequestOptions,
  onResponse: (res: IncomingMessage) => void,
) => ClientRequest;

/**
 * `fetch` over Node's own http or https request, so the desk controls each wait: the connection (TCP and TLS)
 * within `connectTimeoutMs`, then no silence of the server longer than `firstByteTimeoutMs` (counted once the
 * request is sent, so a slow upload is not cut). The caller keeps its own overall (transfer) timeout.
 */
function nodeFetch(
  requestFn: RequestFn,
  agent: HttpAgent,
  options: ProvincialFetchOptions,
): (url: URL, init: ProvincialRequestInit) => Promise<Response> {
  const connectMs = options.connectTimeoutMs ?? DEFAULT_CONNECT_TIMEOUT_MS;
  return (url, init) => {
    const silenceMs = init.firstByteTimeoutMs ?? options.firstByteTimeoutMs ?? DEFAULT_FIRST_BYTE_TIMEOUT_MS;
    const headers = new Headers(init.headers);
    // Throttled uploads arrive as a stream (the sync engine's bandwidth cap); everything else as bytes.
    const stream =
      init.body instanceof ReadableStream ? (init.body as ReadableStream<Uint8Array>) : undefined;
    const body = stream ? undefined : bodyBytes(init.body as BodyInit);
    if (body) headers.set('content-length', String(body.length));
    return new Promise<Response>((resolve, reject) => {
      const req = requestFn(
        url,
        {
          method: init.method ?? 'GET',
          headers: Object.fromEntries(headers),
          agent,
          signal: init.signal ?? undefined,
        },
        (res: IncomingMessage) => {
          waits.heard(res);
          const status = res.statusCode ?? 0;
          if (status >= 300 && status < 400 && init.redirect === 'error') {
            res.resume();
            reject(new TypeError(`redirect refused (${status})`));
            return;
          }
          const responseHeaders = new Headers();
          for (const [name, value] of Object.entries(res.headers)) {
            if (Array.isArray(value)) for (const v of value) responseHeaders.append(name, v);
            else if (typeof value === 'string') responseHeaders.set(name, value);
          }
          const nullBody = status === 204 || status === 304 || init.method === 'HEAD';
          if (nullBody) res.resume();
          resolve(
            new Response(nullBody ? null : (Readable.toWeb(res) as ReadableStream<Uint8Array>), {
              status,
              statusText: res.statusMessage,
              headers: responseHeaders,
            }),
          );
        },
      );
      const waits = watchWaits(req, connectMs, silenceMs);
      req.on('error', (error: NodeJS.ErrnoException) => {
        const refused = classify(error);
        if (refused) options.onRefused?.(refused.code, refused.message);
        // As Node's fetch does: a TypeError whose cause says what happened (ECONNREFUSED, connect-timeout…).
        reject(refused ?? (isAbortError(error) ? error : new TypeError('fetch failed', { cause: error })));
      });
      if (stream) {
        Readable.fromWeb(stream as import('node:stream/web').ReadableStream<Uint8Array>)
          .on('error', (error) => req.destroy(error))
          .pipe(req);
      } else req.end(body);
    });
  };
}

function isAbortError(error: Error): boolean {
  return error.name === 'AbortError';
}

/**
 * The connect and silence timers of one request. A reused keep-alive socket is already connected; a new one
 * must finish TCP (and TLS) within `connectMs`. Once the request is sent, each silence of the server (until
 * its headers, then between body pieces) may last `silenceMs`. All timers end with the request.
 */
function watchWaits(req: ClientRequest, connectMs: number, silenceMs: number) {
  let connectTimer: NodeJS.Timeout | undefined;
  let silenceTimer: NodeJS.Timeout | undefined;
  let answered = false;
  let done = false;
  const fail = (code: ProvincialTimeoutCode, ms: number) => req.destroy(new ProvincialTimeoutError(code, ms));
  const armSilence = () => {
    // A request sent after its answer ended (an early 4xx) must not arm a timer on a socket now reused.
    if (done) return;
    clearTimeout(silenceTimer);
    silenceTimer = setTimeout(() => fail(answered ? 'stalled' : 'first-byte-timeout', silenceMs), silenceMs);
  };
  const clear = () => {
    done = true;
    clearTimeout(connectTimer);
    clearTimeout(silenceTimer);
  };
  req.once('socket', (socket: Socket) => {
    if (!socket.connecting) return;
    connectTimer = setTimeout(() => fail('connect-timeout', connectMs), connectMs);
    // For https the handshake is part of connecting: a TLS peer that never answers is as dead as no peer.
    const connected = 'encrypted' in socket ? 'secureConnect' : 'connect';
    socket.once(connected, () => clearTimeout(connectTimer));
  });
  req.once('finish', armSilence);
  req.once('close', clear);
  return {
    /** Headers arrived: from now on, silence is counted between body pieces until the body ends. */
    heard(res: IncomingMessage) {
      answered = true;
      armSilence();
      res.on('data', armSilence);
      res.once('end', clear);
      res.once('close', clear);
    },
  };
}

const UNTRUSTED_CODES = new Set([
  'SELF_SIGNED_CERT_IN_CHAIN',
  'DEPTH_ZERO_SELF_SIGNED_CERT',
  'UNABLE_TO_VERIFY_LEAF_SIGNATURE',
  'UNABLE_TO_GET_ISSUER_CERT_LOCALLY',
  'CERT_HAS_EXPIRED',
  'CERT_NOT_YET_VALID',
  'ERR_TLS_CERT_ALTNAME_INVALID',
  'CERT_UNTRUSTED',
  'CERT_REVOKED',
]);

function classify(error: NodeJS.ErrnoException): TlsPeerError | undefined {
  if (error instanceof TlsPeerError) return error;
  if (error.code && UNTRUSTED_CODES.has(error.code))
    return new TlsPeerError('untrusted', `certificate refused: ${error.code}`);
  return undefined;
}

const LOOPBACK_HOSTS = new Set(['localhost', '127.0.0.1', '[::1]', '::1']);

/**
 * The fetch the sync engine uses: https through `createProvincialFetch` (validated, optionally pinned); plain
 * http only to this machine (the reference server of a demo or a test), never across a network.
 */
export function createSyncFetch(options: ProvincialFetchOptions = {}): typeof fetch {
  const secure = createProvincialFetch(options);
  // The same waits on plain http, so a local reference server (or a test's silent one) behaves as a province.
  const loopback = nodeFetch(httpRequest, new HttpAgent({ keepAlive: true }), options);
  const syncFetch = (input: string | URL | Request, init?: ProvincialRequestInit): Promise<Response> => {
    const url = new URL(input instanceof Request ? input.url : String(input));
    if (url.protocol === 'https:') return secure(input, init);
    if (url.protocol === 'http:' && LOOPBACK_HOSTS.has(url.hostname)) return loopback(url, init ?? {});
    return Promise.reject(new TypeError(`plain ${url.protocol} to ${url.hostname} refused: use https`));
  };
  return syncFetch as typeof fetch;
}
