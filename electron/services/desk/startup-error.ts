import { vi } from '../../api/i18n';
import { ConfigError } from '../config/config';
import { dataKeyErrorMessage } from '../security/key-error-message';
import { DataKeyError } from '../store/data-key';
import { StoreOpenError } from '../store/open-error';
import { storageFailure } from '../store/storage-errors';

/**
 * The Vietnamese message for an error that stops the desk from opening its data (a data key that cannot be
 * used, a database too new, damaged or not upgradable, a full disk, a data dir it cannot write), or null for
 * any other error. The app, the web host and every CLI command show the same words.
 */
export function startupErrorMessage(error: unknown): string | null {
  if (error instanceof DataKeyError) return dataKeyErrorMessage(error);
  if (error instanceof StoreOpenError) return error.clerkMessage;
  if (error instanceof ConfigError) return error.clerkMessage;
  const failure = storageFailure(error);
  return failure ? vi.store.runtimeErrors[failure] : null;
}
