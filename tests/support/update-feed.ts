import { spawnSync } from 'node:child_process';
import { createHash, generateKeyPairSync, randomBytes } from 'node:crypto';
import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
// electron-builder's own blockmap writer, as `npm run dist` uses it.
import { buildBlockMap } from 'app-builder-lib/out/targets/blockmap/blockmap.js';

const ROOT = join(import.meta.dirname, '..', '..');

export function testKeyPair() {
  const { publicKey, privateKey } = generateKeyPairSync('ed25519');
  const dir = mkdtempSync(join(tmpdir(), 'motcua-release-key-'));
  const privateKeyFile = join(dir, 'release-key.pem');
  writeFileSync(privateKeyFile, privateKey.export({ type: 'pkcs8', format: 'pem' }), { mode: 0o600 });
  return { publicKeyPem: publicKey.export({ type: 'spki', format: 'pem' }).toString(), privateKeyFile };
}

export const installerName = (version: string) => `motcua-desk-${version}-win-x64.exe`;

/**
 * A release folder as electron-builder leaves it: installers for each version (random bytes, the newer one a
 * changed copy of the older), their blockmaps, and latest.yml (plus latest-linux.yml) for `version`.
 */
export async function buildReleaseFolder(
  versions: string[],
  latest: string,
  extraYaml = '',
): Promise<string> {
  const dir = mkdtempSync(join(tmpdir(), 'motcua-feed-'));
  const base = randomBytes(256 * 1024);
  for (const [i, version] of versions.entries()) {
    const bytes = Buffer.from(base);
    randomBytes(16 * 1024).copy(bytes, 32 * 1024 * (i + 1));
    const file = join(dir, installerName(version));
    writeFileSync(file, bytes);
    await buildBlockMap(file, 'gzip', `${file}.blockmap`);
  }
  writeChannelFile(dir, latest, extraYaml);
  return dir;
}

export function writeChannelFile(dir: string, version: string, extraYaml = ''): void {
  const name = installerName(version);
  const bytes = readFileSync(join(dir, name));
  const sha512 = createHash('sha512').update(bytes).digest('base64');
  const yml =
    `version: ${version}\nfiles:\n  - url: ${name}\n    sha512: ${sha512}\n    size: ${bytes.length}\n` +
    `path: ${name}\nsha512: ${sha512}\nreleaseDate: '2026-11-20T00:00:00.000Z'\n${extraYaml}`;
  writeFileSync(join(dir, 'latest.yml'), yml);
  writeFileSync(join(dir, 'latest-linux.yml'), yml);
}

/** Runs the real release script over the folder. */
export function signReleaseFolder(dir: string, privateKeyFile: string): void {
  const run = spawnSync(
    process.execPath,
    [join(ROOT, 'scripts/sign-release.mjs'), '--key', privateKeyFile, dir],
    {
      encoding: 'utf8',
      timeout: 30_000,
    },
  );
  if (run.status !== 0) throw new Error(`sign-release failed: ${run.stderr}`);
}

/** Serves the folder read-only on 127.0.0.1 (single byte ranges too, as electron-updater asks). */
export async function serveFolder(dir: string): Promise<{ url: string; server: Server; requests: string[] }> {
  const requests: string[] = [];
  const server = createServer((req, res) => {
    const name = decodeURIComponent(new URL(req.url ?? '/', 'http://x').pathname.slice(1));
    requests.push(name);
    let data: Buffer;
    try {
      if (name.includes('/') || name.startsWith('.')) throw new Error('no');
      data = readFileSync(join(dir, name));
    } catch {
      res.writeHead(404).end();
      return;
    }
    const range = /^bytes=(\d+)-(\d+)$/.exec(req.headers.range ?? '');
    if (range) {
      const chunk = data.subarray(Number(range[1]), Number(range[2]) + 1);
      res.writeHead(206, {
        'content-range': `bytes ${range[1]}-${range[2]}/${data.length}`,
        'content-length': chunk.length,
      });
      res.end(chunk);
      return;
    }
    res.writeHead(200, { 'content-length': data.length }).end(data);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/`, server, requests };
}

export function copyFolder(from: string): string {
  const to = mkdtempSync(join(tmpdir(), 'motcua-usb-'));
  mkdirSync(to, { recursive: true });
  spawnSync('cp', ['-a', `${from}/.`, to]);
  return to;
}
