import { ClerkFacingError, type DeskErrorCode } from '../../api/errors';

/** A clerk or session problem: `clerkMessage` is Vietnamese for the clerk, `message` English for the log. */
export type ClerkErrorCode =
  | 'invalid-pin-format'
  | 'wrong-pin'
  | 'locked-out'
  | 'too-soon'
  | 'unknown-clerk'
  | 'setup-done'
  | 'not-signed-in'
  | 'session-locked'
  | 'admin-only'
  | 'role-refused'
  | 'invalid-name';

const DESK_CODES: Record<ClerkErrorCode, DeskErrorCode> = {
  'invalid-pin-format': 'invalid-input',
  'wrong-pin': 'invalid-input',
  'invalid-name': 'invalid-input',
  'locked-out': 'forbidden',
  'too-soon': 'forbidden',
  'role-refused': 'forbidden',
  'not-signed-in': 'forbidden',
  'session-locked': 'forbidden',
  'admin-only': 'forbidden',
  'unknown-clerk': 'not-found',
  'setup-done': 'conflict',
};

export class ClerkError extends ClerkFacingError {
  override name = 'ClerkError';
  constructor(
    readonly code: ClerkErrorCode,
    readonly clerkMessage: string,
    detail: string,
  ) {
    super(detail);
  }

  get deskCode(): DeskErrorCode {
    return DESK_CODES[this.code];
  }
}
