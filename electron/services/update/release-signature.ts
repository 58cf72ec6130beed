import { createHash, createPublicKey, type KeyObject, sign, verify } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { z } from 'zod';

/**
 * Our own signature over a release artifact, beside electron-updater's SHA-512 (which only proves the file
 * matches latest.yml, and whoever can write latest.yml can write both). Ed25519 over a short statement that names
 * the file, its version, SHA-512 and size: the version is signed too, so an old signed release cannot be passed
 * off as a newer one. Stored next to the artifact as `<file>.sig.json`.
 */
export const SIGNATURE_FORMAT = 'motcua-release-v1';
export const SIGNATURE_SUFFIX = '.sig.json';

export const releaseSignatureSchema = z
  .object({
    format: z.literal(SIGNATURE_FORMAT),
    file: z.string().min(1).max(255),
    version: z.string().min(1).max(64),
    /** Base64, as in latest.yml. */
    sha512: z.base64().length(88),
    size: z.number().int().min(0),
    signature: z.base64().length(88),
  })
  .strict();
export type ReleaseSignature = z.infer<typeof releaseSignatureSchema>;

export interface ReleaseFacts {
  file: string;
  version: string;
  sha512: string;
  size: number;
}

export function releaseStatement(facts: ReleaseFacts): Buffer {
  return Buffer.from(
    `${SIGNATURE_FORMAT}\n${facts.file}\n${facts.version}\n${facts.sha512}\n${facts.size}\n`,
    'utf8',
  );
}

export function signRelease(facts: ReleaseFacts, privateKey: KeyObject | string): ReleaseSignature {
  const signature = sign(null, releaseStatement(facts), privateKey).toString('base64');
  return { format: SIGNATURE_FORMAT, ...facts, signature };
}

/** True when the signature is by the key over exactly these facts. */
export function signatureHolds(sig: ReleaseSignature, publicKey: KeyObject | string): boolean {
  try {
    const key = typeof publicKey === 'string' ? createPublicKey(publicKey) : publicKey;
    if (key.asymmetricKeyType !== 'ed25519') return false;
    return verify(null, releaseStatement(sig), key, Buffer.from(sig.signature, 'base64'));
  } catch {
    return false;
  }
}

/** SHA-512 (base64) and size of a file, streamed: installers are too big to read whole on the main thread. */
export async function fileDigest(path: string): Promise<{ sha512: string; size: number }> {
  const hash = createHash('sha512');
  let size = 0;
  for await (const chunk of createReadStream(path)) {
    hash.update(chunk as Buffer);
    size += (chunk as Buffer).length;
  }
  return { sha512: hash.digest('base64'), size };
}
