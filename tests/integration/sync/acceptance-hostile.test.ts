/**
 * Hostile answers (issue #6): a small HTTP server of the test's own that enrols the desk properly and then
 * answers every sync request badly — broken JSON, a wrong shape, 50 MB, a body that never ends, a redirect to
 * another host, HTML instead of JSON. The engine must fail the attempt cleanly: no crash, no hang, nothing
 * sent to the other host, and the queue exactly as it was.
 */
import { randomBytes, randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { silentLogger } from '../../../electron/services/logging/logger';
import { openStore, type Store } from '../../../electron/services/store/store';
import { SyncEngine } from '../../../electron/services/sync/sync-engine';
import { queueInto } from '../../support/sync-fixtures';

type Mode =
  | 'malformed-json'
  | 'wrong-schema'
  | 'huge-body'
  | 'endless-body'
  | 'trickle-body'
  | 'redirect-other-host'
  | 'wrong-content-type';

const MODES: Mode[] = [
  'malformed-json',
  'wrong-schema',
  'huge-body',
  'endless-body',
  'redirect-other-host',
  'wrong-content-type',
  'trickle-body',
];
/** No single attempt may take longer than this, whatever the server does. */
/** The engine's answer timeout here (its default is 60 s: SYNC_HOSTILE_REQUEST_TIMEOUT_MS=0 keeps it). */
const REQUEST_TIMEOUT_MS = Number(process.env.SYNC_HOSTILE_REQUEST_TIMEOUT_MS ?? 5000);
/** No pass may take longer than this, whatever the server does (a pass stops at the first failed dossier). */
const ATTEMPT_LIMIT_MS = Number(process.env.SYNC_HOSTILE_LIMIT_MS ?? (REQUEST_TIMEOUT_MS || 60_000) + 25_000);
const HUGE_BYTES = 50 * 1024 * 1024;

async function listen(server: Server): Promise<number> {
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve()));
  return (server.address() as AddressInfo).port;
}

interface Hostile {
  url: string;
  mode: Mode;
  /** Bytes written in huge/endless bodies, and whether the client hung up before the end. */
  bodyBytes: number;
  clientHungUp: boolean;
  requests: string[];
  otherHostRequests: { method: string; url: string; signed: boolean }[];
  close(): Promise<void>;
}

async function startHostile(): Promise<Hostile> {
  const state: Hostile = {
    url: '',
    mode: 'malformed-json',
    bodyBytes: 0,
    clientHungUp: false,
    requests: [],
    otherHostRequests: [],
    close: async () => {},
  };
  const other = createServer((req, res) => {
    state.otherHostRequests.push({
      method: req.method ?? '',
      url: req.url ?? '',
      signed: req.headers['x-motcua-signature'] !== undefined,
    });
    res.writeHead(200, { 'content-type': 'application/json' }).end('{"ok":true}');
  });
  const otherPort = await listen(other);

  /** A JSON body of spaces after `{"DeskUuid":` — valid so far, never finished unless `total` is reached. */
  const streamBody = async (
    res: ServerResponse,
    total: number | null,
    pauseMs: number,
    pieceBytes: number,
  ) => {
    res.on('close', () => {
      if (!res.writableFinished) state.clientHungUp = true;
    });
    const piece = Buffer.alloc(pieceBytes, 0x20);
    res.write('{"DeskUuid":');
    while (!res.destroyed && (total === null || state.bodyBytes < total)) {
      const ok = res.write(piece);
      state.bodyBytes += piece.length;
      if (pauseMs > 0) await new Promise((resolve) => setTimeout(resolve, pauseMs));
      else if (!ok) await new Promise((resolve) => res.once('drain', resolve).once('close', resolve));
    }
    if (!res.destroyed) res.end('null}');
  };

  const server = createServer((req: IncomingMessage, res: ServerResponse) => {
    req.resume(); // read and drop whatever the desk sends
    const path = (req.url ?? '').split('?')[0] ?? '';
    state.requests.push(`${req.method} ${path}`);
    res.on('error', () => {});
    if (path === '/v1/health') {
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ ok: true, protocol: 'v1', serverTime: new Date().toISOString() }));
      return;
    }
    if (path === '/v1/enrol') {
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end(
        JSON.stringify({
          deviceId: randomUUID(),
          secret: randomBytes(32).toString('base64url'),
          MaCoQuan: '000.17.22.H56',
          deskSlot: 1,
          enrolledAt: new Date().toISOString(),
          clockSkewSeconds: 300,
        }),
      );
      return;
    }
    switch (state.mode) {
      case 'malformed-json':
        res
          .writeHead(200, { 'content-type': 'application/json' })
          .end('{"DeskUuid": "abc", "committed": tru');
        return;
      case 'wrong-schema':
        res
          .writeHead(200, { 'content-type': 'application/json' })
          .end(
            JSON.stringify({ committed: 'yes', files: 7, changes: 'none', nextCursor: null, revision: -1 }),
          );
        return;
      case 'huge-body':
        res.writeHead(200, { 'content-type': 'application/json', 'content-length': String(HUGE_BYTES + 17) });
        void streamBody(res, HUGE_BYTES, 0, 64 * 1024);
        return;
      case 'endless-body': // chunked, no length, fast: only a byte cap stops it
        res.writeHead(200, { 'content-type': 'application/json' });
        void streamBody(res, null, 20, 64 * 1024);
        return;
      case 'trickle-body': // a byte now and then: only a time limit stops it
        res.writeHead(200, { 'content-type': 'application/json' });
        void streamBody(res, null, 500, 1);
        return;
      case 'redirect-other-host':
        res.writeHead(307, { location: `http://localhost:${otherPort}${req.url ?? '/'}` }).end();
        return;
      case 'wrong-content-type':
        res
          .writeHead(200, { 'content-type': 'text/html; charset=utf-8' })
          .end('<!doctype html><html><body>Đăng nhập mạng nội bộ</body></html>');
        return;
    }
  });
  const port = await listen(server);
  state.url = `http://127.0.0.1:${port}`;
  state.close = async () => {
    server.closeAllConnections();
    other.closeAllConnections();
    await Promise.all([
      new Promise((resolve) => server.close(resolve)),
      new Promise((resolve) => other.close(resolve)),
    ]);
  };
  return state;
}

