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
  await mkdir(dir, { recursive: true });
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
  if (process.platform !== 'win32') {
    const directory = await open(dir, 'r');
    try {
      await directory.sync();
    } finally {
      await directory.close();
    }
  }
  return { sha256, path, bytes: data.byteLength };
}
