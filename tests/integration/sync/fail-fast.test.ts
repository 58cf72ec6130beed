/**
 * Sync that fails fast (issue 17): a proxy that accepts the connection for a server that is down, or a server
 * that sends its headers and then stalls, costs an attempt seconds (connect 5 s, first byte 10 s by default),
 * not the 60 s transfer timeout; the dossier stays queued and goes once the real server answers.
 * MOTCUA_PROVINCIAL_URL wins over the enrolled address; a bad value is a Vietnamese ConfigError.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer, type Server, type Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { vi } from '../../../electron/api/i18n';
import { ConfigError, deskConfigSchema } from '../../../electron/services/config/config';
import { silentLogger } from '../../../electron/services/logging/logger';
import {
  createSyncFetch,
  ProvincialTimeoutError,
} from '../../../electron/services/security/provincial-fetch';
import { openStore, type Store } from '../../../electron/services/store/store';
import { syncEngineFromConfig } from '../../../electron/services/sync/engine-from-config';
import { issueEnrolCode, queueInto, startSyncServer } from '../../support/sync-fixtures';

const cleanup: (() => Promise<void> | void)[] = [];
afterAll(async () => {
  for (const step of cleanup.reverse()) await step();
});

/** A TCP server on 127.0.0.1 that accepts and then does `behave` (never answer, or answer half). */
async function tcpServer(behave: (socket: Socket) => void): Promise<{ url: string; accepted: () => number }> {
  const sockets = new Set<Socket>();
  let accepted = 0;
  const server: Server = createServer((socket) => {
    accepted += 1;
    sockets.add(socket);
    socket.on('error', () => {});
    socket.on('close', () => sockets.delete(socket));
    behave(socket);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  cleanup.push(
    () =>
      new Promise<void>((resolve) => {
        for (const socket of sockets) socket.destroy();
        server.close(() => resolve());
      }),
  );
  const { port } = server.address() as { port: number };
  return { url: `http://127.0.0.1:${port}`, accepted: () => accepted };
}

const silent = () => tcpServer(() => {});
// Headers and the start of a JSON body, then nothing: the link died mid-answer behind a proxy.
const stalling = () =>
  tcpServer((socket) => {
    socket.once('data', () =>
      socket.write('HTTP/1.1 200 OK\r\ncontent-type: application/json\r\ncontent-length: 400\r\n\r\n{"chan'),
    );
  });

const defaults = deskConfigSchema.parse({});

describe('sync fails fast', () => {
  let store: Store;
  let realUrl = '';

  it('an attempt against a silent or stalling server ends within 15 s; the dossier stays queued', {
    timeout: 120_000,
  }, async () => {
    const server = await startSyncServer();
    cleanup.push(() => server.stop());
    realUrl = server.url;
    const deskDir = mkdtempSync(join(tmpdir(), 'motcua-fail-fast-'));
    cleanup.push(() => rmSync(deskDir, { recursive: true, force: true }));
    store = openStore(deskDir);
    cleanup.push(() => store.close());
    await syncEngineFromConfig(store, defaults, silentLogger, { env: {} }).enrol(
      server.url,
      await issueEnrolCode(server),
    );
    await queueInto(store, 1, { pages: 1, components: 1, pageSize: 'small', seed: 17 });

    for (const [what, start] of [
      ['accepts, never answers', silent],
      ['headers, then stalls', stalling],
    ] as const) {
      const dead = await start();
      const engine = syncEngineFromConfig(store, defaults, silentLogger, {
        env: { MOTCUA_PROVINCIAL_URL: dead.url },
      });
      expect(engine.state().serverUrl).toBe(dead.url);
      const started = performance.now();
      const report = await engine.syncOnce();
      const elapsed = performance.now() - started;
      console.info(`[fail-fast] ${what}: attempt failed after ${Math.round(elapsed)} ms`);
      expect(dead.accepted(), what).toBeGreaterThan(0);
      expect(report.failed).toBe(1);
      expect(elapsed, what).toBeLessThan(15_000);
      // It is the 10 s wait that ended it, not an instant refusal.
      expect(elapsed, what).toBeGreaterThan(9_000);
      const state = engine.state();
      expect(state.lastError?.clerkMessage).toBe(vi.sync.errors.network);
      expect(state.pending).toBe(1);
    }

    // The override still wins; pointed at the real server, the kept dossier goes.
    const engine = syncEngineFromConfig(store, defaults, silentLogger, {
      env: { MOTCUA_PROVINCIAL_URL: realUrl },
    });
    const report = await engine.syncOnce();
    expect(report.pushed).toBe(1);
    expect(engine.state().pending).toBe(0);
  });

  it('the connect timeout covers the TLS handshake of a peer that never speaks', async () => {
    const dead = await silent();
    const httpsUrl = dead.url.replace('http:', 'https:');
    const started = performance.now();
    const failure = await createSyncFetch({ connectTimeoutMs: 800 })(`${httpsUrl}/v1/health`).catch(
      (error: unknown) => error,
    );
    const elapsed = performance.now() - started;
    expect(failure).toBeInstanceOf(TypeError);
    expect((failure as TypeError).cause).toBeInstanceOf(ProvincialTimeoutError);
    expect(((failure as TypeError).cause as ProvincialTimeoutError).code).toBe('connect-timeout');
    expect(elapsed).toBeGreaterThan(700);
    expect(elapsed).toBeLessThan(5_000);
  });

  it('MOTCUA_PROVINCIAL_URL wins over the enrolled address; a bad one is refused in Vietnamese', () => {
    // The province moved: the enrolled address is a closed port now.
    store.db.prepare("UPDATE sync_credentials SET server_url = 'http://127.0.0.1:9'").run();
    const enrolled = syncEngineFromConfig(store, defaults, silentLogger, { env: {} });
    expect(enrolled.state().serverUrl).toBe('http://127.0.0.1:9');
    const overridden = syncEngineFromConfig(store, defaults, silentLogger, {
      env: { MOTCUA_PROVINCIAL_URL: ` ${realUrl} ` },
    });
    expect(overridden.state().serverUrl).toBe(realUrl);

    for (const bad of ['not a url', 'ftp://tinh.gov.vn', 'javascript:alert(1)']) {
      let error: unknown;
      try {
        syncEngineFromConfig(store, defaults, silentLogger, { env: { MOTCUA_PROVINCIAL_URL: bad } });
      } catch (caught) {
        error = caught;
      }
      expect(error).toBeInstanceOf(ConfigError);
      const message = (error as ConfigError).clerkMessage;
      expect(message).toContain('MOTCUA_PROVINCIAL_URL');
      expect(message).toContain(bad);
      expect(message).not.toMatch(/ZodError|invalid_format|\n\s+at /);
    }
  });
});
