import { hkdfSync } from 'node:crypto';
import type { Database } from 'better-sqlite3';

// One data key, separate subkeys per use: a weakness in one use (e.g. nonce reuse in blobs) cannot reach the
// other, and the database never sees the blob key.
function derive(dataKey: Uint8Array, purpose: string): Buffer {
  return Buffer.from(hkdfSync('sha256', dataKey, Buffer.alloc(0), `motcua-desk ${purpose} v1`, 32));
}

/** Raw 256-bit SQLCipher key for the database, as the `x'…'` literal PRAGMA key takes (no PBKDF2 at open). */
export function databaseKeyLiteral(dataKey: Uint8Array): string {
  return `x'${derive(dataKey, 'database').toString('hex')}'`;
}

/** AES-256-GCM key for page images, PDFs and every other blob. */
export function blobKey(dataKey: Uint8Array): Buffer {
  return derive(dataKey, 'blobs');
}

/** AES-256-GCM key for the desk's identity marker (store/desk-identity.ts). */
export function markerKey(dataKey: Uint8Array): Buffer {
  return derive(dataKey, 'desk-identity');
}

/** SQLCipher 4 format through better-sqlite3-multiple-ciphers; the key must come before any other statement. */
export function applyDatabaseKey(db: Database, dataKey: Uint8Array): void {
  db.pragma("cipher = 'sqlcipher'");
  db.pragma('legacy = 4');
  db.pragma(`key = "${databaseKeyLiteral(dataKey)}"`);
}
