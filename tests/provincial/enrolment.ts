/** One-time enrolment codes → device id + secret, and the dossier-code range reserved for each desk. */
import { createHash, randomBytes, randomUUID } from 'node:crypto';
import {
  type CodeRangeChange,
  type EnrolRequest,
  type EnrolResponse,
  formatNationalDateTime,
  LIMITS,
} from '../../electron/services/sync/protocol';
import { appendChange } from './db';
import { ApiError } from './http-io';
import type { ServerState } from './state';

/** Desk slots 1..9 → sequences 1000-1999 … 9000-9999; 0001-0999 stay with the province's own counters. */
export const MAX_DESK_SLOT = 9;
const CODE_ALPHABET = 'ABCDEFGHJKLMNPQRSTUVWXYZ23456789'; // no 0/O/1/I: read aloud over the phone

const hashCode = (code: string) =>
  createHash('sha256').update(code.trim().toUpperCase(), 'utf8').digest('hex');

export function codeRangeFor(slot: number): { sequenceFrom: number; sequenceTo: number } {
  return { sequenceFrom: slot * 1000, sequenceTo: slot * 1000 + 999 };
}

export function generateEnrolCode(): string {
  const bytes = randomBytes(12);
  let code = '';
  for (const byte of bytes) code += CODE_ALPHABET[byte % CODE_ALPHABET.length];
  return `${code.slice(0, 4)}-${code.slice(4, 8)}-${code.slice(8, 12)}`;
}

export function issueEnrolCode(
  state: ServerState,
  options: { code?: string; agencyCode?: string; deskSlot?: number } = {},
): { code: string; MaCoQuan: string; deskSlot: number | null } {
  const code = options.code ?? generateEnrolCode();
  if (!/^[A-Za-z0-9-]{6,64}$/.test(code))
    throw new ApiError(400, 'bad-request', 'code must be 6-64 letters, digits or -');
  if (options.deskSlot !== undefined && (options.deskSlot < 1 || options.deskSlot > MAX_DESK_SLOT)) {
    throw new ApiError(400, 'bad-request', `deskSlot must be 1..${MAX_DESK_SLOT}`);
  }
  const agencyCode = options.agencyCode ?? state.agencyCode;
  const result = state.db
    .prepare(
      'INSERT OR IGNORE INTO enrol_codes (code_hash, agency_code, desk_slot, created_at) VALUES (?, ?, ?, ?)',
    )
    .run(hashCode(code), agencyCode, options.deskSlot ?? null, state.clock().toISOString());
  if (result.changes === 0) throw new ApiError(409, 'bad-request', 'this enrolment code already exists');
  return { code, MaCoQuan: agencyCode, deskSlot: options.deskSlot ?? null };
}

export function enrolDevice(state: ServerState, request: EnrolRequest): EnrolResponse {
  const { db } = state;
  return db.transaction((): EnrolResponse => {
    const row = db.prepare('SELECT * FROM enrol_codes WHERE code_hash = ?').get(hashCode(request.code)) as
      | { code_hash: string; agency_code: string; desk_slot: number | null; used_at: string | null }
      | undefined;
    // Unknown and already-used codes get the same answer: nothing to learn by guessing.
    if (!row || row.used_at) {
      throw new ApiError(403, 'enrolment-code-invalid', 'enrolment code is unknown or already used');
    }
    const taken = new Set(
      (
        db
          .prepare('SELECT desk_slot FROM devices WHERE agency_code = ? AND revoked_at IS NULL')
          .all(row.agency_code) as {
          desk_slot: number;
        }[]
      ).map((d) => d.desk_slot),
    );
    let slot = row.desk_slot;
    if (slot === null) {
      slot = 1;
      while (taken.has(slot)) slot++;
    }
    if (slot > MAX_DESK_SLOT) throw new ApiError(409, 'bad-request', 'the agency has no free desk slot');

    const now = state.clock();
    const deviceId = randomUUID();
    const secret = randomBytes(32).toString('base64url');
    db.prepare(
      `INSERT INTO devices (id, secret, desk_name, agency_code, desk_slot, enrolled_at) VALUES (?, ?, ?, ?, ?, ?)`,
    ).run(deviceId, secret, request.deskName, row.agency_code, slot, now.toISOString());
    db.prepare('UPDATE enrol_codes SET used_at = ?, device_id = ? WHERE code_hash = ?').run(
      now.toISOString(),
      deviceId,
      row.code_hash,
    );
    const national = formatNationalDateTime(now);
    const range: CodeRangeChange = {
      MaCoQuan: row.agency_code,
      deviceId,
      ...codeRangeFor(slot),
      validFrom: `${national.slice(0, 4)}-${national.slice(4, 6)}-${national.slice(6, 8)}`,
      validTo: null,
    };
    appendChange(db, 'code-range', range, deviceId, now);
    state.logger.info('device.enrolled', { device: deviceId, slot });
    return {
      deviceId,
      secret,
      MaCoQuan: row.agency_code,
      deskSlot: slot,
      enrolledAt: now.toISOString(),
      clockSkewSeconds: LIMITS.clockSkewSeconds,
    };
  })();
}

export function revokeDevice(state: ServerState, deviceId: string): { deviceId: string; revokedAt: string } {
  const now = state.clock().toISOString();
  state.db.prepare('UPDATE devices SET revoked_at = COALESCE(revoked_at, ?) WHERE id = ?').run(now, deviceId);
  const row = state.db.prepare('SELECT revoked_at FROM devices WHERE id = ?').get(deviceId) as
    | { revoked_at: string }
    | undefined;
  if (!row) throw new ApiError(404, 'not-found', 'no such device');
  state.logger.info('device.revoked', { device: deviceId });
  return { deviceId, revokedAt: row.revoked_at };
}
