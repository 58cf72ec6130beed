import { DeskError } from '../../api/errors';
import { format, vi } from '../../api/i18n';

export type UpdateErrorCode =
  | 'feed-unreachable'
  | 'feed-invalid'
  | 'checksum-mismatch'
  | 'signature-missing'
  | 'signature-invalid'
  | 'downgrade'
  | 'file-unreadable';

/** A refused or failed update step: the Vietnamese reason for IT, an English detail for the log. */
export class UpdateError extends DeskError {
  constructor(
    readonly reason: UpdateErrorCode,
    detail: string,
    params: Record<string, string | number> = {},
  ) {
    super(
      reason === 'feed-unreachable' ? 'unavailable' : 'invalid-input',
      detail,
      format(vi.update.errors[reason], params),
    );
    this.name = 'UpdateError';
  }
}
