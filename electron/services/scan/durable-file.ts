import { randomUUID, webcrypto } from 'node:crypto';
import { mkdir, open, rename, rm } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import type { BlobStore } from '../store/files';

/**
 * Async twin of `BlobStore.put` for page-sized data: hashing (unless given) runs on the thread pool and the
 * write-temp + fsync + rename + fsync(dir) sequence is all async, so a scanning desk never stalls its
 * event loop on a 25 MB colour page. Same layout and guarantees as `BlobStore`.
 */
export async function putBlobDurably(
  blobs: BlobStore,
  data: Uint8Array,
  extension: string,
  /** The bytes' SHA-256 when a worker already computed it. */
  knownSha256?: string,
): Promise<{ sha256: string; path: string; bytes: number }> {
  const sha256 = knownSha256 ?? Buffer.from(await webcrypto.subtle.digest('SHA-256', data)).toString('hex');
  const path = blobs.pathFor(sha256, extension);
  const dir = dirname(path);
  const created = await mkdir(dir, { recursive: true });
  // Always written, even when the file exists: real scans never repeat byte for byte, and rewriting keeps
  // the cost honest; rename over an identical file is atomic and harmless.
  const temp = join(dir, `.${randomUUID()}.tmp`);
  const file = await open(temp, 'wx', 0o600);
  try {
    let offset = 0;
    while (offset < data.length) {
      const { bytesWritten } = await file.write(data, offset, data.length - offset);
      offset += bytesWritten;
    }
    await file.sync();
  } catch (error) {
    await file.close();
    await rm(temp, { force: true });
    throw error;
  }
  await file.close();
  await rename(temp, path);
  await syncDirectory(dir);
  await syncNewDirectories(created, dir);
  return { sha256, path, bytes: data.byteLength };
}

/**
 * Moves a complete file someone else wrote (a scanner driver streaming into a `PageSink` on the blob store's
 * filesystem) into the blob store: fsync it unless the writer already did, rename it to `pathFor(sha256)`,
 * fsync the directory (and its parent when the directory is new). Same guarantees as `putBlobDurably`:
 * once this returns, the blob survives a power cut.
 */
export async function adoptFileDurably(
  blobs: BlobStore,
  file: { path: string; sha256: string; bytes: number; synced: boolean },
  extension: string,
): Promise<{ sha256: string; path: string; bytes: number }> {
  if (!file.synced) {
    const handle = await open(file.path, 'r+');
    try {
      await handle.sync();
    } finally {
      await handle.close();
    }
  }
  const path = blobs.pathFor(file.sha256, extension);
  const dir = dirname(path);
  const created = await mkdir(dir, { recursive: true });
  await rename(file.path, path);
  await syncDirectory(dir);
  await syncNewDirectories(created, dir);
  return { sha256: file.sha256, path, bytes: file.bytes };
}

/** A directory made for this blob is durable only once its parent's entry for it is: fsync those parents. */
async function syncNewDirectories(firstCreated: string | undefined, dir: string): Promise<void> {
  if (!firstCreated) return;
  const top = dirname(firstCreated);
  for (let d = dirname(dir); ; d = dirname(d)) {
    await syncDirectory(d);
    if (d === top || d === dirname(d)) return;
  }
}

async function syncDirectory(dir: string): Promise<void> {
  // Windows cannot open a directory for fsync; NTFS journals the rename itself.
  if (process.platform === 'win32') return;
  const directory = await open(dir, 'r');
  try {
    await directory.sync();
  } finally {
    await directory.close();
  }
}
