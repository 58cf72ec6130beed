import { execFileSync } from 'node:child_process';
import { X509Certificate } from 'node:crypto';
import { mkdtempSync, readFileSync } from 'node:fs';
import { createServer, type Server } from 'node:https';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  createProvincialFetch,
  createSyncFetch,
  spkiSha256,
  TlsPeerError,
} from '../../../electron/services/security/provincial-fetch';

// A real local HTTPS server with a certificate made by openssl for "localhost" (not in any system trust store).
let server: Server;
let base: string;
let certPem: string;
let otherPem: string;

function makeCert(dir: string, name: string): { key: string; cert: string } {
  const key = join(dir, `${name}.key`);
  const cert = join(dir, `${name}.pem`);
  execFileSync(
    'openssl',
    [
      'req',
      '-x509',
      '-newkey',
      'ec',
      '-pkeyopt',
      'ec_paramgen_curve:prime256v1',
      '-nodes',
      '-days',
      '2',
      '-subj',
      '/CN=localhost',
      '-addext',
      'subjectAltName=DNS:localhost,IP:127.0.0.1',
      '-keyout',
      key,
      '-out',
      cert,
    ],
    { stdio: 'ignore' },
  );
  return { key: readFileSync(key, 'utf8'), cert: readFileSync(cert, 'utf8') };
}

beforeAll(async () => {
  const dir = mkdtempSync(join(tmpdir(), 'motcua-tls-'));
  const main = makeCert(dir, 'server');
  otherPem = makeCert(dir, 'other').cert;
  certPem = main.cert;
  server = createServer({ key: main.key, cert: main.cert }, (req, res) => {
    let body = '';
    req.on('data', (c) => {
      body += c;
    });
    req.on('end', () => {
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ method: req.method, body }));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  base = `https://localhost:${(server.address() as AddressInfo).port}`;
});
afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

describe('provincial fetch (TLS validation and pinning)', () => {
  it('refuses an untrusted certificate when nothing is pinned', async () => {
    const reasons: string[] = [];
    const refused = await createProvincialFetch({ onRefused: (r) => reasons.push(r) })(
      `${base}/v1/ping`,
    ).catch((e) => e);
    expect(refused).toBeInstanceOf(TlsPeerError);
    expect(refused.code).toBe('untrusted');
    expect(reasons).toEqual(['untrusted']);
  });

  it('refuses a trusted certificate whose key is not the pinned one', async () => {
    const wrongPin = spkiSha256(new X509Certificate(otherPem));
    const refused = await createProvincialFetch({ ca: certPem, pinnedSpkiSha256: [wrongPin] })(
      `${base}/x`,
    ).catch((e) => e);
    expect(refused).toBeInstanceOf(TlsPeerError);
    expect(refused.code).toBe('pin-mismatch');
  });

  it('connects with the trusted CA and the right pin, sending and reading bodies', async () => {
    const pin = spkiSha256(new X509Certificate(certPem));
    const provincialFetch = createProvincialFetch({
      ca: certPem,
      pinnedSpkiSha256: [`${'A'.repeat(43)}=`, pin],
    });
    const response = await provincialFetch(`${base}/v1/dossiers`, { method: 'PUT', body: '{"MaHoSo":"x"}' });
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({ method: 'PUT', body: '{"MaHoSo":"x"}' });
    // Trusted CA without pins also works (pinning is optional).
    expect((await createProvincialFetch({ ca: certPem })(`${base}/`)).status).toBe(200);
  });

  it('refuses plain http', async () => {
    await expect(createProvincialFetch()('http://localhost:1/')).rejects.toThrow(/https only/);
  });

  it('streams an upload body (the bandwidth-capped path) through the pinned https fetch', async () => {
    const pin = spkiSha256(new X509Certificate(certPem));
    const syncFetch = createSyncFetch({ ca: certPem, pinnedSpkiSha256: [pin] });
    const chunks = ['trang 1 ', 'trang 2'];
    const body = new ReadableStream<Uint8Array>({
      pull(controller) {
        const next = chunks.shift();
        if (next === undefined) controller.close();
        else controller.enqueue(new TextEncoder().encode(next));
      },
    });
    const response = await syncFetch(`${base}/v1/uploads/x`, {
      method: 'PATCH',
      body,
      duplex: 'half',
    } as RequestInit);
    expect(await response.json()).toEqual({ method: 'PATCH', body: 'trang 1 trang 2' });
  });

  it('sync fetch allows plain http only to this machine', async () => {
    await expect(createSyncFetch()('http://province.example/v1/health')).rejects.toThrow(
      /refused: use https/,
    );
    await expect(createSyncFetch()('ftp://localhost/')).rejects.toThrow(/refused/);
    // Loopback http (the reference server of a demo) is let through to Node's fetch: here nothing listens.
    await expect(createSyncFetch()('http://127.0.0.1:1/v1/health')).rejects.toThrow(/fetch failed/);
  });
});
