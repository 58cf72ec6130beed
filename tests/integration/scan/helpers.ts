import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { BlobStore } from '../../../electron/services/store/files';
import { sha256Hex } from '../../../electron/services/store/files';

export const REPO_ROOT = join(import.meta.dirname, '..', '..', '..');
export const TEST_DEVICE = 'test:0';

export const tempDir = (prefix = 'motcua-scan-') => mkdtempSync(join(tmpdir(), prefix));

/** The libsane `test` backend's option values for a read that fails with `status`. */
export const failingRead = (status: string) => ({ 'read-return-value': status });

/** Makes every page of the test device slow (delay per pipe buffer) so a test can act mid-page. */
export const slowPages = (microseconds: number) => ({
  'read-delay': true,
  'read-delay-duration': microseconds,
});

export function fileSha256(path: string): string {
  return sha256Hex(readFileSync(path));
}

/** SHA-256 of a recorded page's plaintext, opened through the (sealing) blob store. */
export async function storedPageSha256(
  blobs: BlobStore,
  page: { sha256: string; fileExt: string },
): Promise<string> {
  return sha256Hex(await blobs.read(page.sha256, page.fileExt));
}
