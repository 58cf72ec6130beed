/** Reading request bodies and writing responses, with limits and the per-request injected faults. */
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { ProtocolErrorCode } from '../../electron/services/sync/protocol';
import type { RequestFaults } from './faults';

/** An answer the handler chose; thrown to leave a handler early. */
export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: ProtocolErrorCode,
    message: string,
    readonly extra: Record<string, unknown> = {},
  ) {
    super(message);
    this.name = 'ApiError';
  }

  toResponse(): ApiResponse {
    return { status: this.status, json: { error: this.code, message: this.message, ...this.extra } };
  }
}

/** The connection was cut on purpose (fault injection) or by the peer: nothing may be answered. */
export class ConnectionDropped extends Error {
  constructor(reason: string) {
    super(reason);
    this.name = 'ConnectionDropped';
  }
}

export interface ApiResponse {
  status: number;
  headers?: Record<string, string>;
  json?: unknown;
  raw?: Buffer;
}

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/**
 * The request body as an async stream of chunks, metered: refuses more than `limit` bytes (413), cuts the
 * connection after `faults.dropRequestAfter` bytes, and paces reading to `faults.bytesPerSecond`.
 * On a cut, `onDrop: 'throw'` fails the read (a JSON request is then never applied); `'end'` ends the stream
 * cleanly after the bytes that did arrive, as a tus server keeps what it received before a client vanished.
 */
export async function* meteredBody(
  req: IncomingMessage,
  limit: number,
  faults: RequestFaults,
  onBytes: (n: number) => void = () => {},
  onDrop: 'throw' | 'end' = 'throw',
): AsyncGenerator<Buffer> {
  let total = 0;
  for await (const chunk of req as AsyncIterable<Buffer>) {
    let piece = chunk;
    const dropAt = faults.dropRequestAfter;
    const cut = dropAt !== undefined && total + piece.length >= dropAt;
    if (cut) piece = piece.subarray(0, Math.max(0, dropAt - total));
    total += piece.length;
    if (total > limit) {
      throw new ApiError(413, 'body-too-large', `request body exceeds ${limit} bytes`, { limit });
    }
    if (piece.length > 0) {
      onBytes(piece.length);
      if (faults.bytesPerSecond) await sleep((piece.length / faults.bytesPerSecond) * 1000);
      yield piece;
    }
    if (cut) {
      faults.fired.push(`drop-request@${dropAt}`);
      faults.requestDropped = true;
      req.socket.destroy();
      if (onDrop === 'throw') throw new ConnectionDropped(`request dropped after ${total} bytes`);
      return;
    }
  }
}

export async function readBody(
  req: IncomingMessage,
  limit: number,
  faults: RequestFaults,
  onBytes?: (n: number) => void,
): Promise<Buffer> {
  const declared = Number(req.headers['content-length'] ?? '0');
  if (Number.isFinite(declared) && declared > limit) {
    throw new ApiError(413, 'body-too-large', `request body of ${declared} bytes exceeds ${limit} bytes`, {
      limit,
    });
  }
  const chunks: Buffer[] = [];
  for await (const chunk of meteredBody(req, limit, faults, onBytes)) chunks.push(chunk);
  return Buffer.concat(chunks);
}

function encode(response: ApiResponse): { body: Buffer; headers: Record<string, string> } {
  const headers: Record<string, string> = { 'cache-control': 'no-store', ...response.headers };
  let body = response.raw ?? Buffer.alloc(0);
  if (response.json !== undefined) {
    body = Buffer.from(JSON.stringify(response.json), 'utf8');
    headers['content-type'] = 'application/json; charset=utf-8';
  }
  if (response.status !== 204 && response.status !== 304) headers['content-length'] = String(body.length);
  return { body, headers };
}

function writeAll(res: ServerResponse, data: Buffer): Promise<void> {
  return new Promise((resolve) => {
    if (data.length === 0 || res.write(data)) resolve();
    else res.once('drain', resolve);
  });
}

/** Writes the answer, applying delay, bandwidth and drop-after-N-bytes faults. */
export async function sendResponse(
  res: ServerResponse,
  response: ApiResponse,
  faults: RequestFaults,
): Promise<void> {
  if (res.destroyed || res.headersSent) return;
  const { body, headers } = encode(response);
  if (faults.delayMs) {
    faults.fired.push(`delay@${faults.delayMs}`);
    await sleep(faults.delayMs);
  }
  const dropAt = faults.dropResponseAfter;
  if (dropAt !== undefined) {
    faults.fired.push(`drop-response@${dropAt}`);
    // Never let a complete answer through: the client must not be able to tell whether the work was done.
    const cut = Math.min(dropAt, body.length - 1);
    if (cut < 0) {
      res.socket?.destroy();
      return;
    }
    res.writeHead(response.status, headers);
    await writeAll(res, body.subarray(0, cut));
    await new Promise<void>((resolve) => setImmediate(resolve));
    res.socket?.destroy();
    return;
  }
  res.writeHead(response.status, headers);
  if (faults.bytesPerSecond && body.length > 0) {
    faults.fired.push(`bandwidth@${faults.bytesPerSecond}`);
    const step = Math.max(1, Math.floor(faults.bytesPerSecond / 10));
    for (let offset = 0; offset < body.length; offset += step) {
      if (res.destroyed) return;
      await writeAll(res, body.subarray(offset, offset + step));
      if (offset + step < body.length) await sleep(100);
    }
    res.end();
    return;
  }
  res.end(body);
}
