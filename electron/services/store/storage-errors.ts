import { statfsSync } from 'node:fs';

/**
 * What a failed read or write of the desk's data means for the person at the desk. SQLite's result codes and the
 * file system's errno fall into five classes, each with its own Vietnamese message (`vi.store.runtimeErrors`):
 * what happened, what still works, what to do.
 */
export type StorageFailure = 'disk-full' | 'io-error' | 'damaged' | 'locked' | 'read-only';

const BY_CODE: Record<string, StorageFailure> = {
  SQLITE_FULL: 'disk-full',
  // SQLite cannot grow the WAL index (-shm) when the disk has no byte left.
  SQLITE_IOERR_SHMSIZE: 'disk-full',
  SQLITE_CORRUPT: 'damaged',
  SQLITE_CORRUPT_INDEX: 'damaged',
  SQLITE_CORRUPT_SEQUENCE: 'damaged',
  SQLITE_CORRUPT_VTAB: 'damaged',
  SQLITE_NOTADB: 'damaged',
  SQLITE_BUSY: 'locked',
  SQLITE_BUSY_SNAPSHOT: 'locked',
  SQLITE_BUSY_TIMEOUT: 'locked',
  SQLITE_LOCKED: 'locked',
  SQLITE_READONLY: 'read-only',
  SQLITE_CANTOPEN: 'read-only',
  SQLITE_PERM: 'read-only',
  ENOSPC: 'disk-full',
  EDQUOT: 'disk-full',
  EIO: 'io-error',
  EROFS: 'read-only',
  EACCES: 'read-only',
  EPERM: 'read-only',
};

export function storageFailure(error: unknown): StorageFailure | null {
  const code = (error as { code?: unknown } | null)?.code;
  if (typeof code !== 'string') return null;
  const known = BY_CODE[code];
  if (known) return known;
  if (code.startsWith('SQLITE_READONLY')) return 'read-only';
  if (code.startsWith('SQLITE_CORRUPT')) return 'damaged';
  if (code.startsWith('SQLITE_IOERR')) return 'io-error';
  return null;
}

/** Bytes the current user may still write on the volume holding `dir`; null where the OS cannot tell. */
export function freeBytes(dir: string): number | null {
  try {
    const stats = statfsSync(dir);
    return Number(stats.bavail) * Number(stats.bsize);
  } catch {
    return null;
  }
}
