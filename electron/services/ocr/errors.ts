import { DeskError } from '../../api/errors';
import { format, vi } from '../../api/i18n';

export type OcrErrorCode = keyof typeof vi.ocr.errors;

/**
 * An OCR failure. `message` is the English detail for logs (no personal data); `clerkMessage` is the
 * Vietnamese sentence for the desk. `retryable` says whether another attempt may succeed (a crashed or
 * stuck worker) or is pointless (a missing or corrupt page image).
 */
export class OcrError extends DeskError {
  constructor(
    readonly ocrCode: OcrErrorCode,
    detail: string,
    readonly params: Record<string, string | number> = {},
    readonly retryable = false,
  ) {
    super(retryable ? 'internal' : 'invalid-input', detail, format(vi.ocr.errors[ocrCode], params));
    this.name = 'OcrError';
  }
}

/** The Vietnamese message for a stored error code, or the generic one when the code is unknown. */
export function ocrClerkMessage(code: string | null, params: Record<string, string | number>): string {
  if (code && code in vi.ocr.errors) return format(vi.ocr.errors[code as OcrErrorCode], params);
  return vi.errors.internal;
}
