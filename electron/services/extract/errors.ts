import { ClerkFacingError, type DeskErrorCode } from '../../api/errors';
import { format, vi } from '../../api/i18n';

/** Why a CCCD payload or a card image was refused; each has a Vietnamese message in vi.extract.errors. */
export const EXTRACT_ERROR_CODES = [
  'empty',
  'too-long',
  'garbled',
  'field-count',
  'id-number',
  'old-id-number',
  'name-empty',
  'name-invalid',
  'dob-format',
  'dob-invalid',
  'dob-future',
  'dob-after-issue',
  'sex',
  'issue-date-format',
  'issue-date-invalid',
  'issue-date-future',
  'image-unreadable',
  'image-unsupported',
  'qr-not-found',
  'qr-not-text',
] as const;
export type ExtractErrorCode = (typeof EXTRACT_ERROR_CODES)[number];

/**
 * A refusal of the citizen's data. `message` is an English detail for logs and must never carry personal
 * data (only field names, lengths, counts); `clerkMessage` is the Vietnamese text for the desk.
 */
export class ExtractError extends ClerkFacingError {
  override name = 'ExtractError';
  readonly clerkMessage: string;

  constructor(
    readonly code: ExtractErrorCode,
    detail: string,
    params: Record<string, string | number> = {},
  ) {
    super(detail);
    this.clerkMessage = format(vi.extract.errors[code], params);
  }

  /** A refused card or form: the clerk's input, never a fault of the desk. */
  get deskCode(): DeskErrorCode {
    return 'invalid-input';
  }
}
