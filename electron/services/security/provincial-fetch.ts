import { createHash, X509Certificate } from 'node:crypto';
import type { IncomingMessage } from 'node:http';
import { Agent as HttpsAgent, request as httpsRequest } from 'node:https';
import { Readable } from 'node:stream';
import { checkServerIdentity, type PeerCertificate, rootCertificates } from 'node:tls';

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

  const provincialFetch = (input: string | URL | Request, init: RequestInit = {}): Promise<Response> => {
    const url = new URL(input instanceof Request ? input.url : String(input));
    if (url.protocol !== 'https:')
      return Promise.reject(new TypeError('the provincial system is reached over https only'));
    const headers = new Headers(init.headers);
    // Throttled uploads arrive as a stream (the sync engine's bandwidth cap); everything else as bytes.
    const stream =
      init.body instanceof ReadableStream ? (init.body as ReadableStream<Uint8Array>) : undefined;
    const body = stream ? undefined : bodyBytes(init.body as BodyInit);
    if (body) headers.set('content-length', String(body.length));
    return new Promise<Response>((resolve, reject) => {
      const req = httpsRequest(
        url,
        {
          method: init.method ?? 'GET',
          headers: Object.fromEntries(headers),
          agent,
          signal: init.signal ?? undefined,
        },
        (res: IncomingMessage) => {
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
      req.on('error', (error: NodeJS.ErrnoException) => {
        const refused = classify(error);
        if (refused) options.onRefused?.(refused.code, refused.message);
        reject(refused ?? error);
      });
      if (stream) {
        Readable.fromWeb(stream as import('node:stream/web').ReadableStream<Uint8Array>)
          .on('error', (error) => req.destroy(error))
          .pipe(req);
      } else req.end(body);
    });
  };
  return provincialFetch as typeof fetch;
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
  const syncFetch = (input: string | URL | Request, init?: RequestInit): Promise<Response> => {
    const url = new URL(input instanceof Request ? input.url : String(input));
    if (url.protocol === 'https:') return secure(input, init);
    if (url.protocol === 'http:' && LOOPBACK_HOSTS.has(url.hostname)) return fetch(input, init);
    return Promise.reject(new TypeError(`plain ${url.protocol} to ${url.hostname} refused: use https`));
  };
  return syncFetch as typeof fetch;
}
