/**
 * The engine's HTTP side: every request signed (fresh nonce per attempt), every answer read with a byte cap
 * and a timeout, and every failure turned into a SyncError that says whether to retry, park or stop.
 * A malformed, oversized or hostile answer is an error for that attempt, never a crash.
 */
import { ErrorBody, signRequest, UNSIGNED_PAYLOAD } from './protocol';
import { SyncError, syncError } from './sync-errors';

/** Answers the desk reads are small JSON; anything bigger is not an answer we asked for. */
export const MAX_ANSWER_BYTES = 1024 * 1024;
/** How long one request may take, answer body included, unless the caller says otherwise. */
export const DEFAULT_TIMEOUT_MS = 60_000;

export interface Credentials {
  serverUrl: string;
  deviceId: string;
  secret: string;
}

export interface Answer {
  status: number;
  headers: Headers;
  body: Uint8Array;
  /** Parsed JSON, or undefined when the body is empty or not JSON. */
  json: unknown;
}

export interface RequestOptions {
  json?: unknown;
  /** Raw body (tus PATCH): signed as UNSIGNED-PAYLOAD; its bytes are bound to the declared SHA-256. */
  raw?: Uint8Array | ReadableStream<Uint8Array>;
  rawLength?: number;
  headers?: Record<string, string>;
  tus?: { length?: string; offset?: string; metadata?: string };
  signal?: AbortSignal;
  /** Largest answer body accepted; default 1 MiB. */
  maxBytes?: number;
  /** The whole request, answer included (the transfer timeout); default 60 s. */
  timeoutMs?: number;
  /**
   * Longest silence of the server after the request is sent, when longer than the transport's (10 s by
   * default, config sync.firstByteTimeoutMs): the last tus PATCH, answered once the server hashed the file.
   */
  firstByteTimeoutMs?: number;
  /** Enrolment and health are not signed. */
  unsigned?: boolean;
}

export function isAbort(error: unknown): boolean {
  return (error as Error)?.name === 'AbortError';
}

/** Reads at most `maxBytes` of the body; more is a bad answer (the rest is cancelled, never buffered). */
async function readCapped(
  response: Response,
  maxBytes: number,
  deadline: Promise<never>,
): Promise<Uint8Array> {
  const declared = Number(response.headers.get('content-length') ?? 'NaN');
  if (Number.isFinite(declared) && declared > maxBytes) {
    await response.body?.cancel().catch(() => {});
    throw syncError('bad-answer', 'retry', `answer of ${declared} bytes exceeds ${maxBytes}`);
  }
  if (!response.body) return new Uint8Array(0);
  const reader = response.body.getReader();
  const chunks: Uint8Array[] = [];
  let total = 0;
  for (;;) {
    let chunk: ReadableStreamReadResult<Uint8Array>;
    try {
      chunk = await Promise.race([reader.read(), deadline]);
    } catch (error) {
      // Cancelling the reader closes the connection, whatever became of fetch's own abort wiring.
      await reader.cancel().catch(() => {});
      throw error;
    }
    const { done, value } = chunk;
    if (done) break;
    total += value.byteLength;
    if (total > maxBytes) {
      await reader.cancel().catch(() => {});
      throw syncError('bad-answer', 'retry', `answer longer than ${maxBytes} bytes`);
    }
    chunks.push(value);
  }
  return Buffer.concat(chunks);
}

export class SyncHttp {
  constructor(
    private readonly credentials: Credentials | null,
    private readonly serverUrl: string,
    private readonly fetchImpl: typeof fetch,
    private readonly clock: () => Date,
    private readonly timeoutMs = DEFAULT_TIMEOUT_MS,
  ) {}

  /** Absolute URL of a server path; the server is addressed at its origin (targets are signed as sent). */
  url(target: string): URL {
    const url = new URL(target, this.serverUrl);
    const base = new URL(this.serverUrl);
    // A Location or contentPath from the server must stay on the same server.
    if (url.origin !== base.origin) {
      throw syncError('bad-answer', 'retry', `server pointed to another origin ${url.origin}`);
    }
    return url;
  }

