/**
 * The reference provincial server: plain node:http + @tus/server, its own SQLite and files under dataDir,
 * signed-request authentication, limits, and switchable fault injection. Tests run it in-process through
 * startProvincialServer(); `npm run provincial-server` runs it as a process (server.ts).
 */
import { randomBytes } from 'node:crypto';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { resolve } from 'node:path';
import type { Server as TusServer } from '@tus/server';
import { createLogger, type Logger } from '../../electron/services/logging/logger';
import { LIMITS, sha256OfBody } from '../../electron/services/sync/protocol';
import { adminRoutes } from './admin-routes';
import { apiRoutes } from './api-routes';
import { authenticateDevice, requireAdmin } from './auth';
import { openProvincialDb } from './db';
import { issueEnrolCode } from './enrolment';
import { FaultController, noFaults, type RequestFaults } from './faults';
import { heartbeatRoutes } from './heartbeats';
import { ApiError, type ApiResponse, ConnectionDropped, readBody, sendResponse } from './http-io';
import { RequestLog, type RequestLogEntry } from './request-log';
import type { Route } from './router';
import type { ServerState } from './state';
import { createTusServer, handleUpload, isUploadPath } from './uploads';

export interface ProvincialServerOptions {
  dataDir: string;
  /** 0 (default) picks a free port. */
  port?: number;
  /** Default 127.0.0.1: the reference server is for tests and demos, not for a network. */
  host?: string;
  faults?: string;
  /** Random when omitted; returned in `adminToken`. */
  adminToken?: string;
  /** One-time codes registered at start (kept if already present in dataDir). */
  enrolCodes?: string[];
  /** MaCoQuan of the receiving agency. Default 000.17.22.H56. */
  agencyCode?: string;
  clock?: () => Date;
  logger?: Logger;
  maxJsonBytes?: number;
  maxFileBytes?: number;
  maxAdminBytes?: number;
}

export interface ProvincialServer {
  url: string;
  port: number;
  adminToken: string;
  /** Same controller as the admin endpoint: tests may set faults directly. */
  faults: FaultController;
  requests: RequestLog;
  close(): Promise<void>;
}

const EMPTY_SHA256 = sha256OfBody(null);
const DISCARD_LIMIT_BYTES = 8 * 1024 * 1024;
const DISCARD_LIMIT_MS = 2000;

/** Reads and drops what is left of a refused body, up to a byte and time budget. */
async function discardBody(req: IncomingMessage, maxBytes: number, maxMs: number): Promise<void> {
  let seen = 0;
  const drain = (async () => {
    for await (const chunk of req as AsyncIterable<Buffer>) {
      seen += chunk.length;
      if (seen > maxBytes) return;
    }
  })().catch(() => {});
  let timer: NodeJS.Timeout | undefined;
  await Promise.race([drain, new Promise<void>((r) => (timer = setTimeout(r, maxMs)))]);
  clearTimeout(timer);
}
const ROUTES: Route[] = [...apiRoutes, ...adminRoutes, ...heartbeatRoutes];

function findRoute(method: string, pathname: string): { route: Route; params: string[] } {
  let pathMatched = false;
  for (const route of ROUTES) {
    const match = route.pattern.exec(pathname);
    if (!match) continue;
    pathMatched = true;
    if (route.method === method) return { route, params: match.slice(1) };
  }
  if (pathMatched) throw new ApiError(405, 'method-not-allowed', `${method} not allowed here`);
  throw new ApiError(404, 'not-found', 'no such endpoint');
}

function errorResponse(state: ServerState, error: unknown): ApiResponse | null {
  if (error instanceof ConnectionDropped) return null;
  if (error instanceof ApiError) return error.toResponse();
  const err = error as Error & { code?: string };
  // A client that went away mid-body is not a server error; there is no one to answer.
  if (
    err?.code === 'ECONNRESET' ||
    err?.code === 'ERR_STREAM_PREMATURE_CLOSE' ||
    err?.message === 'aborted'
  ) {
    return null;
  }
  state.logger.error('request.failed', {
    error: err?.name ?? 'unknown',
    detail: err?.message?.slice(0, 300),
  });
  return { status: 500, json: { error: 'internal', message: 'internal server error' } };
}

