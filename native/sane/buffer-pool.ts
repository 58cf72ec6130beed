/**
 * The worker's page memory: recycled page buffers, and the ring of slots that page files stream through.
 */
import { allocateUnforked, isUnforked, releaseUnforked } from './unforked-memory';

const POOL_SIZE = 3;

/**
 * Page buffers handed back by the caller after use. Reading into fresh memory costs a page fault per 4 KiB,
 * which on a VM costs more than the scan itself; recycled buffers are already mapped.
 */
const pool: ArrayBuffer[] = [];

export function takeBuffer(size: number): Uint8Array {
  const index = pool.findIndex((b) => b.byteLength >= size);
  if (index >= 0) return new Uint8Array(pool.splice(index, 1)[0] as ArrayBuffer);
  return new Uint8Array(new ArrayBuffer(size));
}

export function recycle(buffer: ArrayBuffer): void {
  if (buffer.byteLength === 0) return; // detached
  pool.push(buffer);
  // Keep the biggest few: page sizes only shrink or repeat within a batch.
  pool.sort((a, b) => b.byteLength - a.byteLength);
  pool.length = Math.min(pool.length, POOL_SIZE);
}

/**
 * Streaming a page to its file goes through a ring of slots: reads fill a slot while the full ones before it
 * are written on libuv's pool. Measured on the test device (A4 300 dpi grey,
 * 8.7 MB pages): 4 MiB slots keep the write almost free; 128 KiB–1 MiB slots cost more in thread hand-offs
 * than they save in cache misses, and Linux sync_file_range to start writeback early made the whole batch
 * slower.
 */
export const SLOT_BYTES = 4 << 20;
const RING_SLOTS = 3;
export interface Ring {
  slots: Uint8Array[];
  /** Page-aligned, as O_DIRECT needs (always where madvise worked, i.e. on Linux). */
  aligned: boolean;
}
let theRingState: Ring | null = null;
/**
 * Allocated on the first streamed page only: a worker that never streams keeps its 12 MiB. Not inherited by
 * forked children: any child process started in this process would otherwise cost the next page 45 ms of
 * copy-on-write faults (see unforked-memory.ts).
 */
export const theRing = (): Ring => {
  if (theRingState) return theRingState;
  const memory = allocateUnforked(SLOT_BYTES * RING_SLOTS);
  theRingState = {
    slots: Array.from({ length: RING_SLOTS }, (_, i) =>
      memory.subarray(i * SLOT_BYTES, (i + 1) * SLOT_BYTES),
    ),
    aligned: isUnforked(memory),
  };
  return theRingState;
};

/** Frees the ring (libsane exit): the next streamed page allocates it again. */
export function releaseRing(): void {
  theRingState = null;
  releaseUnforked();
}
