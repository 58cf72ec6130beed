import { randomBytes } from 'node:crypto';
import {
  closeSync,
  existsSync,
  fsyncSync,
  openSync,
  readFileSync,
  rmSync,
  statSync,
  writeSync,
} from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { writeFileAtomic } from '../disk/durable-write';
import { inspectDataDir } from './desk-identity';

/** Length of the data key: AES-256 for blobs, a raw 256-bit SQLCipher key for the database (via subkeys). */
export const DATA_KEY_BYTES = 32;
/** Where the OS-protected (wrapped) data key lives when a `KeyProtector` is given: inside the data dir is fine. */
export const WRAPPED_KEY_FILE_NAME = 'data-key.wrapped';

/**
 * Wraps the data key with something the OS guards (Electron `safeStorage`: DPAPI on Windows, Keychain on macOS,
 * libsecret on Linux). The main process builds one; services never import electron.
 */
export interface KeyProtector {
  /** Short English name for logs, e.g. 'safeStorage'. */
  readonly kind: string;
  protect(plain: Uint8Array): Uint8Array;
  unprotect(wrapped: Uint8Array): Uint8Array;
}

export type KeyErrorCode =
  | 'key-file-exposed'
  | 'key-file-invalid'
  | 'key-missing'
  | 'key-unwrap-failed'
  | 'key-wrong';

/** A key that cannot be used: English message for logs, a code the front doors turn into Vietnamese. */
export class DataKeyError extends Error {
  constructor(
    readonly code: KeyErrorCode,
    message: string,
    readonly file?: string,
  ) {
    super(message);
    this.name = 'DataKeyError';
  }
}

export interface DataKeyOptions {
  /** The unwrapped key itself (tests, rotation): wins over everything else. */
  key?: Uint8Array;
  /** OS-backed protection (the Electron desk); the wrapped key is kept in `<dataDir>/data-key.wrapped`. */
  protector?: KeyProtector;
  /** Headless/CLI key file; default `MOTCUA_KEY_FILE`, else `<dataDir>.key` next to the data dir. */
  keyFile?: string;
  env?: NodeJS.ProcessEnv;
  platform?: NodeJS.Platform;
  /**
   * The data dir already holds a desk's data (database, files, identity marker): a missing key is then an error,
   * never a reason to make a new one, which would leave the data unreadable and hide that the key is gone.
   */
  existingData?: boolean;
}

/** The key file used when no protector is given: outside the data dir, so a copied data dir alone is useless. */
export function defaultKeyFile(dataDir: string, env: NodeJS.ProcessEnv = process.env): string {
  const explicit = env.MOTCUA_KEY_FILE?.trim();
  if (explicit) return resolve(explicit);
  const dir = resolve(dataDir);
  return join(dirname(dir), `${dir.slice(dirname(dir).length).replace(/^[/\\]+/, '')}.key`);
}

// A process-wide protector set once by the Electron main process, so every `openStore` of the desk uses it
// without each caller threading it through.
let processProtector: KeyProtector | undefined;
export function setProcessKeyProtector(protector: KeyProtector | undefined): void {
  processProtector = protector;
}

export interface ResolvedDataKey {
  key: Buffer;
  /** Where it came from, for logs (no secret in it). */
  source: 'given' | 'protector' | 'key-file';
  created: boolean;
  file?: string;
}

/**
 * True when the desk's key is already stored (wrapped by the OS, or in the key file): a trace of a desk that ran.
 * A key handed in by the caller (tests, rotation) is no such trace. Nothing is created.
 */
export function dataKeyPresent(dataDir: string, options: DataKeyOptions = {}): boolean {
  if (options.key) return false;
  const file = options.keyFile ?? defaultKeyFile(dataDir, options.env);
  const wrapped = (options.protector ?? processProtector) && existsSync(join(dataDir, WRAPPED_KEY_FILE_NAME));
  return Boolean(wrapped) || existsSync(file);
}

