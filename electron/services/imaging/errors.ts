import { DeskError } from '../../api/errors';
import { format, vi } from '../../api/i18n';

export type ImagingMessageKey = keyof typeof vi.imaging;

/**
 * A file or page the imaging service cannot use. `message` is the English detail for logs; `clerkMessage`
 * is the Vietnamese sentence the desk shows (from the `imaging` section of vi.ts).
 */
export class ImagingError extends DeskError {
  constructor(
    readonly messageKey: ImagingMessageKey,
    detail: string,
    params: Record<string, string | number> = {},
  ) {
    super('invalid-input', detail, format(vi.imaging[messageKey], params));
    this.name = 'ImagingError';
  }
}
