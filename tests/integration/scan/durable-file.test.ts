import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { adoptFileDurably, putBlobDurably } from '../../../electron/services/scan/durable-file';
import { scanTempName } from '../../../electron/services/scan/temp-files';
import { BlobIntegrityError, openBlob, SEALED_OVERHEAD } from '../../../electron/services/store/blob-cipher';
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
    const held = { bytes };
    const stored = await putBlobDurably(blobs, held, '.pgm');
    // The bytes were lent to the writer thread and are back, same content.
    expect(Buffer.from(held.bytes)).toEqual(Buffer.from(page('wxyz')));
    const again = await putBlobDurably(blobs, held, '.pgm');
    expect(again).toEqual(stored);
    expect(stored.sha256).toBe(sha256Hex(held.bytes));
    expect(readFileSync(stored.path)).toEqual(Buffer.from(held.bytes));
    expect(readdirSync(blobs.root).filter((n) => n.endsWith('.scan.tmp'))).toEqual([]);
    await blobs.close();
  });

  it('seals a page on the writer thread into the format every reader opens, and gives the memory back', async () => {
    const key = randomBytes(32);
    const blobs = new BlobStore(join(tempDir(), 'files'), key);
    // A page bigger than one seal slice and one write block, inside a larger pooled buffer (as the scan
    // worker's pages are): only the view is the page.
    const pool = new Uint8Array(3_000_000);
    const pixels = randomBytes(2_500_000);
    pool.set(pixels, 1000);
    const held = { bytes: pool.subarray(1000, 1000 + pixels.length) };
    const stored = await putBlobDurably(blobs, held, '.pgm');

    expect(held.bytes.byteOffset).toBe(1000);
    expect(held.bytes.buffer.byteLength).toBe(3_000_000);
    expect(Buffer.from(held.bytes).equals(pixels)).toBe(true);
    const onDisk = readFileSync(stored.path);
    expect(onDisk.length).toBe(pixels.length + SEALED_OVERHEAD);
    expect(onDisk.includes(pixels.subarray(0, 64))).toBe(false);
    expect(Buffer.from(await blobs.read(stored.sha256, '.pgm')).equals(pixels)).toBe(true);
    expect(Buffer.from(openBlob(key, stored.sha256, onDisk)).equals(pixels)).toBe(true);
    // The content address is bound in: under another name the file does not open.
    expect(() => openBlob(key, sha256Hex('other'), onDisk)).toThrow(BlobIntegrityError);
    await blobs.close();
  });

  it('reports a failed write with the errno, leaves the existing file alone, and gives the memory back', async () => {
    const blobs = new BlobStore(join(tempDir(), 'files'), randomBytes(32));
    mkdirSync(blobs.root, { recursive: true });
    const taken = join(blobs.root, 'taken');
    writeFileSync(taken, 'someone else');
    const bytes = page('abcd');
    const failure = await blobs.writeNewPage(taken, bytes, sha256Hex(bytes)).catch((e: unknown) => e);

    expect(failure).toMatchObject({ code: 'EEXIST' });
    expect(Buffer.from((failure as { bytes: Uint8Array }).bytes)).toEqual(Buffer.from(page('abcd')));
    expect(readFileSync(taken, 'utf8')).toBe('someone else');
    await blobs.close();
  });
});