/** Returns the desk's data key, creating it on first use (never beside existing data: see `existingData`). */
export function resolveDataKey(dataDir: string, options: DataKeyOptions = {}): ResolvedDataKey {
  if (options.key) {
    if (options.key.byteLength !== DATA_KEY_BYTES)
      throw new DataKeyError('key-file-invalid', `data key must be ${DATA_KEY_BYTES} bytes`);
    return { key: Buffer.from(options.key), source: 'given', created: false };
  }
  const protector = options.protector ?? processProtector;
  const file = options.keyFile ?? defaultKeyFile(dataDir, options.env);
  const platform = options.platform ?? process.platform;
  const mayCreate = !(options.existingData ?? holdsDeskData(dataDir));
  if (protector)
    return wrappedKey(join(dataDir, WRAPPED_KEY_FILE_NAME), protector, file, platform, mayCreate);
  return keyFromFile(file, platform, mayCreate);
}

/**
 * An encrypted database, stored files or the identity marker: a desk ran in this data dir with a key. A clear
 * database (and its clear files) predates encryption: its first key is made when it is encrypted in place.
 */
function holdsDeskData(dataDir: string): boolean {
  const found = inspectDataDir(dataDir);
  if (found.clearDatabase) return found.marker;
  return found.database || found.blobs || found.marker;
}

function missingKey(file: string): DataKeyError {
  return new DataKeyError('key-missing', 'the data key is missing but the data dir holds a desk', file);
}

function wrappedKey(
  file: string,
  protector: KeyProtector,
  keyFile: string,
  platform: NodeJS.Platform,
  mayCreate: boolean,
): ResolvedDataKey {
  if (existsSync(file)) {
    let key: Buffer;
    try {
      key = Buffer.from(protector.unprotect(readFileSync(file)));
    } catch (error) {
      throw new DataKeyError(
        'key-unwrap-failed',
        `${protector.kind} could not unwrap the data key: ${(error as Error).message}`,
        file,
      );
    }
    if (key.byteLength !== DATA_KEY_BYTES)
      throw new DataKeyError('key-unwrap-failed', 'unwrapped data key has the wrong length', file);
    return { key, source: 'protector', created: false, file };
  }
  // A desk that ran headless (or without OS protection) first has its key in the key file: adopt that key,
  // wrap it, and remove the clear copy only once the wrapped one is durable.
  const adopted = existsSync(keyFile) ? keyFromFile(keyFile, platform, false).key : undefined;
  if (!adopted && !mayCreate) throw missingKey(file);
  const key = adopted ?? randomBytes(DATA_KEY_BYTES);
  writeFileAtomic(file, protector.protect(key));
  if (adopted) rmSync(keyFile, { force: true });
  return { key, source: 'protector', created: !adopted, file };
}

const KEY_FILE_PATTERN = /^motcua-data-key v1 ([0-9a-f]{64})\s*$/;

function keyFromFile(file: string, platform: NodeJS.Platform, mayCreate: boolean): ResolvedDataKey {
  let created = false;
  if (!existsSync(file)) {
    if (!mayCreate) throw missingKey(file);
    created = createKeyFile(file);
  }
  // POSIX only: Windows has no mode bits; there the desk uses safeStorage (DPAPI) and IT sets NTFS ACLs.
  if (platform !== 'win32') {
    const mode = statSync(file).mode & 0o777;
    if (mode & 0o077)
      throw new DataKeyError(
        'key-file-exposed',
        `key file is readable by group or others (mode ${mode.toString(8)}); run chmod 600 on it`,
        file,
      );
  }
  const match = KEY_FILE_PATTERN.exec(readFileSync(file, 'utf8'));
  if (!match) throw new DataKeyError('key-file-invalid', 'key file is not a MotCua data key', file);
  return { key: Buffer.from(match[1] as string, 'hex'), source: 'key-file', created, file };
}

/** Creates the key file exclusively (0600); a concurrent creator wins and we read its key. */
function createKeyFile(file: string): boolean {
  let fd: number;
  try {
    fd = openSync(file, 'wx', 0o600);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'EEXIST') return false;
    throw error;
  }
  try {
    const line = Buffer.from(`motcua-data-key v1 ${randomBytes(DATA_KEY_BYTES).toString('hex')}\n`);
    let offset = 0;
    while (offset < line.length) offset += writeSync(fd, line, offset, line.length - offset);
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
  return true;
}

/** Writes a key into a key file (rotation): atomically, mode 0600. */
export function writeKeyFile(file: string, key: Uint8Array): void {
  writeFileAtomic(file, `motcua-data-key v1 ${Buffer.from(key).toString('hex')}\n`);
}
