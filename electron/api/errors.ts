/** Error codes a call may answer with; each has a Vietnamese message in i18n `errors`. */
export const DESK_ERROR_CODES = [
  'invalid-input',
  'not-found',
  'unknown-call',
  'storage',
  'scanner',
  'forbidden',
  'conflict',
  'unavailable',
  'internal',
] as const;
export type DeskErrorCode = (typeof DESK_ERROR_CODES)[number];

/** Thrown by services; carries a code the clerk's message is looked up by, and an English detail for logs. */
export class DeskError extends Error {
  constructor(
    readonly code: DeskErrorCode,
    detail: string,
  ) {
    super(detail);
    this.name = 'DeskError';
  }
}
