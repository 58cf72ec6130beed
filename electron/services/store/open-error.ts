import { format, vi } from '../../api/i18n';
import { MigrationFailedError, SchemaTooNewError } from './migrate';
import { storageFailure } from './storage-errors';

export type StoreOpenErrorCode = keyof typeof vi.store.openErrors;

/**
 * The desk's data could not be opened: `code` picks the IT officer's Vietnamese message (what happened, what
 * to do), the English message is for logs. Nothing was changed on disk by the failed attempt.
 */
export class StoreOpenError extends Error {
  override name = 'StoreOpenError';
  constructor(
    readonly code: StoreOpenErrorCode,
    message: string,
    readonly params: Record<string, string | number> = {},
    options?: { cause: unknown },
  ) {
    super(message, options);
  }

  get clerkMessage(): string {
    return format(vi.store.openErrors[this.code], this.params);
  }
}

const UNWRITABLE = new Set(['EACCES', 'EPERM', 'EROFS', 'ENOTDIR', 'EEXIST']);

/**
 * What an error thrown while opening the store means for the person at the desk, or null for one that is
 * not about opening it (a data-key error has its own messages). `where` names the data dir and database file.
 */
export function toStoreOpenError(
  error: unknown,
  where: { dataDir: string; databaseFile: string },
): StoreOpenError | null {
  if (error instanceof StoreOpenError) return error;
  const message = (error as Error).message ?? String(error);
  if (error instanceof SchemaTooNewError)
    return new StoreOpenError(
      'schema-too-new',
      message,
      { found: error.found, known: error.known },
      { cause: error },
    );
  const code = (error as { code?: string }).code ?? '';
  const cause = error instanceof MigrationFailedError ? (error.cause as { code?: string }) : null;
  const failure = storageFailure(cause ?? error);
  if (failure === 'disk-full') return new StoreOpenError('disk-full', message, {}, { cause: error });
  if (error instanceof MigrationFailedError)
    return new StoreOpenError(
      'migration-failed',
      message,
      { version: error.version, name: error.migrationName },
      { cause: error },
    );
  if (failure === 'damaged')
    return new StoreOpenError('database-damaged', message, { file: where.databaseFile }, { cause: error });
  if (failure === 'io-error')
    return new StoreOpenError('io-error', message, { file: where.databaseFile }, { cause: error });
  if (failure === 'locked') return new StoreOpenError('database-locked', message, {}, { cause: error });
  if (UNWRITABLE.has(code) || code === 'SQLITE_CANTOPEN' || code === 'SQLITE_READONLY')
    return new StoreOpenError('data-dir-unwritable', message, { dir: where.dataDir }, { cause: error });
  return null;
}
