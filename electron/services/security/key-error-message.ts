import { format, vi } from '../../api/i18n';
import type { DataKeyError } from '../store/data-key';

/** The clerk's / IT officer's Vietnamese message for a key that cannot be used. */
export function dataKeyErrorMessage(error: DataKeyError): string {
  return format(vi.security.keyErrors[error.code], { file: error.file ?? '' });
}