describe('sync against hostile answers', () => {
  let hostile: Hostile;
  let store: Store;
  let engine: SyncEngine;
  let dataDir: string;

  beforeAll(async () => {
    hostile = await startHostile();
    dataDir = mkdtempSync(join(tmpdir(), 'motcua-hostile-'));
    store = openStore(dataDir);
    engine = new SyncEngine({
      store,
      logger: silentLogger,
      deskName: 'Quầy thử',
      ...(REQUEST_TIMEOUT_MS > 0 ? { requestTimeoutMs: REQUEST_TIMEOUT_MS } : {}),
    });
    await engine.enrol(hostile.url, 'ABCD-EFGH-JKLM');
    await queueInto(store, 3, { pages: 2, components: 1, pageSize: 'small', seed: 51 });
  });

  afterAll(async () => {
    // Bounded: a hung engine must not hang the suite (the test that found it has already failed).
    await Promise.race([engine?.stop().catch(() => {}), new Promise((resolve) => setTimeout(resolve, 5000))]);
    await hostile?.close();
    store?.close();
    if (dataDir) rmSync(dataDir, { recursive: true, force: true });
  });

  const outbox = () =>
    store.db.prepare('SELECT id, dossier_id, status FROM outbox ORDER BY id').all() as {
      id: number;
      dossier_id: string;
      status: string;
    }[];

  for (const mode of MODES) {
    it(`fails cleanly on ${mode}, the queue intact`, { timeout: ATTEMPT_LIMIT_MS + 30_000 }, async () => {
      hostile.mode = mode;
      hostile.bodyBytes = 0;
      hostile.clientHungUp = false;
      hostile.requests = [];
      const before = outbox();
      expect(before).toHaveLength(3);

      const started = performance.now();
      let timer: NodeJS.Timeout | undefined;
      const outcome = await Promise.race([
        engine.syncOnce().then(
          (report) => ({ kind: 'returned' as const, report }),
          (error: Error) => ({ kind: 'threw' as const, error }),
        ),
        new Promise<{ kind: 'hung' }>((resolve) => {
          timer = setTimeout(() => resolve({ kind: 'hung' }), ATTEMPT_LIMIT_MS);
        }),
      ]);
      clearTimeout(timer);
      const ms = Math.round(performance.now() - started);
      const state = engine.state();
      console.info(
        `[hostile] ${mode}: ${outcome.kind} in ${ms} ms; requests ${hostile.requests.join(', ')}; body bytes ` +
          `written ${hostile.bodyBytes}; lastError ${JSON.stringify(state.lastError)}` +
          (outcome.kind === 'threw'
            ? `; error ${outcome.error.name}: ${outcome.error.message.slice(0, 200)}`
            : ''),
      );
      expect(outcome.kind).not.toBe('hung');
      // The hostile server reached: the engine really tried (else the test proves nothing).
      expect(hostile.requests.some((r) => !r.endsWith('/v1/health'))).toBe(true);
      if (outcome.kind === 'returned') {
        expect(outcome.report.pushed).toBe(0);
        expect(outcome.report.failed + outcome.report.parked).toBeGreaterThan(0);
      }
      expect(outbox()).toEqual(before);
      expect(state.pending).toBe(3);
      expect(state.lastError).not.toBeNull();
      expect(state.lastError?.clerkMessage).toMatch(/\S/);
      if (mode === 'huge-body' || mode === 'endless-body' || mode === 'trickle-body') {
        // The engine hung up: it did not sit on an open, unread answer.
        for (let i = 0; i < 30 && !hostile.clientHungUp; i++) await new Promise((r) => setTimeout(r, 100));
        expect(hostile.clientHungUp).toBe(true);
      }
      if (mode === 'huge-body') {
        // It stopped reading long before 50 MB.
        expect(hostile.bodyBytes).toBeLessThan(HUGE_BYTES);
      }
      if (mode === 'redirect-other-host') expect(hostile.otherHostRequests).toEqual([]);
    });
  }
});
