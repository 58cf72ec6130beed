import { execFileSync } from 'node:child_process';
import { X509Certificate } from 'node:crypto';
import { mkdtempSync, readFileSync } from 'node:fs';
import { createServer, type Server } from 'node:https';
import type { AddressInfo } from 'node:net';
import { createServer as createTcpServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { probeNetworkPath, readExtraCaCertificates } from '../../../electron/services/security/network-path';
import { spkiSha256 } from '../../../electron/services/security/provincial-fetch';

// A local HTTPS server whose certificate (openssl, "localhost") no system store trusts: the intranet's own CA.
let server: Server;
let base: string;
let caFile: string;
let certPem: string;

beforeAll(async () => {
  const dir = mkdtempSync(join(tmpdir(), 'motcua-netpath-'));
  const key = join(dir, 'server.key');
  caFile = join(dir, 'server.pem');
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
      caFile,
    ],
    { stdio: 'ignore' },
  );
  certPem = readFileSync(caFile, 'utf8');
  server = createServer({ key: readFileSync(key), cert: certPem }, (_req, res) => res.end('ok'));
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  base = `https://localhost:${(server.address() as AddressInfo).port}/`;
});
afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

describe('network path to the provincial server, step by step', () => {
  it('names the TLS chain when the intranet CA is missing, and passes with it', async () => {
    expect(await probeNetworkPath(base)).toMatchObject({
      ok: false,
      failedStep: 'tls-chain',
      steps: ['dns', 'connect'],
    });
    const { pems, unreadable } = readExtraCaCertificates([caFile, '/nonexistent/ca.pem']);
    expect(unreadable).toEqual(['/nonexistent/ca.pem']);
    expect(await probeNetworkPath(base, { extraCa: pems })).toMatchObject({
      ok: true,
      steps: ['dns', 'connect', 'tls-chain'],
    });
  });

  it('checks the pin against the chain', async () => {
    const pin = spkiSha256(new X509Certificate(certPem));
    const extraCa = [certPem];
    expect(await probeNetworkPath(base, { extraCa, pinnedSpkiSha256: [pin] })).toMatchObject({
      ok: true,
      steps: ['dns', 'connect', 'tls-chain', 'pin'],
    });
    expect(await probeNetworkPath(base, { extraCa, pinnedSpkiSha256: [`${'A'.repeat(43)}=`] })).toMatchObject(
      { ok: false, failedStep: 'pin' },
    );
  });

  it('names DNS and the connection when they fail', async () => {
    expect(await probeNetworkPath('https://khong-ton-tai.invalid/')).toMatchObject({
      ok: false,
      failedStep: 'dns',
    });
    const closed = createTcpServer();
    await new Promise<void>((resolve) => closed.listen(0, '127.0.0.1', resolve));
    const port = (closed.address() as AddressInfo).port;
    await new Promise<void>((resolve) => closed.close(() => resolve()));
    expect(await probeNetworkPath(`https://127.0.0.1:${port}/`)).toMatchObject({
      ok: false,
      failedStep: 'connect',
    });
  });
});
