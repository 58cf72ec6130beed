import { type CipherGCM, createCipheriv, createDecipheriv, randomBytes, webcrypto } from 'node:crypto';

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

/**
 * Starts sealing one blob: the file begins with `header`; then comes `cipher.update` of the plaintext (in one
 * piece or many), `cipher.final()`, and `cipher.getAuthTag()`.
 */
export function startSealing(key: Uint8Array, sha256: string): { header: Buffer; cipher: CipherGCM } {
  const nonce = randomBytes(NONCE_BYTES);
  const cipher = createCipheriv('aes-256-gcm', key, nonce, { authTagLength: TAG_BYTES });
  cipher.setAAD(Buffer.from(sha256, 'latin1'));
  return { header: Buffer.concat([SEALED_MAGIC, nonce]), cipher };
}

export function sealBlob(key: Uint8Array, sha256: string, plain: Uint8Array): Buffer {
  const { header, cipher } = startSealing(key, sha256);
  const body = Buffer.concat([cipher.update(plain), cipher.final()]);
  return Buffer.concat([header, body, cipher.getAuthTag()]);
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

// Page-sized blobs go through WebCrypto: AES-GCM runs on libuv's thread pool in one call, so a 26 MB colour page
// costs the main process's event loop nothing, and no slice-by-slice output buffers are allocated and copied
// (that copying, not the cipher, was most of the old cost). WebCrypto's output is ciphertext || tag, which is
// exactly the sealed layout after the header.
const webKeys = new WeakMap<Uint8Array, Promise<CryptoKey>>();

function webKey(key: Uint8Array): Promise<CryptoKey> {
  let imported = webKeys.get(key);
  if (!imported) {
    imported = webcrypto.subtle.importKey('raw', key, 'AES-GCM', false, ['encrypt', 'decrypt']);
    webKeys.set(key, imported);
  }
  return imported;
}

/**
 * Seals off the main thread. Returns the file's parts in order (header, then ciphertext with its tag) so the
 * caller can write them without joining 26 MB into one more buffer.
 */
export async function sealBlobParts(
  key: Uint8Array,
  sha256: string,
  plain: Uint8Array,
): Promise<[Buffer, Uint8Array]> {
  const nonce = randomBytes(NONCE_BYTES);
  const body = await webcrypto.subtle.encrypt(
    { name: 'AES-GCM', iv: nonce, additionalData: Buffer.from(sha256, 'latin1'), tagLength: TAG_BYTES * 8 },
    await webKey(key),
    plain,
  );
  return [Buffer.concat([SEALED_MAGIC, nonce]), new Uint8Array(body)];
}

export async function openBlobAsync(key: Uint8Array, sha256: string, sealed: Uint8Array): Promise<Buffer> {
  if (!isSealed(sealed)) throw new BlobIntegrityError('blob is not sealed', sha256);
  const header = SEALED_MAGIC.length + NONCE_BYTES;
  try {
    const plain = await webcrypto.subtle.decrypt(
      {
        name: 'AES-GCM',
        iv: sealed.subarray(SEALED_MAGIC.length, header),
        additionalData: Buffer.from(sha256, 'latin1'),
        tagLength: TAG_BYTES * 8,
      },
      await webKey(key),
      sealed.subarray(header),
    );
    return Buffer.from(plain);
  } catch {
    throw new BlobIntegrityError('blob failed authentication (wrong key or tampered file)', sha256);
  }
}
