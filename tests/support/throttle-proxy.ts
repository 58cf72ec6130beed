/**
 * A real TCP proxy (node:net) for sync tests and benchmarks: a slow, unreliable link in front of the
 * reference server. One token bucket per direction is shared by every connection, as one physical link
 * would be; connections can be cut at chosen upload offsets or at a seeded random rate; bytes are counted
 * each way as they leave the proxy.
 */
import { once } from 'node:events';
import { type AddressInfo, connect, createServer, type Server, type Socket } from 'node:net';
import { seededRandom } from './sync-fixtures';

export interface ThrottleProxyOptions {
  /** Where to forward (the reference server). */
  targetHost?: string;
  targetPort: number;
  /** Link rate per direction in bytes/s; null or undefined = unlimited. */
  bytesPerSecond?: number | null;
  /**
   * Cut the connection that carries the upload byte number N (counted over all connections, desk → server),
   * once per entry: the bytes before N are delivered, the rest is lost.
   */
  dropAtUpBytes?: number[];
  /** Probability, per 64 KiB forwarded towards the server, of cutting that connection (seeded). */
  dropRate?: number;
  /** At most this many random drops. Default unlimited. */
  maxRandomDrops?: number;
  seed?: number;
  /** Port to listen on; 0 (default) picks a free one. */
  port?: number;
}

export interface ProxyCounters {
  /** Bytes forwarded desk → server. */
  up: number;
  /** Bytes forwarded server → desk. */
  down: number;
  /** Bytes the proxy took from the desk (forwarded or lost in a cut): what the desk put on the link. */
  upReceived: number;
  /** Bytes the proxy took from the server. */
  downReceived: number;
  connections: number;
  drops: number;
}

export interface ThrottleProxy {
  url: string;
  port: number;
  counters(): ProxyCounters;
  /** Changes the link rate from now on (null = unlimited). */
  setRate(bytesPerSecond: number | null): void;
  /** Adds cut points (absolute upload byte numbers, as in `dropAtUpBytes`). */
  dropAt(...upBytes: number[]): void;
  close(): Promise<void>;
}

/** Token bucket; takers are served in arrival order so one busy connection cannot starve the others. */
class TokenBucket {
  private tokens = 0;
  private last = performance.now();
  private queue: Promise<void> = Promise.resolve();

  constructor(private rate: number | null) {
    this.tokens = this.burst();
  }

  /** 50 ms of the rate: small enough that short bursts do not beat the rate, large enough to keep TCP busy. */
  private burst(): number {
    return this.rate === null ? Number.POSITIVE_INFINITY : Math.max(1024, this.rate / 20);
  }

  setRate(rate: number | null): void {
    this.rate = rate;
    this.tokens = Math.min(this.tokens, this.burst());
  }

  /** Largest piece worth asking for at once. */
  pieceSize(): number {
    return this.rate === null ? 64 * 1024 : Math.max(512, Math.floor(this.burst() / 2));
  }

  take(n: number): Promise<void> {
    const turn = this.queue.then(() => this.wait(n));
    this.queue = turn.catch(() => {});
    return turn;
  }

  private async wait(n: number): Promise<void> {
    for (;;) {
      if (this.rate === null) return;
      const now = performance.now();
      this.tokens = Math.min(this.burst(), this.tokens + ((now - this.last) / 1000) * this.rate);
      this.last = now;
      if (this.tokens >= n) {
        this.tokens -= n;
        return;
      }
      const ms = ((n - this.tokens) / this.rate) * 1000;
      await new Promise((resolve) => setTimeout(resolve, Math.max(1, Math.ceil(ms))));
    }
  }
}

const DROP_UNIT = 64 * 1024;