async function dispatch(
  state: ServerState,
  tus: TusServer,
  req: IncomingMessage,
  entry: RequestLogEntry,
  faults: RequestFaults,
  url: URL,
): Promise<ApiResponse> {
  const method = req.method ?? 'GET';
  const target = req.url ?? '/';
  const countBytes = (n: number) => {
    entry.requestBytes += n;
  };
  if (faults.errorStatus) {
    faults.fired.push(`error@${faults.errorStatus}`);
    return {
      status: faults.errorStatus,
      headers: { 'retry-after': '1' },
      json: { error: 'injected-fault', message: `injected ${faults.errorStatus}` },
    };
  }
  if (isUploadPath(url.pathname)) {
    const device = authenticateDevice(state.db, {
      method,
      target,
      headers: req.headers,
      bodySha256: method === 'PATCH' ? null : EMPTY_SHA256,
      now: state.clock(),
    });
    entry.deviceId = device.id;
    entry.applied = 1;
    return handleUpload(state, tus, req, url.pathname, device, faults, countBytes);
  }

  const { route, params } = findRoute(method, url.pathname);
  if (route.auth === 'admin') requireAdmin(req.headers, state.adminToken);
  const limit = route.maxBodyBytes ?? (route.auth === 'admin' ? state.maxAdminBytes : state.maxJsonBytes);
  const body = await readBody(req, limit, faults, countBytes);
  const device =
    route.auth === 'device'
      ? authenticateDevice(state.db, {
          method,
          target,
          headers: req.headers,
          bodySha256: sha256OfBody(body),
          now: state.clock(),
        })
      : null;
  entry.deviceId = device?.id ?? null;
  const ctx = { state, req, url, params, body, device, faults };
  entry.applied = 1;
  let response = await route.handle(ctx);
  if (faults.duplicate === 'apply') {
    // The same delivery processed twice, as a retrying proxy or a double-submitting gateway would.
    faults.fired.push('duplicate-apply');
    entry.applied = 2;
    try {
      response = await route.handle(ctx);
    } catch (error) {
      if (!(error instanceof ApiError)) throw error;
      response = error.toResponse();
    }
  }
  return response;
}

export async function startProvincialServer(options: ProvincialServerOptions): Promise<ProvincialServer> {
  const dataDir = resolve(options.dataDir);
  const db = openProvincialDb(dataDir);
  const state: ServerState = {
    db,
    dataDir,
    clock: options.clock ?? (() => new Date()),
    logger: options.logger ?? createLogger({ scope: 'provincial', echo: true }),
    faults: new FaultController(options.faults ?? ''),
    adminToken: options.adminToken ?? randomBytes(24).toString('base64url'),
    agencyCode: options.agencyCode ?? '000.17.22.H56',
    maxJsonBytes: options.maxJsonBytes ?? LIMITS.jsonBodyBytes,
    maxFileBytes: options.maxFileBytes ?? LIMITS.fileBytes,
    maxAdminBytes: options.maxAdminBytes ?? 16 * 1024 * 1024,
    requests: new RequestLog(),
  };
  for (const code of options.enrolCodes ?? []) {
    try {
      issueEnrolCode(state, { code });
    } catch (error) {
      // Already registered in a previous run with the same data dir: keep it (used or not).
      if (!(error instanceof ApiError && error.status === 409)) throw error;
    }
  }
  const tus = createTusServer(state);

  const onRequest = async (req: IncomingMessage, res: ServerResponse) => {
    const started = performance.now();
    const method = req.method ?? 'GET';
    const target = req.url ?? '/';
    req.on('error', () => {}); // a peer reset surfaces through the body reader; never crash the server
    res.on('error', () => {});
    let url: URL | null = null;
    if (target.startsWith('/') && target.length <= 2048) {
      try {
        url = new URL(target, 'http://provincial.invalid');
      } catch {
        url = null;
      }
    }
    const offsetHeader = req.headers['upload-offset'];
    const entry = state.requests.start(
      method,
      url?.pathname ?? '(invalid)',
      method === 'PATCH' && typeof offsetHeader === 'string' && /^\d{1,16}$/.test(offsetHeader)
        ? Number(offsetHeader)
        : null,
    );
    const admin = url?.pathname.startsWith('/v1/admin/') ?? true;
    const faults = url && !admin ? state.faults.select(method, url.pathname) : noFaults();
    entry.faults = faults.fired; // the same array: faults that fire while answering show up too
    let response: ApiResponse | null;
    try {
      if (!url) throw new ApiError(400, 'bad-request', 'bad request target');
      response = await dispatch(state, tus, req, entry, faults, url);
    } catch (error) {
      response = errorResponse(state, error);
    }
    if (faults.requestDropped) response = null;
    entry.status = response?.status ?? null;
    if (response) {
      if (!req.complete) {
        // A client still sending would see a reset instead of our answer: swallow a bounded amount first.
        if (response.status === 413) await discardBody(req, DISCARD_LIMIT_BYTES, DISCARD_LIMIT_MS);
        // An unread body would be parsed as the next request: close instead.
        response.headers = { ...response.headers, connection: 'close' };
      }
      await sendResponse(res, response, faults);
    } else if (!res.destroyed) {
      res.socket?.destroy();
    }
    entry.ms = Math.round(performance.now() - started);
  };

  const server = createServer(
    {
      maxHeaderSize: LIMITS.headerBytes,
      headersTimeout: 30_000,
      requestTimeout: 10 * 60_000,
      keepAliveTimeout: 5_000,
    },
    (req, res) => {
      onRequest(req, res).catch((error: Error) => {
        state.logger.error('request.crashed', { error: error.name, detail: error.message.slice(0, 300) });
        res.destroy();
      });
    },
  );
  await new Promise<void>((resolveListen, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, options.host ?? '127.0.0.1', () => resolveListen());
  });
  const address = server.address() as AddressInfo;
  const host = address.family === 'IPv6' ? `[${address.address}]` : address.address;
  state.logger.info('server.listening', { port: address.port });

  return {
    url: `http://${host}:${address.port}`,
    port: address.port,
    adminToken: state.adminToken,
    faults: state.faults,
    requests: state.requests,
    close: () =>
      new Promise<void>((resolveClose) => {
        server.close(() => {
          db.close();
          resolveClose();
        });
        server.closeAllConnections();
      }),
  };
}
