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

export class ClerkError extends Error {
  override name = 'ClerkError';
  constructor(
    readonly code: ClerkErrorCode,
    readonly clerkMessage: string,
    detail: string,
  ) {
    super(detail);
  }
}
