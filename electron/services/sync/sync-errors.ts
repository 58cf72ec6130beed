import { ClerkFacingError, type DeskErrorCode } from '../../api/errors';
import { format, vi } from '../../api/i18n';

/**
 * What the engine does about a failure:
 * - retry: unknown whether it was applied (network, 5xx, 429, malformed answer) — back off and try again;
 * - park: this dossier needs a person (conflict, code taken, bad payload) — keep it, go on with the others;
 * - stop: nothing will work until someone acts (revoked, bad credentials, clock skew, not enrolled).
 */
export type SyncErrorAction = 'retry' | 'park' | 'stop';

export type SyncErrorCode = keyof typeof vi.sync.errors;
export type ParkCode = keyof typeof vi.sync.parked;

export class SyncError extends ClerkFacingError {
  override name = 'SyncError';
  constructor(
    readonly code: SyncErrorCode | ParkCode,
    readonly action: SyncErrorAction,
    /** Vietnamese, for the clerk. */
    readonly clerkMessage: string,
    /** English, for logs: no personal data. */
    readonly detail: string,
    /** HTTP status when the answer had one. */
    readonly status: number | null = null,
  ) {
    super(detail);
  }

  /** A refused code or a revoked desk is forbidden, a bad URL is bad input; anything else: the province is unavailable. */
  get deskCode(): DeskErrorCode {
    if (this.code === 'enrolment-code-invalid' || this.code === 'revoked') return 'forbidden';
    if (this.code === 'bad-server-url') return 'invalid-input';
    return 'unavailable';
  }
}

export function syncError(
  code: SyncErrorCode,
  action: SyncErrorAction,
  detail: string,
  params: Record<string, string | number> = {},
  status: number | null = null,
): SyncError {
  return new SyncError(code, action, format(vi.sync.errors[code], { detail, ...params }), detail, status);
}

export function parkError(
  code: ParkCode,
  detail: string,
  params: Record<string, string | number>,
  status: number | null = null,
): SyncError {
  return new SyncError(code, 'park', format(vi.sync.parked[code], params), detail, status);
}
