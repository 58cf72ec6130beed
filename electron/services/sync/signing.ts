/**
 * Request signing (HMAC-SHA256) of the desk ⇄ provincial protocol v1, shared by the desk's engine and the
 * reference server. Kept apart from the schemas so a security reviewer can read it alone; PROTOCOL.md
 * describes it. `protocol.ts` re-exports everything here.
 */
import { createHash, createHmac, randomBytes } from 'node:crypto';

export const PROTOCOL_VERSION = 'v1';

export const AUTH_HEADERS = {
  device: 'x-motcua-device',
  timestamp: 'x-motcua-timestamp',
  nonce: 'x-motcua-nonce',
  contentSha256: 'x-motcua-content-sha256',
  signature: 'x-motcua-signature',
} as const;

/** Body hash value for tus PATCH requests only: their bytes are verified by the file's SHA-256 at completion. */
export const UNSIGNED_PAYLOAD = 'UNSIGNED-PAYLOAD';
export const SIGNATURE_ALGORITHM = 'MOTCUA-HMAC-SHA256';

export const NONCE_PATTERN = /^[A-Za-z0-9_-]{16,64}$/;
export const SHA256_HEX = /^[0-9a-f]{64}$/;

export interface CanonicalRequestParts {
  method: string;
  /** Request target exactly as sent on the wire: path plus `?query` if any. */
  target: string;
  /** Unix time in whole seconds, as a decimal string. */
  timestamp: string;
  nonce: string;
  /** Lower-case hex SHA-256 of the body bytes (of the empty string when there is no body), or UNSIGNED-PAYLOAD. */
  contentSha256: string;
  /** tus headers are signed too, so a captured upload cannot be re-pointed or re-sized. Empty when absent. */
  uploadLength?: string;
  uploadOffset?: string;
  uploadMetadata?: string;
}

export function canonicalRequest(parts: CanonicalRequestParts): string {
  return [
    SIGNATURE_ALGORITHM,
    PROTOCOL_VERSION,
    parts.method.toUpperCase(),
    parts.target,
    parts.timestamp,
    parts.nonce,
    parts.contentSha256,
    parts.uploadLength ?? '',
    parts.uploadOffset ?? '',
    parts.uploadMetadata ?? '',
  ].join('\n');
}

/** The device secret is 32 random bytes, base64url; the HMAC key is those bytes. */
export function computeSignature(secret: string, canonical: string): string {
  return createHmac('sha256', Buffer.from(secret, 'base64url')).update(canonical, 'utf8').digest('hex');
}

export function sha256OfBody(body: Uint8Array | string | null | undefined): string {
  return createHash('sha256')
    .update(body ?? '')
    .digest('hex');
}

export function newNonce(): string {
  return randomBytes(18).toString('base64url');
}

export interface SignOptions {
  deviceId: string;
  secret: string;
  method: string;
  target: string;
  /** JSON text or bytes; `null` for no body. Ignored when `contentSha256` is given. */
  body?: Uint8Array | string | null;
  contentSha256?: string;
  uploadLength?: string;
  uploadOffset?: string;
  uploadMetadata?: string;
  /** Defaults to now. */
  now?: Date;
  nonce?: string;
}

/** The five headers that authenticate one request. Every request needs a fresh call (fresh nonce). */
export function signRequest(options: SignOptions): Record<string, string> {
  const timestamp = String(Math.floor((options.now ?? new Date()).getTime() / 1000));
  const nonce = options.nonce ?? newNonce();
  const contentSha256 = options.contentSha256 ?? sha256OfBody(options.body);
  const canonical = canonicalRequest({
    method: options.method,
    target: options.target,
    timestamp,
    nonce,
    contentSha256,
    uploadLength: options.uploadLength,
    uploadOffset: options.uploadOffset,
    uploadMetadata: options.uploadMetadata,
  });
  return {
    [AUTH_HEADERS.device]: options.deviceId,
    [AUTH_HEADERS.timestamp]: timestamp,
    [AUTH_HEADERS.nonce]: nonce,
    [AUTH_HEADERS.contentSha256]: contentSha256,
    [AUTH_HEADERS.signature]: computeSignature(options.secret, canonical),
  };
}
