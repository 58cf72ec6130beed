import { mkdtempSync, writeFileSync } from 'node:fs';
import { request } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { startWebHost, type WebHost } from '../../electron/host/web-host';
import { Desk } from '../../electron/services/desk/desk';
import { signInDesk, TEST_ADMIN } from '../support/desk-call';

/** Raw HTTP so the test can send the headers a browser would never let a page forge (Host). */
function httpRequest(
  url: string,
  options: { method?: string; headers?: Record<string, string>; body?: string | Buffer; rawPath?: string },
) {
  return new Promise<{ status: number; body: string; headers: Record<string, unknown> }>(
    (resolve, reject) => {
      const { hostname, port, pathname, search } = new URL(url);
      const target = { hostname, port, path: options.rawPath ?? `${pathname}${search}`, agent: false };
      const req = request({ ...target, method: options.method ?? 'GET', headers: options.headers }, (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c) => chunks.push(c));
        res.on('end', () =>
          resolve({
            status: res.statusCode ?? 0,
            body: Buffer.concat(chunks).toString(),
            headers: res.headers,
          }),
        );
      });
      req.on('error', reject);
      req.end(options.body);
    },
  );
}

describe('web host', () => {
  let desk: Desk;
  let host: WebHost;
  const rendererDir = mkdtempSync(join(tmpdir(), 'motcua-renderer-'));

  beforeAll(async () => {
    writeFileSync(join(rendererDir, 'index.html'), '<html><head></head><body>desk</body></html>');
    writeFileSync(join(rendererDir, 'app.js'), 'console.log(1)');
    desk = await signInDesk(
      new Desk({ dataDir: mkdtempSync(join(tmpdir(), 'motcua-host-')), networkPollMs: 0 }),
    );
    host = await startWebHost({ desk, rendererDir });
  });
  afterAll(async () => {
    await host.close();
    await desk.close();
  });

  const call = (name: string, body: unknown, headers: Record<string, string> = {}) =>
    httpRequest(`${host.url}api/${name}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-desk-token': host.token, ...headers },
      body: JSON.stringify(body),
    });

  it('listens on loopback only', () => {
    expect(new URL(host.url).hostname).toBe('127.0.0.1');
  });

  it('serves the renderer with its CSP and the per-run token', async () => {
    const page = await httpRequest(host.url, {});
    expect(page.status).toBe(200);
    expect(page.body).toContain(`<meta name="desk-token" content="${host.token}" />`);
    expect(String(page.headers['content-security-policy'])).toContain("script-src 'self'");
    const asset = await httpRequest(`${host.url}app.js`, {});
    expect(asset.headers['content-type']).toContain('text/javascript');
  });

  it('answers calls with the token and refuses them without', async () => {
    const ok = await call('getSession', null);
    expect(JSON.parse(ok.body)).toMatchObject({ ok: true, value: { clerk: { name: TEST_ADMIN.name } } });
    expect((await call('listDossiers', {}, { 'x-desk-token': 'guess' })).status).toBe(401);
    expect((await call('listDossiers', {}, { 'x-desk-token': '' })).status).toBe(401);
  });

  it('refuses requests that name another host (DNS rebinding)', async () => {
    const res = await httpRequest(host.url, { headers: { host: 'evil.example:80' } });
    expect(res.status).toBe(421);
    expect((await call('getStatus', null, { host: 'evil.example' })).status).toBe(421);
  });

  it('rejects unknown calls, bad JSON, wrong content type and oversized bodies', async () => {
    expect((await call('constructor', {})).status).toBe(404);
    const badJson = await httpRequest(`${host.url}api/listDossiers`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-desk-token': host.token },
      body: '{oops',
    });
    expect(badJson.status).toBe(400);
    expect((await call('listDossiers', {}, { 'content-type': 'text/plain' })).status).toBe(415);
    const huge = await httpRequest(`${host.url}api/listDossiers`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-desk-token': host.token },
      body: Buffer.alloc(2 * 1024 * 1024, 0x20),
    }).catch(() => ({ status: 413 }));
    expect(huge.status).toBe(413);
  });

  it('never serves files outside the renderer folder', async () => {
    for (const rawPath of [
      '/../../../../etc/passwd',
      '/..%2f..%2f..%2fetc%2fpasswd',
      '/%2e%2e/%2e%2e/etc/passwd',
      '/%E0%A4%A',
    ]) {
      const res = await httpRequest(host.url, { rawPath });
      expect(res.status).toBeLessThan(500);
      expect(res.body).not.toContain('root:');
    }
  });

  it('pushes events over the WebSocket only with the token', async () => {
    const wsUrl = host.url.replace('http', 'ws');
    const refused = new WebSocket(`${wsUrl}events?token=nope`);
    await expect(new Promise((_, reject) => refused.on('error', reject))).rejects.toThrow(/401/);

    const socket = new WebSocket(`${wsUrl}events?token=${host.token}`);
    await new Promise((resolve) => socket.on('open', resolve));
    const message = new Promise<{ event: string }>((resolve) =>
      socket.on('message', (m) => resolve(JSON.parse(String(m)))),
    );
    await call('startReception', {
      procedureCode: '1.000894',
      applicant: { fullName: 'Bùi Lan', idNumber: '038192004517' },
    });
    await expect(message).resolves.toMatchObject({ event: 'dossierChanged' });
    socket.close();
  });
});
