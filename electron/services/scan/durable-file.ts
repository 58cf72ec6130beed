import { access, mkdir, open, rename, rm } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { type BlobStore, syncDirectoryAsync } from '../store/files';
import { scanTempName, scanTempTag } from './temp-files';

/** A page in memory. Its `bytes` are lent to the store's writer thread and put back here when it is done. */
export interface PageInMemory {
  bytes: Uint8Array;
  /** The bytes' SHA-256 (hex) when a worker already computed it; else the writer thread does. */
  sha256?: string;
}

/**
 * Stores a page held in memory durably: the file is written (sealed when the store encrypts) and fsync'd on
 * the store's page writer thread, renamed into place, and its directory fsync'd. Same layout and guarantees
 * as `BlobStore.put`. Meanwhile `page.bytes` is on loan (detached here); it is back when this settles,
 * whether it succeeds or fails.
 */
export async function putBlobDurably(
  blobs: BlobStore,
  page: PageInMemory,
  extension: string,
  /** Owner written into the temp file's name (default: this process), for the orphan sweep. */
  tempTag: string = scanTempTag(),
): Promise<{ sha256: string; path: string; bytes: number }> {
  const bytes = page.bytes.byteLength;
  // Always written, even when the blob exists: real scans never repeat byte for byte, and rewriting keeps
  // the cost honest; rename over an identical file is atomic and harmless. The temp file lives in the blob
  // root, named after its owner, where the scan service's startup sweep finds it if a crash strands it.
  // Only ciphertext reaches the disk when the store encrypts, temp file included.
  const rootCreated = await mkdir(blobs.root, { recursive: true });
  const temp = join(blobs.root, scanTempName(tempTag));
  let sha256: string;
  try {
    ({ bytes: page.bytes, sha256 } = await blobs.writeNewPage(temp, page.bytes, page.sha256));
  } catch (error) {
    const lent = (error as { bytes?: unknown }).bytes;
    if (lent instanceof Uint8Array) page.bytes = lent;
    throw error;
  }
  const path = blobs.pathFor(sha256, extension);
  const dir = dirname(path);
  const dirCreated = await mkdir(dir, { recursive: true });
  // The first directory this call made: a new blob root's own entry needs its parent fsync'd too.
  const created = rootCreated ?? dirCreated;
  if (await exists(path)) {
    // Already stored: see adoptFileDurably. Nobody else holds this temp file, so it goes now.
    await syncDirectoryAsync(dir);
    await rm(temp, { force: true });
    return { sha256, path, bytes };
  }
  await rename(temp, path);
  await syncDirectoryAsync(dir);
  await syncNewDirectories(created, dir);
  return { sha256, path, bytes };
}

/**
 * Moves a complete file someone else wrote (a scanner driver streaming into a `PageSink` on the blob store's
 * filesystem) into the blob store: fsync it unless the writer already did, rename it to `pathFor(sha256)`,
 * fsync the directory (and its parent when the directory is new). Same guarantees as `putBlobDurably`:
 * once this returns, the blob survives a power cut. When the blob already exists, `file.path` is left in
 * place: the caller deletes it (the scan service does when it releases the page).
 */
export async function adoptFileDurably(
  blobs: BlobStore,
  file: { path: string; sha256: string; bytes: number; synced: boolean },
  extension: string,
): Promise<{ sha256: string; path: string; bytes: number }> {
  // An encrypting store seals the streamed page and deletes the clear temp file; a crash before that leaves
  // only the temp file, which the startup sweep removes (the page was never recorded).
  if (blobs.encrypted) return blobs.adoptFile(file.path, extension, file.sha256);
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
  if (await exists(path)) {
    // The same bytes are already stored (content addressing). Renaming over them would make this call free
    // the old file's blocks — 4 ms for a grey A4 page on ext4, where a rename to a new name takes 0.1 ms —
    // so the temp file is left for the caller to remove once the page is recorded. The entry was made
    // durable by whoever renamed it; fsync the directory anyway in case that is still under way elsewhere.
    await syncDirectoryAsync(dir);
    return { sha256: file.sha256, path, bytes: file.bytes };
  }
  await rename(file.path, path);
  await syncDirectoryAsync(dir);
  await syncNewDirectories(created, dir);
  return { sha256: file.sha256, path, bytes: file.bytes };
}

async function exists(path: string): Promise<boolean> {
  try {
    await access(path);
    return true;
  } catch {
    return false;
  }
}

/** A directory made for this blob is durable only once its parent's entry for it is: fsync those parents. */
async function syncNewDirectories(firstCreated: string | undefined, dir: string): Promise<void> {
  if (!firstCreated) return;
  const top = dirname(firstCreated);
  for (let d = dirname(dir); ; d = dirname(d)) {
    await syncDirectoryAsync(d);
    if (d === top || d === dirname(d)) return;
  }
}
