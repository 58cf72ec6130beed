/**
 * Chooses, read by read, where a page's `sane_read` runs.
 *
 * A blocking read on the libsane worker's own thread costs about a microsecond; the same read through koffi's
 * `.async` costs a thread-pool hand-off and an event-loop turn (tens of microseconds), and a grey A4 page at
 * 300 dpi takes some 130 reads — on the test device that hand-off was a third of the whole batch. But while a
 * blocking read waits for the device, the worker cannot take a cancel request. So: block only while the data
 * is already there (the last read came back at once), go back to the pool as soon as a read had to wait, and
 * let queued messages (cancel, buffer recycling) in at least every `yieldEveryMs` while blocking.
 */

export interface ReadResult {
  status: number;
  length: number;
}

export interface PacedReads {
  /** sane_read on this thread. */
  readSync(target: Uint8Array): ReadResult;
  /** sane_read on koffi's thread pool; this thread stays free for messages meanwhile. */
  readAsync(target: Uint8Array): Promise<ReadResult>;
}

export interface PacerLimits {
  /** A read that took longer than this waited for the device: the next one goes to the pool. */
  fastMs: number;
  /** While reading on this thread, yield to the event loop at least this often. */
  yieldEveryMs: number;
}

/** Measured on the test device: reads of buffered data take 5–60 µs; a device-paced read takes milliseconds. */
export const DEFAULT_PACER_LIMITS: PacerLimits = { fastMs: 2, yieldEveryMs: 20 };

export class ReadPacer {
  /** Reads done on this thread (the rest went through the pool). */
  blockingReads = 0;
  reads = 0;
  private blocking = false;
  /** Whether the last `read` runs on the pool: until it is awaited, this thread is free for other work. */
  pooled = false;
  private lastYield = performance.now();

  constructor(
    private readonly io: PacedReads,
    private readonly limits: PacerLimits = DEFAULT_PACER_LIMITS,
  ) {}

  /**
   * Reads into `target`. A read on this thread has completed by the time this returns (the promise only
   * carries the result, or waits for one event-loop turn when it is time to yield); a pooled read is still
   * running, so the caller may do other work (hash the previous chunk) before awaiting it.
   */
  read(target: Uint8Array): Promise<ReadResult> {
    this.reads++;
    const t0 = performance.now();
    this.pooled = !this.blocking;
    if (this.blocking) {
      const result = this.io.readSync(target);
      const now = performance.now();
      this.blockingReads++;
      this.blocking = now - t0 < this.limits.fastMs && result.length > 0;
      if (now - this.lastYield < this.limits.yieldEveryMs) return Promise.resolve(result);
      this.lastYield = now;
      return new Promise((resolve) => setImmediate(() => resolve(result)));
    }
    return this.io.readAsync(target).then((result) => {
      const now = performance.now();
      // The pool hand-off is part of t0…now, so a quick answer here means the data was waiting.
      this.blocking = now - t0 < this.limits.fastMs && result.length > 0;
      // A pooled read let the event loop run the whole time.
      this.lastYield = now;
      return result;
    });
  }
}