export async function startThrottleProxy(options: ThrottleProxyOptions): Promise<ThrottleProxy> {
  const targetHost = options.targetHost ?? '127.0.0.1';
  const upBucket = new TokenBucket(options.bytesPerSecond ?? null);
  const downBucket = new TokenBucket(options.bytesPerSecond ?? null);
  const counters: ProxyCounters = {
    up: 0,
    down: 0,
    upReceived: 0,
    downReceived: 0,
    connections: 0,
    drops: 0,
  };
  const cutPoints = [...(options.dropAtUpBytes ?? [])].sort((a, b) => a - b);
  const random = seededRandom(options.seed ?? 1);
  const dropRate = options.dropRate ?? 0;
  let randomDrops = 0;
  let sinceDropCheck = 0;
  const sockets = new Set<Socket>();

  /** How many of `n` up bytes may pass before a cut; `n` when none is due. */
  const upAllowance = (n: number): { pass: number; cut: boolean } => {
    const next = cutPoints[0];
    if (next !== undefined && counters.up + n >= next) {
      cutPoints.shift();
      return { pass: Math.max(0, next - counters.up), cut: true };
    }
    sinceDropCheck += n;
    if (dropRate > 0 && sinceDropCheck >= DROP_UNIT) {
      const units = Math.floor(sinceDropCheck / DROP_UNIT);
      sinceDropCheck -= units * DROP_UNIT;
      for (let i = 0; i < units; i++) {
        if (options.maxRandomDrops !== undefined && randomDrops >= options.maxRandomDrops) break;
        if (random() < dropRate) {
          randomDrops += 1;
          return { pass: Math.floor(n / 2), cut: true };
        }
      }
    }
    return { pass: n, cut: false };
  };

  const pump = async (from: Socket, to: Socket, direction: 'up' | 'down', cut: () => void) => {
    const bucket = direction === 'up' ? upBucket : downBucket;
    try {
      for await (const chunk of from as AsyncIterable<Buffer>) {
        counters[direction === 'up' ? 'upReceived' : 'downReceived'] += chunk.length;
        for (let offset = 0; offset < chunk.length; ) {
          let piece = chunk.subarray(offset, offset + bucket.pieceSize());
          offset += piece.length;
          await bucket.take(piece.length);
          let cutNow = false;
          if (direction === 'up') {
            const allowance = upAllowance(piece.length);
            piece = piece.subarray(0, allowance.pass);
            cutNow = allowance.cut;
          }
          if (to.destroyed) return;
          if (piece.length > 0) {
            counters[direction] += piece.length;
            if (!to.write(piece)) await Promise.race([once(to, 'drain'), once(to, 'close')]);
          }
          if (cutNow) {
            counters.drops += 1;
            // Let the delivered part reach the server before the reset, as a real link cut would.
            await new Promise((resolve) => setTimeout(resolve, 20));
            cut();
            return;
          }
        }
      }
      to.end();
    } catch {
      cut();
    }
  };

  const server: Server = createServer({ pauseOnConnect: true }, (client) => {
    counters.connections += 1;
    const upstream = connect({ host: targetHost, port: options.targetPort });
    sockets.add(client);
    sockets.add(upstream);
    const cut = () => {
      client.destroy();
      upstream.destroy();
    };
    client.on('error', cut);
    upstream.on('error', cut);
    client.on('close', () => {
      sockets.delete(client);
      upstream.destroy();
    });
    // A normal end is passed on by the pump once every byte is through; only bookkeeping here.
    upstream.on('close', () => sockets.delete(upstream));
    upstream.once('connect', () => {
      client.resume();
      void pump(client, upstream, 'up', cut);
      void pump(upstream, client, 'down', cut);
    });
  });
  server.listen(options.port ?? 0, '127.0.0.1');
  await once(server, 'listening');
  const port = (server.address() as AddressInfo).port;

  return {
    url: `http://127.0.0.1:${port}`,
    port,
    counters: () => ({ ...counters }),
    setRate: (rate) => {
      upBucket.setRate(rate);
      downBucket.setRate(rate);
    },
    dropAt: (...upBytes) => {
      cutPoints.push(...upBytes);
      cutPoints.sort((a, b) => a - b);
    },
    close: () =>
      new Promise<void>((resolve) => {
        for (const socket of sockets) socket.destroy();
        server.close(() => resolve());
      }),
  };
}
