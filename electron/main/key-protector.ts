import { safeStorage } from 'electron';
import type { KeyProtector } from '../services/store/data-key';

/**
 * The desk's data key wrapped by the OS through Electron safeStorage (DPAPI on Windows, Keychain on macOS,
 * libsecret/kwallet on Linux). Returns null when the OS offers no real protection (Linux 'basic_text' backend):
 * the desk then keeps the key file next to the data dir, like the CLI, rather than pretend.
 */
export function safeStorageKeyProtector(): KeyProtector | null {
  if (!safeStorage.isEncryptionAvailable()) return null;
  if (process.platform === 'linux' && safeStorage.getSelectedStorageBackend() === 'basic_text') return null;
  return {
    kind: 'safeStorage',
    protect: (plain) => new Uint8Array(safeStorage.encryptString(Buffer.from(plain).toString('base64'))),
    unprotect: (wrapped) =>
      new Uint8Array(Buffer.from(safeStorage.decryptString(Buffer.from(wrapped)), 'base64')),
  };
}
