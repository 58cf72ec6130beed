/**
 * The page writer's thread (see page-writer.ts): hashes each page unless its hash came with it, writes its
 * stored form into a new file (sealed when the store has a key) and fsyncs it. Hashing, sealing and writing
 * are synchronous on purpose (this thread does nothing else); the fsync waits on libuv's pool, so the next
 * page is sealed meanwhile.
 */
import { createHash } from 'node:crypto';
import { closeSync, fsync, openSync, rmSync, writeSync } from 'node:fs';
import { parentPort, workerData } from 'node:worker_threads';
import { startSealing } from './blob-cipher';
import {
  lentBuffer,
  type PageWriteReply,
  type PageWriteRequest,
  type PageWriterData,
} from './page-writer-protocol';

/**
 * AES-GCM works in slices so its output buffers stay small enough for the allocator to reuse (one output the
 * size of a page is fresh memory every time: a page fault per 4 KiB). Sealed slices gather in one staging
 * buffer written 1 MiB at a time: on Linux ext4 a single multi-MiB write measured several times slower than
 * the same bytes in 1 MiB writes.
 */
const SEAL_SLICE = 64 << 10;
const WRITE_BYTES = 1 << 20;

const port = parentPort;
if (!port) throw new Error('the page writer must run in a worker thread');
const { key } = workerData as PageWriterData;
const staging = new Uint8Array(WRITE_BYTES);

function writeAll(fd: number, data: Uint8Array): void {
  let offset = 0;
  while (offset < data.length) offset += writeSync(fd, data, offset, data.length - offset);
}

/** Gathers the sealed file's pieces (header, 64 KiB ciphertext slices, tag) into WRITE_BYTES writes. */
class BlockWriter {
  private fill = 0;
  constructor(private readonly fd: number) {}

  put(data: Uint8Array): void {
    let offset = 0;
    while (offset < data.length) {
      const n = Math.min(WRITE_BYTES - this.fill, data.length - offset);
      staging.set(data.subarray(offset, offset + n), this.fill);
      this.fill += n;
      offset += n;
      if (this.fill === WRITE_BYTES) this.flush();
    }
  }

  flush(): void {
    if (this.fill > 0) writeAll(this.fd, staging.subarray(0, this.fill));
    this.fill = 0;
  }
}

/** Writes the file, then fsyncs it on libuv's pool; resolves with the page's SHA-256. */
function writePage({ path, bytes, sha256 }: PageWriteRequest): Promise<string> {
  // The content address comes first: it names the file and is the sealed file's additional data.
  const address = sha256 ?? createHash('sha256').update(bytes).digest('hex');
  const fd = openSync(path, 'wx', 0o600);
  const abandon = () => {
    closeSync(fd);
    rmSync(path, { force: true });
  };
  try {
    if (key) {
      const out = new BlockWriter(fd);
      const { header, cipher } = startSealing(key, address);
      out.put(header);
      for (let offset = 0; offset < bytes.length; offset += SEAL_SLICE)
        out.put(cipher.update(bytes.subarray(offset, offset + SEAL_SLICE)));
      out.put(cipher.final());
      out.put(cipher.getAuthTag());
      out.flush();
    } else {
      for (let offset = 0; offset < bytes.length; offset += WRITE_BYTES)
        writeAll(fd, bytes.subarray(offset, offset + WRITE_BYTES));
    }
  } catch (error) {
    abandon();
    throw error;
  }
  return new Promise((resolve, reject) =>
    fsync(fd, (error) => {
      if (error) {
        abandon();
        reject(error);
        return;
      }
      closeSync(fd);
      resolve(address);
    }),
  );
}

port.on('message', (request: PageWriteRequest) => {
  const reply = (answer: PageWriteReply) => port.postMessage(answer, lentBuffer(request.bytes));
  const failed = (error: unknown) => {
    const { message, code } = error as NodeJS.ErrnoException;
    reply({ id: request.id, bytes: request.bytes, error: code ? { message, code } : { message } });
  };
  let written: Promise<string>;
  try {
    written = writePage(request);
  } catch (error) {
    failed(error);
    return;
  }
  written.then((sha256) => reply({ id: request.id, bytes: request.bytes, sha256 }), failed);
});
