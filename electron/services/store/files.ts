import { webcrypto } from 'node:crypto';
import { closeSync, existsSync, openSync, readdirSync, readFileSync, readSync, rmSync } from 'node:fs';
import { readFile, rm as rmAsync } from 'node:fs/promises';
import { join } from 'node:path';
import { sha256Hex, writeFileAtomic, writeFileAtomicAsync } from '../disk/durable-write';
import {
  BlobIntegrityError,
  isSealed,
  openBlob,
  openBlobAsync,
  sealBlob,
  sealBlobParts,
} from './blob-cipher';
import { PageWriter, type WrittenPage } from './page-writer';

export {
  fsyncDirectory,
  sha256Hex,
  syncDirectoryAsync,
  writeFileAtomic,
  writeFileAtomicAsync,
  writeNewFileDurably,
} from '../disk/durable-write';

const BLOB_EXTENSION = /^(?:\.[A-Za-z0-9_-]+){0,3}$/;

/**
 * Content-addressed blob store: `<root>/ab/abcdef…<ext>`, named by the SHA-256 of the PLAINTEXT (the hash sync
 * and OCR use). With a key (every store `openStore` opens) files are sealed with AES-256-GCM (see
 * store/blob-cipher.ts); clear files written before encryption, or by code that still writes by path, are
 * read as they are and sealed by `sealClearBlobs`. Writing the same bytes twice is a no-op.
 */
export class BlobStore {
  readonly #key: Buffer | undefined;
  #pageWriter: PageWriter | undefined;

  constructor(
    readonly root: string,
    key?: Uint8Array,
  ) {
    this.#key = key ? Buffer.from(key) : undefined;
  }

  /**
   * Writes a page (a scan) into a new file at `path` in this store's form, sealed when the store has a key,
   * and fsyncs it, all on the page writer's thread (see page-writer.ts). `data` is lent to that thread: use
   * the view this returns (same memory) afterwards. Without `sha256` the writer thread hashes the page. The
   * caller renames the file into place.
   */
  writeNewPage(path: string, data: Uint8Array, sha256?: string): Promise<WrittenPage> {
    this.#pageWriter ??= new PageWriter(this.#key);
    return this.#pageWriter.write(path, data, sha256);
  }

  /** Stops the page writer's thread, if it ever started. */
  async close(): Promise<void> {
    const writer = this.#pageWriter;
    this.#pageWriter = undefined;
    await writer?.close();
  }

  /** True when new blobs are sealed. */
  get encrypted(): boolean {
    return this.#key !== undefined;
  }

  /** Where a blob's file is: for existence checks and deletion. Its bytes may be sealed: read with `read`. */
  pathFor(sha256: string, extension = ''): string {
    if (!/^[0-9a-f]{64}$/.test(sha256)) throw new Error('invalid sha256');
    // An extension is a tail like '.pgm' or '.ocr.json', never a path: no separators, no '..'.
    if (!BLOB_EXTENSION.test(extension)) throw new Error('invalid blob extension');
    return join(this.root, sha256.slice(0, 2), `${sha256}${extension}`);
  }

  has(sha256: string, extension = ''): boolean {
    return existsSync(this.pathFor(sha256, extension));
  }

