// The messages between the page writer (main thread) and its thread, in a file both import: neither imports
// the other.

/** The buffer behind `bytes`, to move (not copy) between threads; shared memory needs no moving. */
export function lentBuffer(bytes: Uint8Array): ArrayBuffer[] {
  return bytes.buffer instanceof ArrayBuffer && bytes.buffer.byteLength > 0 ? [bytes.buffer] : [];
}

export interface PageWriteRequest {
  id: number;
  path: string;
  /** The plaintext; its buffer is lent to this thread and handed back in the reply. */
  bytes: Uint8Array;
  /** The plaintext's SHA-256 (hex) when known; else this thread computes it. */
  sha256?: string;
}

export type PageWriteReply =
  | { id: number; bytes: Uint8Array; sha256: string }
  | { id: number; bytes: Uint8Array; error: { message: string; code?: string } };

export interface PageWriterData {
  key: Uint8Array | null;
}
