import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';

/**
 * Sealed blob layout: "MCB" + version (4 bytes) | nonce (12) | AES-256-GCM ciphertext | tag (16).
 * The blob's content address (SHA-256 of the plaintext) is the additional data, so a sealed file moved under
 * another name fails to open instead of serving the wrong page.
 */
export const SEALED_MAGIC = Buffer.from('MCB\x01', 'latin1');
const NONCE_BYTES = 12;
const TAG_BYTES = 16;
export const SEALED_OVERHEAD = SEALED_MAGIC.length + NONCE_BYTES + TAG_BYTES;

export class BlobIntegrityError extends Error {
  constructor(
    message: string,
    readonly sha256: string,
  ) {
    super(message);
    this.name = 'BlobIntegrityError';
  }
}

export function isSealed(bytes: Uint8Array): boolean {
  return bytes.byteLength >= SEALED_OVERHEAD && SEALED_MAGIC.equals(bytes.subarray(0, SEALED_MAGIC.length));
}

export function sealBlob(key: Uint8Array, sha256: string, plain: Uint8Array): Buffer {
  const nonce = randomBytes(NONCE_BYTES);
  const cipher = createCipheriv('aes-256-gcm', key, nonce);
  cipher.setAAD(Buffer.from(sha256, 'latin1'));
  const body = Buffer.concat([cipher.update(plain), cipher.final()]);
  return Buffer.concat([SEALED_MAGIC, nonce, body, cipher.getAuthTag()]);
}

export function openBlob(key: Uint8Array, sha256: string, sealed: Uint8Array): Buffer {
  if (!isSealed(sealed)) throw new BlobIntegrityError('blob is not sealed', sha256);
  const buf = Buffer.from(sealed.buffer, sealed.byteOffset, sealed.byteLength);
  const nonce = buf.subarray(SEALED_MAGIC.length, SEALED_MAGIC.length + NONCE_BYTES);
  const tag = buf.subarray(buf.length - TAG_BYTES);
  const decipher = createDecipheriv('aes-256-gcm', key, nonce);
  decipher.setAAD(Buffer.from(sha256, 'latin1'));
  decipher.setAuthTag(tag);
  try {
    return Buffer.concat([
      decipher.update(buf.subarray(SEALED_MAGIC.length + NONCE_BYTES, buf.length - TAG_BYTES)),
      decipher.final(),
    ]);
  } catch {
    throw new BlobIntegrityError('blob failed authentication (wrong key or tampered file)', sha256);
  }
}

// Page-sized blobs are sealed in slices with a yield between them, so a 26 MB colour page never holds the main
// process's event loop for the whole AES pass (slow on CPUs without AES instructions). Each slice goes through
// the cipher in cache-sized steps: one 8 MB update runs at a quarter of the speed of 64 KB ones.
const SLICE_BYTES = 1024 * 1024;
const STEP_BYTES = 64 * 1024;
const yieldToLoop = () => new Promise<void>((resolve) => setImmediate(resolve));

async function sliced(
  step: (chunk: Buffer) => Buffer,
  input: Buffer,
  out: Buffer,
  outOffset: number,
): Promise<number> {
  let offset = outOffset;
  for (let at = 0; at < input.length; at += STEP_BYTES) {
    offset += step(input.subarray(at, at + STEP_BYTES)).copy(out, offset);
    const next = at + STEP_BYTES;
    if (next < input.length && next % SLICE_BYTES === 0) await yieldToLoop();
  }
  return offset;
}

export async function sealBlobAsync(key: Uint8Array, sha256: string, plain: Uint8Array): Promise<Buffer> {
  const nonce = randomBytes(NONCE_BYTES);
  const cipher = createCipheriv('aes-256-gcm', key, nonce);
  cipher.setAAD(Buffer.from(sha256, 'latin1'));
  const out = Buffer.allocUnsafe(plain.byteLength + SEALED_OVERHEAD);
  SEALED_MAGIC.copy(out, 0);
  nonce.copy(out, SEALED_MAGIC.length);
  const input = Buffer.from(plain.buffer, plain.byteOffset, plain.byteLength);
  let offset = await sliced((c) => cipher.update(c), input, out, SEALED_MAGIC.length + NONCE_BYTES);
  offset += cipher.final().copy(out, offset);
  cipher.getAuthTag().copy(out, offset);
  return out;
}

export async function openBlobAsync(key: Uint8Array, sha256: string, sealed: Uint8Array): Promise<Buffer> {
  if (!isSealed(sealed)) throw new BlobIntegrityError('blob is not sealed', sha256);
  const buf = Buffer.from(sealed.buffer, sealed.byteOffset, sealed.byteLength);
  const nonce = buf.subarray(SEALED_MAGIC.length, SEALED_MAGIC.length + NONCE_BYTES);
  const decipher = createDecipheriv('aes-256-gcm', key, nonce);
  decipher.setAAD(Buffer.from(sha256, 'latin1'));
  decipher.setAuthTag(buf.subarray(buf.length - TAG_BYTES));
  const body = buf.subarray(SEALED_MAGIC.length + NONCE_BYTES, buf.length - TAG_BYTES);
  const out = Buffer.allocUnsafe(body.length);
  const written = await sliced((c) => decipher.update(c), body, out, 0);
  try {
    decipher.final();
  } catch {
    throw new BlobIntegrityError('blob failed authentication (wrong key or tampered file)', sha256);
  }
  return out.subarray(0, written);
}
