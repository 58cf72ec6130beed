import { DeskError, type DeskErrorCode } from '../../api/errors';
import { format, vi } from '../../api/i18n';

export type QualityErrorReason = keyof typeof vi.quality.errors;

const DESK_CODES: Partial<Record<QualityErrorReason, DeskErrorCode>> = {
  'not-own-figures': 'forbidden',
  'dossier-not-found': 'not-found',
  'already-rated': 'conflict',
  'already-returned': 'conflict',
  'not-received': 'conflict',
};

/** Bad report input (period, formula set, access). `clerkMessage` is Vietnamese; the message is English. */
export class QualityError extends DeskError {
  constructor(
    readonly reason: QualityErrorReason,
    detail: string,
    values: Record<string, string | number>,
  ) {
    super(DESK_CODES[reason] ?? 'invalid-input', detail, format(vi.quality.errors[reason], values));
    this.name = 'QualityError';
  }
}
