/**
 * The one place a service error becomes the desk's answer. Every capability's error is a ClerkFacingError
 * (electron/api/errors.ts): the clerk's Vietnamese text, the English detail, the desk code. The desk's call
 * gate, the reception handlers and any other front door (the CLI) map through here.
 */
import { ClerkFacingError, DeskError } from '../api/errors';
import { AuditError } from './audit/errors';

/** A DeskError carrying the clerk's message for any clerk-facing error; anything else (a bug) unchanged. */
export function toDeskError(error: unknown): unknown {
  // AuditError's message is the clerk's text already (audit/ predates the family).
  if (error instanceof AuditError) return new DeskError(error.code, error.detail, error.message);
  if (error instanceof DeskError) return error;
  if (error instanceof ClerkFacingError)
    return new DeskError(error.deskCode, error.message, error.clerkMessage);
  return error;
}

/** The clerk's Vietnamese message for an error, or null when it is not one the clerk can act on (a bug). */
export function clerkMessageOf(error: unknown): string | null {
  const mapped = toDeskError(error);
  return mapped instanceof DeskError ? mapped.clerkMessage : null;
}
