import { randomBytes, timingSafeEqual } from 'node:crypto';
import { createReadStream, existsSync, readFileSync, statSync } from 'node:fs';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { extname, join, normalize, sep } from 'node:path';
import { WebSocketServer } from 'ws';
import {
  DESK_CALL_NAMES,
  type DeskCallName,
  HOST_TOKEN_HEADER,
  HTTP_CALL_PREFIX,
  WS_EVENTS_PATH,
} from '../api/desk-api';
import type { Desk } from '../services/desk/desk';
import { CONTENT_SECURITY_POLICY, RENDERER_MIME_TYPES } from './security-headers';

export interface WebHostOptions {
  desk: Desk;
  /** Built renderer (vite build output). */
  rendererDir: string;
  /** 0 picks a free port. */
  port?: number;
  /** Per-run secret; generated when omitted. */
  token?: string;
}

export interface WebHost {
  url: string;
  token: string;
  close(): Promise<void>;
}

const MAX_BODY_BYTES = 1024 * 1024;
/** Calls that carry files (base64 page images) may be larger. */
const MAX_BODY_BYTES_BY_CALL: Partial<Record<DeskCallName, number>> = { importPages: 64 * 1024 * 1024 };
const TOKEN_META = '<meta name="desk-token" content="%TOKEN%" />';

function sameSecret(a: string, b: string): boolean {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
}

function send(
  res: ServerResponse,
  status: number,
  body: string,
  type = 'application/json; charset=utf-8',
): void {
  res.writeHead(status, {
    'content-type': type,
    'cache-control': 'no-store',
    'x-content-type-options': 'nosniff',
  });
  res.end(body);
}

async function readBody(req: IncomingMessage, limit: number): Promise<string> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    size += (chunk as Buffer).length;
    if (size > limit) {
      // Stop reading: the rest of the upload is not wanted, and the socket must not be reused mid-body.
      req.socket.setKeepAlive(false);
      throw Object.assign(new Error('body too large'), { status: 413 });
    }
    chunks.push(chunk as Buffer);
  }
  return Buffer.concat(chunks).toString('utf8');
}

/**
 * Serves the built renderer and the desk API over HTTP + WebSocket on 127.0.0.1 only, for the browser build
 * and Playwright. Every API request carries the per-run token; the Host header is checked so a web page
 * that rebinds its DNS name to 127.0.0.1 cannot reach the desk.
 */
export async function startWebHost(options: WebHostOptions): Promise<WebHost> {
  const token = options.token ?? randomBytes(24).toString('base64url');
  const indexPath = join(options.rendererDir, 'index.html');
  if (!existsSync(indexPath))
    throw new Error(`renderer not built: ${indexPath} is missing (run npm run build:renderer)`);
  let allowedHosts = new Set<string>();

  const server: Server = createServer(async (req, res) => {
    try {
      if (!allowedHosts.has(req.headers.host ?? '')) return send(res, 421, '{"error":"misdirected request"}');
      const url = new URL(req.url ?? '/', 'http://127.0.0.1');
      if (url.pathname.startsWith(HTTP_CALL_PREFIX)) return await handleCall(req, res, url.pathname);
      if (req.method !== 'GET' && req.method !== 'HEAD')
        return send(res, 405, '{"error":"method not allowed"}');
      return serveStatic(res, url.pathname);
    } catch (error) {
      const status = (error as { status?: number }).status ?? 500;
      options.desk.logger.warn('host.request-failed', { status, error: (error as Error).message });
      if (!res.headersSent) {
        res.setHeader('connection', 'close');
        send(
          res,
          status,
          JSON.stringify({ error: status === 413 ? 'too large' : status === 400 ? 'bad request' : 'failed' }),
        );
      }
    }
  });

  async function handleCall(req: IncomingMessage, res: ServerResponse, pathname: string) {
    if (req.method !== 'POST') return send(res, 405, '{"error":"method not allowed"}');
    if (!sameSecret(String(req.headers[HOST_TOKEN_HEADER] ?? ''), token))
      return send(res, 401, '{"error":"bad token"}');
    if (!String(req.headers['content-type'] ?? '').startsWith('application/json')) {
      return send(res, 415, '{"error":"expected application/json"}');
    }
    const name = pathname.slice(HTTP_CALL_PREFIX.length);
    if (!(DESK_CALL_NAMES as readonly string[]).includes(name))
      return send(res, 404, '{"error":"unknown call"}');
    const body = await readBody(req, MAX_BODY_BYTES_BY_CALL[name as DeskCallName] ?? MAX_BODY_BYTES);
    let input: unknown;
    try {
      input = body.length === 0 ? null : JSON.parse(body);
    } catch {
      return send(res, 400, '{"error":"invalid JSON"}');
    }
    const result = await options.desk.call(name as DeskCallName, input);
    send(res, 200, JSON.stringify(result));
  }

  function serveStatic(res: ServerResponse, pathname: string) {
    let decoded: string;
    try {
      decoded = decodeURIComponent(pathname);
    } catch {
      throw Object.assign(new Error('malformed path'), { status: 400 });
    }
    const relative = normalize(decoded).replace(/^([/\\])+/, '');
    const file = join(options.rendererDir, relative);
    const inside = file === options.rendererDir || file.startsWith(options.rendererDir + sep);
    const isFile = inside && existsSync(file) && statSync(file).isFile();
    const headers = {
      'content-security-policy': CONTENT_SECURITY_POLICY,
      'x-content-type-options': 'nosniff',
      'referrer-policy': 'no-referrer',
      'cache-control': 'no-store',
    };
    if (!isFile || file === indexPath) {
      // The single-page app: every unknown path gets index.html, with the per-run token for its API calls.
      const html = readFileSync(indexPath, 'utf8').replace(
        '</head>',
        `${TOKEN_META.replace('%TOKEN%', token)}</head>`,
      );
      res.writeHead(200, { ...headers, 'content-type': RENDERER_MIME_TYPES['.html'] });
      return res.end(html);
    }
    res.writeHead(200, {
      ...headers,
      'content-type': RENDERER_MIME_TYPES[extname(file)] ?? 'application/octet-stream',
    });
    createReadStream(file).pipe(res);
  }

  const sockets = new WebSocketServer({ noServer: true, maxPayload: 4096 });
  server.on('upgrade', (req, socket, head) => {
    const url = new URL(req.url ?? '/', 'http://127.0.0.1');
    const ok =
      url.pathname === WS_EVENTS_PATH &&
      allowedHosts.has(req.headers.host ?? '') &&
      sameSecret(url.searchParams.get('token') ?? '', token);
    if (!ok) {
      socket.end('HTTP/1.1 401 Unauthorized\r\n\r\n');
      return;
    }
    sockets.handleUpgrade(req, socket, head, (ws) => {
      const unsubscribe = options.desk.events.subscribe((event, payload) =>
        ws.send(JSON.stringify({ event, payload })),
      );
      ws.on('close', unsubscribe);
    });
  });

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, '127.0.0.1', resolve);
  });
  const { port } = server.address() as AddressInfo;
  allowedHosts = new Set([`127.0.0.1:${port}`, `localhost:${port}`]);
  return {
    url: `http://127.0.0.1:${port}/`,
    token,
    close: () =>
      new Promise<void>((resolve) => {
        for (const client of sockets.clients) client.terminate();
        sockets.close();
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
