import { DeskError } from '../../api/errors';
import { format, vi } from '../../api/i18n';

export type QualityErrorReason = keyof typeof vi.quality.errors;

/** Bad report input (period, formula set, access). `clerkMessage` is Vietnamese; the message is English. */
export class QualityError extends DeskError {
  readonly clerkMessage: string;
  constructor(
    readonly reason: QualityErrorReason,
    detail: string,
    values: Record<string, string | number>,
  ) {
    super(reason === 'not-own-figures' ? 'forbidden' : 'invalid-input', detail);
    this.name = 'QualityError';
    this.clerkMessage = format(vi.quality.errors[reason], values);
  }
}