  /** Durably stores the bytes (sealed when the store has a key) and returns their hash and path. */
  put(data: Uint8Array, extension = ''): { sha256: string; path: string; bytes: number } {
    const sha256 = sha256Hex(data);
    const path = this.pathFor(sha256, extension);
    // A present file is complete: it only ever appears through an atomic rename.
    if (!existsSync(path)) writeFileAtomic(path, this.#seal(sha256, data));
    return { sha256, path, bytes: data.byteLength };
  }

  /**
   * Async twin of `put` for page-sized data (scans, PDFs): sealing is one pass of AES-GCM, and the
   * write-temp + fsync + rename + fsync(dir) sequence runs on the thread pool, so the main process does not stall.
   */
  async putAsync(
    data: Uint8Array,
    extension = '',
    knownSha256?: string,
  ): Promise<{ sha256: string; path: string; bytes: number }> {
    const sha256 = knownSha256 ?? sha256Hex(data);
    const path = this.pathFor(sha256, extension);
    if (!existsSync(path)) await writeFileAtomicAsync(path, await this.storedForm(data, sha256));
    return { sha256, path, bytes: data.byteLength };
  }

  /**
   * The bytes this store keeps on disk for `data` (sealed when the store has a key), for a caller that writes
   * the file itself (the scan service's durable path), in the parts to write one after the other. Sealing runs off the main thread.
   */
  async storedForm(data: Uint8Array, sha256: string): Promise<readonly Uint8Array[]> {
    return this.#key ? sealBlobParts(this.#key, sha256, data) : [data];
  }

  /**
   * Takes over a complete file written elsewhere on this filesystem (a scan temp file): seals it into the store
   * and removes the temp file. The content address is checked against the file's bytes.
   */
  async adoptFile(
    tempPath: string,
    extension = '',
    expectedSha256?: string,
  ): Promise<{ sha256: string; path: string; bytes: number }> {
    const data = await readFile(tempPath);
    const sha256 = sha256Hex(data);
    if (expectedSha256 && expectedSha256 !== sha256)
      throw new BlobIntegrityError('adopted file does not match its announced hash', expectedSha256);
    const stored = await this.putAsync(data, extension, sha256);
    await rmAsync(tempPath, { force: true });
    return stored;
  }

  /** The blob's plaintext, authenticated (sealed) and checked against its content address. */
  async read(sha256: string, extension = ''): Promise<Uint8Array> {
    const bytes = await readFile(this.pathFor(sha256, extension));
    if (!this.#key || !isSealed(bytes)) return this.#open(sha256, bytes);
    const plain = await openBlobAsync(this.#key, sha256, bytes);
    const digest = Buffer.from(await webcrypto.subtle.digest('SHA-256', plain)).toString('hex');
    if (digest !== sha256) throw new BlobIntegrityError('blob content does not match its name', sha256);
    return plain;
  }

  readSync(sha256: string, extension = ''): Uint8Array {
    return this.#open(sha256, readFileSync(this.pathFor(sha256, extension)));
  }

  /** Deletes a blob (retention purge); absent is fine. */
  remove(sha256: string, extension = ''): boolean {
    const path = this.pathFor(sha256, extension);
    if (!existsSync(path)) return false;
    rmSync(path, { force: true });
    return true;
  }

  /**
   * Seals every clear blob in place (write-temp + fsync + rename: a crash leaves either the clear or the sealed
   * file, both readable). Only files named `<sha256><ext>` whose bytes match their name are touched.
   */
  sealClearBlobs(): { sealed: number; skipped: number } {
    if (!this.#key) return { sealed: 0, skipped: 0 };
    let sealed = 0;
    let skipped = 0;
    for (const { path, sha256 } of this.#listBlobFiles()) {
      const bytes = readFileSync(path);
      if (isSealed(bytes)) continue;
      if (sha256Hex(bytes) !== sha256) {
        skipped += 1;
        continue;
      }
      writeFileAtomic(path, this.#seal(sha256, bytes));
      sealed += 1;
    }
    return { sealed, skipped };
  }

  /** How many blob files are sealed and how many are still clear (key status, privacy checks). */
  census(): { sealed: number; clear: number } {
    let sealed = 0;
    let clear = 0;
    for (const { path } of this.#listBlobFiles()) {
      const fd = openSync(path, 'r');
      const head = Buffer.alloc(4);
      try {
        readSync(fd, head, 0, 4, 0);
      } finally {
        closeSync(fd);
      }
      if (isSealed(Buffer.concat([head, Buffer.alloc(64)]))) sealed += 1;
      else clear += 1;
    }
    return { sealed, clear };
  }

  /** Re-seals every blob under a new key (rotation); crash-safe per file, idempotent on resume. */
  resealAll(next: BlobStore): number {
    let count = 0;
    for (const { path, sha256 } of this.#listBlobFiles()) {
      const bytes = readFileSync(path);
      let plain: Uint8Array;
      try {
        plain = this.#open(sha256, bytes);
      } catch {
        // Already under the new key (a rotation resumed after a crash).
        next.#open(sha256, bytes);
        continue;
      }
      writeFileAtomic(path, next.#seal(sha256, plain));
      count += 1;
    }
    return count;
  }

  /** Every stored file, by hash and extension (integrity checks). */
  listFiles(): { sha256: string; extension: string }[] {
    return [...this.#listBlobFiles()].map(({ sha256, extension }) => ({ sha256, extension }));
  }

  *#listBlobFiles(): Generator<{ path: string; sha256: string; extension: string }> {
    if (!existsSync(this.root)) return;
    for (const prefix of readdirSync(this.root)) {
      if (!/^[0-9a-f]{2}$/.test(prefix)) continue;
      for (const name of readdirSync(join(this.root, prefix))) {
        const match = /^([0-9a-f]{64})((?:\.[A-Za-z0-9_-]+)*)$/.exec(name);
        if (match?.[1]?.startsWith(prefix))
          yield { path: join(this.root, prefix, name), sha256: match[1], extension: match[2] ?? '' };
      }
    }
  }

  #seal(sha256: string, data: Uint8Array): Uint8Array {
    return this.#key ? sealBlob(this.#key, sha256, data) : data;
  }

  #open(sha256: string, bytes: Buffer): Uint8Array {
    if (isSealed(bytes)) {
      if (!this.#key) throw new BlobIntegrityError('blob is sealed but the store has no key', sha256);
      const plain = openBlob(this.#key, sha256, bytes);
      if (sha256Hex(plain) !== sha256)
        throw new BlobIntegrityError('blob content does not match its name', sha256);
      return plain;
    }
    // Clear (legacy, or written by path): still must be the bytes its name promises.
    if (sha256Hex(bytes) !== sha256)
      throw new BlobIntegrityError('blob content does not match its name', sha256);
    return bytes;
  }
}
