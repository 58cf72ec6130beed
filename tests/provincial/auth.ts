/** Request authentication: HMAC-signed device requests (see PROTOCOL.md) and the admin bearer token. */
import { createHash, timingSafeEqual } from 'node:crypto';
import type { IncomingHttpHeaders } from 'node:http';
import {
  AUTH_HEADERS,
  canonicalRequest,
  computeSignature,
  LIMITS,
  NONCE_PATTERN,
  UNSIGNED_PAYLOAD,
} from '../../electron/services/sync/protocol';
import { type Db, type DeviceRow, getDevice } from './db';
import { ApiError } from './http-io';

function header(headers: IncomingHttpHeaders, name: string, maxChars: number): string | null {
  const value = headers[name];
  if (typeof value !== 'string' || value.length === 0 || value.length > maxChars) return null;
  return value;
}

/** Constant-time equality of two secrets of any length: compare their digests. */
export function secretsEqual(a: string, b: string): boolean {
  const da = createHash('sha256').update(a, 'utf8').digest();
  const db = createHash('sha256').update(b, 'utf8').digest();
  return timingSafeEqual(da, db);
}

export function requireAdmin(headers: IncomingHttpHeaders, adminToken: string): void {
  const value = header(headers, 'authorization', 512);
  const token = value?.startsWith('Bearer ') ? value.slice(7) : '';
  if (!secretsEqual(token, adminToken)) {
    throw new ApiError(401, 'auth-missing', 'admin endpoints need Authorization: Bearer <admin token>');
  }
}

export interface AuthInput {
  method: string;
  /** Raw request target (path + query) as received. */
  target: string;
  headers: IncomingHttpHeaders;
  /** SHA-256 of the body read by the server; null when the body is streamed (tus PATCH). */
  bodySha256: string | null;
  now: Date;
}

let checksSincePrune = 0;

/**
 * Returns the device that signed the request, or throws 401/403. The signature is checked before anything
 * that would tell an outsider something (stale clock, replay, revocation).
 */
export function authenticateDevice(db: Db, input: AuthInput): DeviceRow {
  const { headers } = input;
  const deviceId = header(headers, AUTH_HEADERS.device, 64);
  const timestamp = header(headers, AUTH_HEADERS.timestamp, 16);
  const nonce = header(headers, AUTH_HEADERS.nonce, 64);
  const contentSha256 = header(headers, AUTH_HEADERS.contentSha256, 64);
  const signature = header(headers, AUTH_HEADERS.signature, 64);
  if (!deviceId || !timestamp || !nonce || !contentSha256 || !signature) {
    throw new ApiError(
      401,
      'auth-missing',
      'request is not signed (x-motcua-* headers missing or malformed)',
    );
  }
  if (!/^\d{1,12}$/.test(timestamp) || !NONCE_PATTERN.test(nonce) || !/^[0-9a-f]{64}$/.test(signature)) {
    throw new ApiError(401, 'auth-missing', 'malformed timestamp, nonce or signature header');
  }
  const device = getDevice(db, deviceId);
  if (!device) throw new ApiError(401, 'auth-unknown-device', 'unknown device');

  if (input.bodySha256 === null) {
    // Streamed upload bytes are checked by the file's SHA-256 at completion, not per request.
    if (contentSha256 !== UNSIGNED_PAYLOAD) {
      throw new ApiError(401, 'auth-body-mismatch', 'a tus PATCH must be signed with UNSIGNED-PAYLOAD');
    }
  } else if (contentSha256 !== input.bodySha256) {
    throw new ApiError(401, 'auth-body-mismatch', 'body does not match its signed SHA-256');
  }

  const tusHeader = (name: string) => {
    const v = headers[name];
    return typeof v === 'string' ? v : '';
  };
  const canonical = canonicalRequest({
    method: input.method,
    target: input.target,
    timestamp,
    nonce,
    contentSha256,
    uploadLength: tusHeader('upload-length'),
    uploadOffset: tusHeader('upload-offset'),
    uploadMetadata: tusHeader('upload-metadata'),
  });
  const expected = Buffer.from(computeSignature(device.secret, canonical), 'hex');
  const given = Buffer.from(signature, 'hex');
  if (given.length !== expected.length || !timingSafeEqual(given, expected)) {
    throw new ApiError(401, 'auth-bad-signature', 'signature does not match');
  }

  const nowSeconds = Math.floor(input.now.getTime() / 1000);
  const ts = Number(timestamp);
  if (Math.abs(nowSeconds - ts) > LIMITS.clockSkewSeconds) {
    throw new ApiError(
      401,
      'auth-stale-timestamp',
      `timestamp differs from server clock by more than ${LIMITS.clockSkewSeconds} s`,
      {
        serverTime: nowSeconds,
      },
    );
  }

  // A nonce must be kept only while its timestamp is still acceptable; after that the clock check refuses it.
  if (++checksSincePrune >= 500) {
    checksSincePrune = 0;
    db.prepare('DELETE FROM nonces WHERE expires_at < ?').run(nowSeconds);
  }
  const inserted = db
    .prepare('INSERT OR IGNORE INTO nonces (device_id, nonce, expires_at) VALUES (?, ?, ?)')
    .run(device.id, nonce, ts + LIMITS.clockSkewSeconds + 1);
  if (inserted.changes === 0) throw new ApiError(401, 'auth-replayed-nonce', 'nonce already used');

  if (device.revoked_at) {
    throw new ApiError(403, 'device-revoked', 'this device has been revoked; enrol again with a new code', {
      revokedAt: device.revoked_at,
    });
  }
  return device;
}
