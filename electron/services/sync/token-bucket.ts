/** Bandwidth cap for upload bodies: a token bucket in bytes per second (bursts up to a quarter second). */
export class TokenBucket {
  private tokens: number;
  private last: number;
  readonly capacity: number;

  constructor(
    readonly bytesPerSecond: number,
    private readonly now: () => number = () => performance.now(),
  ) {
    this.capacity = Math.max(16 * 1024, Math.floor(bytesPerSecond / 4));
    this.tokens = this.capacity;
    this.last = this.now();
  }

  private refill(): void {
    const t = this.now();
    this.tokens = Math.min(this.capacity, this.tokens + ((t - this.last) / 1000) * this.bytesPerSecond);
    this.last = t;
  }

  /** Waits until `n` bytes may go (n is cut to the capacity by the caller's slicing). */
  async take(n: number, signal?: AbortSignal): Promise<void> {
    const want = Math.min(n, this.capacity);
    for (;;) {
      signal?.throwIfAborted();
      this.refill();
      if (this.tokens >= want) {
        this.tokens -= want;
        return;
      }
      const waitMs = Math.ceil(((want - this.tokens) / this.bytesPerSecond) * 1000);
      await new Promise((resolve) => setTimeout(resolve, Math.max(1, waitMs)));
    }
  }

  /** A body stream of `data` that releases bytes only as fast as the bucket allows. */
  stream(data: Uint8Array, signal?: AbortSignal): ReadableStream<Uint8Array> {
    const slice = Math.min(16 * 1024, this.capacity);
    let position = 0;
    return new ReadableStream<Uint8Array>({
      pull: async (controller) => {
        if (position >= data.byteLength) {
          controller.close();
          return;
        }
        const end = Math.min(data.byteLength, position + slice);
        await this.take(end - position, signal);
        controller.enqueue(data.slice(position, end));
        position = end;
      },
    });
  }
}
