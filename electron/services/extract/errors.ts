import { ClerkFacingError, type DeskErrorCode } from '../../api/errors';
import { format, vi } from '../../api/i18n';

/**
 * Why a CCCD payload or a card image was refused; each has a Vietnamese message in vi.extract.errors (the
 * address codes in vi.applicantInput.cardErrors).
 */
export const EXTRACT_ERROR_CODES = [
  'empty',
  'too-long',
  'garbled',
  'field-count',
  'id-number',
  'old-id-number',
  'name-empty',
  'name-invalid',
  'address-empty',
  'address-invalid',
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

const MESSAGES: Record<ExtractErrorCode, string> = { ...vi.extract.errors, ...vi.applicantInput.cardErrors };

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
    /** A more precise Vietnamese message than the code's default (which character class was refused). */
    clerkMessage?: string,
  ) {
    super(detail);
    this.clerkMessage = clerkMessage ?? format(MESSAGES[code], params);
  }

  /** A refused card or form: the clerk's input, never a fault of the desk. */
  get deskCode(): DeskErrorCode {
    return 'invalid-input';
  }
}
