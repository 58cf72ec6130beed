import { SaneStatus } from '../../../native/sane/types';
import { ClerkFacingError, type DeskErrorCode } from '../../api/errors';
import { format, vi } from '../../api/i18n';

/** Every scanner's codes: the common ones, and those only a network (eSCL) scanner has. */
const ERROR_MESSAGES = { ...vi.scan.errors, ...vi.escl.errors, ...vi.scanHost.errors };

export type ScanErrorCode = keyof typeof ERROR_MESSAGES;

/**
 * A scanning failure: `code` picks the clerk's Vietnamese message (what happened and what to do), `message`
 * is the English detail for logs. Carries no personal data.
 */
export class ScanError extends ClerkFacingError {
  override name = 'ScanError';
  /** The batch the failure interrupted, once the scan service knows it (its pages are kept). */
  batchId?: string;
  constructor(
    readonly code: ScanErrorCode,
    detail: string,
    /** The SANE status (or other driver status) behind it, for logs. */
    readonly deviceStatus?: string,
  ) {
    super(detail);
  }

  /** The clerk's message; `{detail}` is filled with the English detail only where the text asks for it. */
  get clerkMessage(): string {
    return scanErrorMessage(this.code, this.message);
  }

  get deskCode(): DeskErrorCode {
    return 'scanner';
  }
}

export function scanErrorMessage(code: ScanErrorCode, detail = ''): string {
  return format(ERROR_MESSAGES[code], { detail });
}

/** What a SANE status means for the clerk. */
export function scanErrorCodeForSaneStatus(status: number): ScanErrorCode {
  switch (status) {
    case SaneStatus.CANCELLED:
      return 'cancelled';
    case SaneStatus.DEVICE_BUSY:
      return 'busy';
    // INVAL from open or read: the device is gone or no longer answers as it did.
    case SaneStatus.INVAL:
      return 'disconnected';
    case SaneStatus.JAMMED:
      return 'jammed';
    case SaneStatus.NO_DOCS:
      return 'feeder-empty';
    case SaneStatus.COVER_OPEN:
      return 'cover-open';
    case SaneStatus.IO_ERROR:
      return 'io-error';
    case SaneStatus.NO_MEM:
      return 'out-of-memory';
    case SaneStatus.ACCESS_DENIED:
      return 'access-denied';
    default:
      return 'device-failed';
  }
}
