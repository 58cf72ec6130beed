import koffi from 'koffi';

/**
 * Long-lived page buffers that a forked child does not share (Linux `MADV_DONTFORK`).
 *
 * Node starts every child process (`spawn`, `execFile`, `spawnSync`) with fork + exec. The fork marks every
 * writable page of this process copy-on-write, even though the child execs at once: the next write to each
 * 4 KiB page then takes a fault. For the worker's 12 MiB read ring that is 3,000 faults, measured at ~45 ms on
 * the first page scanned after any child process started (a quarter of a whole 10-page batch). Pages marked
 * DONTFORK are simply not mapped into the child, so they never become copy-on-write.
 *
 * Elsewhere (macOS, Windows) this returns ordinary buffers.
 */

const PAGE = 4096;
const MADV_DOFORK = 11;
const MADV_DONTFORK = 10;

interface Libc {
  /** The address of `buffer`'s memory: memmove(buffer, buffer, 0) returns its first argument. */
  addressOf(buffer: Uint8Array): bigint;
  madvise(buffer: Uint8Array, advice: number): number;
}

let libc: Libc | null | undefined;

function loadLibc(): Libc | null {
  if (libc !== undefined) return libc;
  libc = null;
  if (process.platform !== 'linux') return libc;
  try {
    // The process's own symbols: Node links libc, so no library path is needed.
    const self = koffi.load(null);
    const memmove = self.func('uintptr_t memmove(void *dest, void *src, size_t n)');
    const madvise = self.func('int madvise(void *addr, size_t length, int advice)');
    libc = {
      addressOf: (buffer) => BigInt(memmove(buffer, buffer, 0) as number | bigint),
      madvise: (buffer, advice) => madvise(buffer, buffer.length, advice) as number,
    };
  } catch {
    // No madvise to call: buffers stay ordinary.
  }
  return libc;
}

/** Buffers handed out, so `releaseUnforked` can give their pages back to the normal fork behaviour. */
const marked = new Set<Uint8Array>();

/**
 * A zeroed, page-aligned buffer of `size` bytes (rounded up to whole pages) that forked children do not
 * inherit, over an ArrayBuffer or (`shared`) a SharedArrayBuffer. Keep it for the life of the thread (or call
 * `releaseUnforked`): the allocator may reuse the memory.
 */
export function allocateUnforked(size: number, { shared = false } = {}): Uint8Array {
  const bytes = Math.ceil(size / PAGE) * PAGE;
  const c = loadLibc();
  const memory = (length: number) => (shared ? new SharedArrayBuffer(length) : new ArrayBuffer(length));
  if (!c) return new Uint8Array(memory(size));
  const raw = new Uint8Array(memory(bytes + PAGE));
  const misalignment = Number(c.addressOf(raw) % BigInt(PAGE));
  const start = misalignment === 0 ? 0 : PAGE - misalignment;
  const pages = raw.subarray(start, start + bytes);
  if (c.madvise(pages, MADV_DONTFORK) === 0) marked.add(pages);
  return pages.subarray(0, size);
}

/** Whether `buffer` came from `allocateUnforked` and the kernel took the advice (for tests and diagnostics). */
export function isUnforked(buffer: Uint8Array): boolean {
  for (const pages of marked) if (pages.buffer === buffer.buffer) return true;
  return false;
}

/** Restores normal fork behaviour on every buffer handed out (before the thread lets them go). */
export function releaseUnforked(): void {
  const c = loadLibc();
  for (const pages of marked) c?.madvise(pages, MADV_DOFORK);
  marked.clear();
}
