import { format, vi } from './i18n';

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

/**
 * The one error family of the services: every capability's error extends it. `clerkMessage` is the Vietnamese
 * text the clerk reads (what happened, what to do); `message` is the English detail for logs, without personal
 * data; `deskCode` is the code the desk answers with. `services/errors.ts` maps any of them to a DeskError.
 */
export abstract class ClerkFacingError extends Error {
  abstract readonly clerkMessage: string;
  abstract readonly deskCode: DeskErrorCode;
}

/**
 * The desk's answer to a failed call: a code, an English detail for logs, and the clerk's message — the one
 * given, else the generic text for the code (i18n `errors`).
 */
export class DeskError extends ClerkFacingError {
  private readonly givenClerkMessage: string | undefined;

  constructor(
    readonly code: DeskErrorCode,
    detail: string,
    clerkMessage?: string,
  ) {
    super(detail);
    this.name = 'DeskError';
    this.givenClerkMessage = clerkMessage;
  }

  get deskCode(): DeskErrorCode {
    return this.code;
  }

  get clerkMessage(): string {
    return this.givenClerkMessage ?? format(vi.errors[this.code], { detail: this.message });
  }
}
