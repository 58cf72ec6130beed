import { createHash, randomUUID } from 'node:crypto';
import {
  closeSync,
  existsSync,
  fsyncSync,
  mkdirSync,
  openSync,
  renameSync,
  rmSync,
  writeSync,
} from 'node:fs';
import { dirname, join } from 'node:path';

function fsyncDirectory(dir: string): void {
  // Windows cannot open a directory for fsync; NTFS journals the rename itself.
  if (process.platform === 'win32') return;
  const fd = openSync(dir, 'r');
  try {
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
}

/**
 * Write-temp + fsync + rename + fsync(dir): after this returns, the file survives a power cut with either
 * the old or the new content, never a torn mix.
 */
export function writeFileAtomic(path: string, data: string | Uint8Array): void {
  const dir = dirname(path);
  mkdirSync(dir, { recursive: true });
  const temp = join(dir, `.${randomUUID()}.tmp`);
  const fd = openSync(temp, 'wx', 0o600);
  try {
    const bytes = typeof data === 'string' ? Buffer.from(data, 'utf8') : data;
    let offset = 0;
    while (offset < bytes.length) offset += writeSync(fd, bytes, offset, bytes.length - offset);
    fsyncSync(fd);
  } catch (error) {
    closeSync(fd);
    rmSync(temp, { force: true });
    throw error;
  }
  closeSync(fd);
  renameSync(temp, path);
  fsyncDirectory(dir);
}

export function sha256Hex(data: Uint8Array | string): string {
  return createHash('sha256').update(data).digest('hex');
}

/** Content-addressed blob store: `<root>/ab/abcdef…<ext>`; writing the same bytes twice is a no-op. */
export class BlobStore {
  constructor(readonly root: string) {}

  pathFor(sha256: string, extension = ''): string {
    if (!/^[0-9a-f]{64}$/.test(sha256)) throw new Error('invalid sha256');
    return join(this.root, sha256.slice(0, 2), `${sha256}${extension}`);
  }

  /** Durably stores the bytes and returns their hash and path. */
  put(data: Uint8Array, extension = ''): { sha256: string; path: string; bytes: number } {
    const sha256 = sha256Hex(data);
    const path = this.pathFor(sha256, extension);
    // A present file is complete: it only ever appears through an atomic rename.
    if (!existsSync(path)) writeFileAtomic(path, data);
    return { sha256, path, bytes: data.byteLength };
  }
}