  async request(method: string, target: string, options: RequestOptions = {}): Promise<Answer> {
    const url = this.url(target);
    const signedTarget = `${url.pathname}${url.search}`;
    const headers: Record<string, string> = { ...(options.headers ?? {}) };
    let body: BodyInit | undefined;
    let bodyText: string | null = null;
    if (options.json !== undefined) {
      bodyText = JSON.stringify(options.json);
      body = bodyText;
      headers['content-type'] = 'application/json';
    } else if (options.raw !== undefined) {
      body = options.raw as BodyInit;
      if (options.rawLength !== undefined) headers['content-length'] = String(options.rawLength);
    }
    if (options.tus?.length !== undefined) headers['upload-length'] = options.tus.length;
    if (options.tus?.offset !== undefined) headers['upload-offset'] = options.tus.offset;
    if (options.tus?.metadata !== undefined) headers['upload-metadata'] = options.tus.metadata;
    if (!options.unsigned) {
      if (!this.credentials) throw syncError('not-enrolled', 'stop', 'no device credentials');
      Object.assign(
        headers,
        signRequest({
          deviceId: this.credentials.deviceId,
          secret: this.credentials.secret,
          method,
          target: signedTarget,
          ...(options.raw !== undefined ? { contentSha256: UNSIGNED_PAYLOAD } : { body: bodyText }),
          uploadLength: options.tus?.length,
          uploadOffset: options.tus?.offset,
          uploadMetadata: options.tus?.metadata,
          now: this.clock(),
        }),
      );
    }
    // Our own timer and our own race, not only fetch's signal: undici holds its side of the abort wiring
    // weakly, and after a garbage collection an abort during a slow answer body can go unheard.
    const controller = new AbortController();
    const deadline = new Promise<never>((_, reject) => {
      controller.signal.addEventListener('abort', () => reject(controller.signal.reason), { once: true });
    });
    deadline.catch(() => {});
    const timer = setTimeout(
      () => controller.abort(new DOMException('request timed out', 'TimeoutError')),
      options.timeoutMs ?? this.timeoutMs,
    );
    const onAbort = () => controller.abort(options.signal?.reason);
    if (options.signal?.aborted) onAbort();
    else options.signal?.addEventListener('abort', onAbort, { once: true });
    let bytes: Uint8Array;
    let status: number;
    let responseHeaders: Headers;
    try {
      let response: Response;
      try {
        const pending = this.fetchImpl(url, {
          method,
          headers,
          body,
          signal: controller.signal,
          redirect: 'error',
          ...(options.firstByteTimeoutMs !== undefined
            ? { firstByteTimeoutMs: options.firstByteTimeoutMs }
            : {}),
          ...(options.raw instanceof ReadableStream ? { duplex: 'half' } : {}),
        } as RequestInit);
        // If the deadline wins, an answer arriving later is dropped unread.
        pending.then(
          (late) => {
            if (controller.signal.aborted) late.body?.cancel().catch(() => {});
          },
          () => {},
        );
        response = await Promise.race([pending, deadline]);
      } catch (error) {
        if (options.signal?.aborted) throw options.signal.reason ?? error;
        const cause = (error as { cause?: { code?: string } }).cause?.code ?? (error as Error).name;
        throw syncError('network', 'retry', `${method} ${url.pathname}: ${cause}`);
      }
      status = response.status;
      responseHeaders = response.headers;
      try {
        bytes = await readCapped(response, options.maxBytes ?? MAX_ANSWER_BYTES, deadline);
      } catch (error) {
        if (error instanceof SyncError) throw error;
        if (options.signal?.aborted) throw options.signal.reason ?? error;
        throw syncError(
          'network',
          'retry',
          `${method} ${url.pathname}: answer cut (${(error as Error).name})`,
        );
      }
    } finally {
      clearTimeout(timer);
      options.signal?.removeEventListener('abort', onAbort);
    }
    let json: unknown;
    if (bytes.byteLength > 0) {
      try {
        json = JSON.parse(Buffer.from(bytes).toString('utf8'));
      } catch {
        json = undefined;
      }
    }
    return { status, headers: responseHeaders, body: bytes, json };
  }
}

/** The error code of a non-2xx JSON answer, if it has the protocol's shape. */
export function errorCodeOf(answer: Answer): string | null {
  const parsed = ErrorBody.safeParse(answer.json);
  return parsed.success ? parsed.data.error : null;
}

/**
 * The failures every endpoint shares (retry table of PROTOCOL.md): 5xx/429 retry; stale clock, bad
 * credentials and revocation stop. Null for the answers the caller must judge (400, 404, 409, 413, 460…).
 */
export function commonFailure(answer: Answer, what: string, clock: () => Date): SyncError | null {
  const { status } = answer;
  const code = errorCodeOf(answer);
  if (status >= 500 || status === 429 || status === 408) {
    return syncError('server-busy', 'retry', `${what}: HTTP ${status} ${code ?? ''}`.trim(), {}, status);
  }
  if (status === 401) {
    if (code === 'auth-stale-timestamp') {
      const serverTime = (answer.json as { serverTime?: unknown }).serverTime;
      const seconds =
        typeof serverTime === 'number' ? Math.round(clock().getTime() / 1000 - serverTime) : '?';
      return syncError('clock-skew', 'stop', `${what}: clock skew ${seconds} s`, { seconds }, status);
    }
    // A replayed nonce means our earlier attempt did reach the server: a fresh nonce fixes it.
    if (code === 'auth-replayed-nonce') return syncError('server-busy', 'retry', `${what}: replayed nonce`);
    return syncError('bad-credentials', 'stop', `${what}: HTTP 401 ${code ?? ''}`.trim(), {}, status);
  }
  if (status === 403) {
    if (code === 'device-revoked') return syncError('revoked', 'stop', `${what}: device revoked`, {}, status);
    return syncError('bad-credentials', 'stop', `${what}: HTTP 403 ${code ?? ''}`.trim(), {}, status);
  }
  return null;
}

/** An answer the caller did not expect: retried (the server may be mid-deploy), logged with its status. */
export function unexpected(answer: Answer, what: string): SyncError {
  return syncError(
    'bad-answer',
    'retry',
    `${what}: unexpected HTTP ${answer.status} ${errorCodeOf(answer) ?? ''}`.trim(),
  );
}
