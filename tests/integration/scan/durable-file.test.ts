import { existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { adoptFileDurably, putBlobDurably } from '../../../electron/services/scan/durable-file';
import { scanTempName } from '../../../electron/services/scan/temp-files';
import { BlobStore, sha256Hex } from '../../../electron/services/store/files';
import { tempDir } from './helpers';

const page = (text: string) => new TextEncoder().encode(`P5 4 1 255\n${text}`);

describe('durable blob files for scanned pages', () => {
  it('adopts a temp file by rename, and leaves an identical second one for the caller to delete', async () => {
    const blobs = new BlobStore(join(tempDir(), 'files'));
    const bytes = page('abcd');
    const sha256 = sha256Hex(bytes);
    mkdirSync(blobs.root, { recursive: true });
    const first = join(blobs.root, scanTempName());
    const second = join(blobs.root, scanTempName());
    for (const path of [first, second]) {
      writeFileSync(path, bytes);
    }

    const adopted = await adoptFileDurably(
      blobs,
      { path: first, sha256, bytes: bytes.length, synced: false },
      '.pgm',
    );
    expect(adopted).toEqual({ sha256, path: blobs.pathFor(sha256, '.pgm'), bytes: bytes.length });
    expect(existsSync(first)).toBe(false);

    // Same content again (a feeder of identical sheets): no rename over the stored blob.
    const again = await adoptFileDurably(
      blobs,
      { path: second, sha256, bytes: bytes.length, synced: false },
      '.pgm',
    );
    expect(again).toEqual(adopted);
    expect(existsSync(second)).toBe(true);
    expect(readFileSync(adopted.path)).toEqual(Buffer.from(bytes));
  });

  it('puts bytes through a temp file in the blob root and leaves no temp file, new or duplicate', async () => {
    const blobs = new BlobStore(join(tempDir(), 'files'));
    const bytes = page('wxyz');
    const stored = await putBlobDurably(blobs, bytes, '.pgm');
    const again = await putBlobDurably(blobs, bytes, '.pgm');
    expect(again).toEqual(stored);
    expect(stored.sha256).toBe(sha256Hex(bytes));
    expect(readFileSync(stored.path)).toEqual(Buffer.from(bytes));
    expect(readdirSync(blobs.root).filter((n) => n.endsWith('.scan.tmp'))).toEqual([]);
  });
});
