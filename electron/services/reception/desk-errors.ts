import { DeskError, type DeskErrorCode } from '../../api/errors';
import { AuditError } from '../audit/errors';
import { CalendarInputError } from '../calendar/errors';
import { CatalogError } from '../catalog/errors';
import { ClerkError, type ClerkErrorCode } from '../clerks/errors';
import { DossierCodeError } from '../dossier/dossier-code-errors';
import { FormError } from '../forms/errors';
import { ReceptionError } from './types';

const CLERK_CODES: Record<ClerkErrorCode, DeskErrorCode> = {
  'invalid-pin-format': 'invalid-input',
  'wrong-pin': 'invalid-input',
  'invalid-name': 'invalid-input',
  'locked-out': 'forbidden',
  'too-soon': 'forbidden',
  'not-signed-in': 'forbidden',
  'session-locked': 'forbidden',
  'admin-only': 'forbidden',
  'role-refused': 'forbidden',
  'unknown-clerk': 'not-found',
  'setup-done': 'conflict',
};

/**
 * Reception, clerk and building-block errors as DeskErrors carrying the clerk's Vietnamese message; the English
 * detail (no personal data) goes to the log. Anything else is left as it is.
 */
export function toDeskError(error: unknown): unknown {
  const withMessage = (code: DeskErrorCode, detail: string, clerkMessage: string) =>
    Object.assign(new DeskError(code, detail), { clerkMessage });
  if (error instanceof ClerkError)
    return withMessage(CLERK_CODES[error.code], error.message, error.clerkMessage);
  if (error instanceof ReceptionError) return withMessage(error.code, error.message, error.clerkMessage);
  // These building blocks are DeskErrors already, with the clerk's Vietnamese text as their message.
  if (
    error instanceof CatalogError ||
    error instanceof DossierCodeError ||
    error instanceof FormError ||
    error instanceof CalendarInputError ||
    error instanceof AuditError
  )
    return Object.assign(error, { clerkMessage: error.message });
  return error;
}

/** Runs a handler and translates its errors (sync throws and rejections alike). */
export async function translated<T>(work: () => T | Promise<T>): Promise<T> {
  try {
    return await work();
  } catch (error) {
    throw toDeskError(error);
  }
}
