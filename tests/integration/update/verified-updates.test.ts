import { execFile, spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import type { Server } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { format, vi } from '../../../electron/api/i18n';
import { installDecision } from '../../../electron/services/update/install-guard';
import { rolloutBucket } from '../../../electron/services/update/staging';
import {
  checkForUpdate,
  downloadVerified,
  type UpdateCheck,
  verifyArtifactFile,
} from '../../../electron/services/update/update-check';
import {
  buildReleaseFolder,
  copyFolder,
  installerName,
  serveFolder,
  signReleaseFolder,
  testKeyPair,
  writeChannelFile,
} from '../../support/update-feed';

const ROOT = join(import.meta.dirname, '..', '..', '..');
const key = testKeyPair();
const otherKey = testKeyPair();
/** Desk ids on each side of a 30 % rollout, found by the same hash the desk uses. */
const insideDesk = Array.from({ length: 200 }, (_, i) => `desk-${i}`).find(
  (id) => rolloutBucket(id) < 30,
) as string;
const outsideDesk = Array.from({ length: 200 }, (_, i) => `desk-${i}`).find(
  (id) => rolloutBucket(id) >= 30,
) as string;

let feedDir: string;
let feed: { url: string; server: Server; requests: string[] };

beforeAll(async () => {
  feedDir = await buildReleaseFolder(['1.0.0', '1.1.0'], '1.1.0');
  signReleaseFolder(feedDir, key.privateKeyFile);
  feed = await serveFolder(feedDir);
});
afterAll(() => {
  feed.server.close();
});

const policy = (over: Partial<Parameters<typeof checkForUpdate>[0]> = {}) => ({
  feeds: [feed.url],
  channelFile: 'latest.yml',
  currentVersion: '1.0.0',
  deskId: insideDesk,
  allowRollback: false,
  publicKeyPem: key.publicKeyPem,
  ...over,
});

function expectRefused(check: UpdateCheck, reason: string) {
  expect(check.state).toBe('refused');
  if (check.state === 'refused') expect(check.error.reason).toBe(reason);
}

describe('verified updates from a real HTTP feed made by electron-builder code', () => {
  it('offers a newer signed release, and the downloaded file verifies', async () => {
    expect(readFileSync(join(feedDir, `${installerName('1.1.0')}.blockmap`)).length).toBeGreaterThan(0);
    const check = await checkForUpdate(policy());
    expect(check).toMatchObject({ state: 'available', feedVersion: '1.1.0', rollback: false });
    if (check.state !== 'available') return;
    const dest = mkdtempSync(join(tmpdir(), 'motcua-dl-'));
    const file = await downloadVerified(check, dest, { publicKeyPem: key.publicKeyPem });
    expect(readFileSync(file).equals(readFileSync(join(feedDir, installerName('1.1.0'))))).toBe(true);
    expect(await checkForUpdate(policy({ currentVersion: '1.1.0' }))).toMatchObject({ state: 'up-to-date' });
  });

  it('falls back to the second feed when the first is down', async () => {
    const check = await checkForUpdate(policy({ feeds: ['http://127.0.0.1:9/', feed.url] }));
    expect(check).toMatchObject({ state: 'available', feed: feed.url });
  });

  it('refuses a tampered file, a wrong or missing signature, and a downgrade', async () => {
    const dir = copyFolder(feedDir);
    const served = await serveFolder(dir);
    try {
      const at = (over = {}) => policy({ feeds: [served.url], ...over });
      // Signed by a key that is not the built-in one.
      expectRefused(await checkForUpdate(at({ publicKeyPem: otherKey.publicKeyPem })), 'signature-invalid');
      // Tampered after signing: latest.yml and the signature still name the old SHA-512.
      const check = await checkForUpdate(at());
      if (check.state !== 'available') throw new Error('expected available');
      const installer = join(dir, installerName('1.1.0'));
      const bytes = readFileSync(installer);
      bytes[1000] = (bytes[1000] ?? 0) ^ 0xff;
      writeFileSync(installer, bytes);
      const dest = mkdtempSync(join(tmpdir(), 'motcua-dl-'));
      await expect(downloadVerified(check, dest, { publicKeyPem: key.publicKeyPem })).rejects.toMatchObject({
        reason: 'checksum-mismatch',
      });
      expect(spawnSync('ls', ['-A', dest], { encoding: 'utf8' }).stdout).toBe('');
      // latest.yml rewritten for the tampered bytes: the signature no longer matches what it names.
      writeChannelFile(dir, '1.1.0');
      expectRefused(await checkForUpdate(at()), 'signature-invalid');
      // No signature at all.
      rmSync(`${installer}.sig.json`);
      expectRefused(await checkForUpdate(at()), 'signature-missing');
      // A downgrade, even properly signed, only with the rollback policy.
      writeChannelFile(dir, '1.0.0');
      signReleaseFolder(dir, key.privateKeyFile);
      const down = await checkForUpdate(at({ currentVersion: '1.1.0' }));
      expectRefused(down, 'downgrade');
      if (down.state === 'refused')
        expect(down.error.clerkMessage).toBe(
          format(vi.update.errors.downgrade, { feedVersion: '1.0.0', currentVersion: '1.1.0' }),
        );
      expect(await checkForUpdate(at({ currentVersion: '1.1.0', allowRollback: true }))).toMatchObject({
        state: 'available',
        rollback: true,
        feedVersion: '1.0.0',
      });
    } finally {
      served.server.close();
    }
  });

  it('staged rollout: a desk outside the percentage is not offered it, the same answer every time', async () => {
    const dir = copyFolder(feedDir);
    writeChannelFile(dir, '1.1.0', 'stagingPercentage: 30\n');
    const served = await serveFolder(dir);
    try {
      for (let i = 0; i < 3; i += 1) {
        expect(await checkForUpdate(policy({ feeds: [served.url], deskId: outsideDesk }))).toMatchObject({
          state: 'not-in-rollout',
          stagingPercentage: 30,
          bucket: rolloutBucket(outsideDesk),
        });
        expect(await checkForUpdate(policy({ feeds: [served.url], deskId: insideDesk }))).toMatchObject({
          state: 'available',
        });
      }
    } finally {
      served.server.close();
    }
  });

  it('a USB folder as the feed passes the same checks', async () => {
    const usb = copyFolder(feedDir);
    const check = await checkForUpdate(policy({ feeds: [usb] }));
    expect(check).toMatchObject({ state: 'available', feedVersion: '1.1.0', feed: usb });
    if (check.state !== 'available') return;
    const dest = mkdtempSync(join(tmpdir(), 'motcua-dl-'));
    await expect(downloadVerified(check, dest, { publicKeyPem: key.publicKeyPem })).resolves.toContain(
      installerName('1.1.0'),
    );
    expectRefused(
      await checkForUpdate(policy({ feeds: [usb], publicKeyPem: otherKey.publicKeyPem })),
      'signature-invalid',
    );
    rmSync(join(usb, `${installerName('1.1.0')}.sig.json`));
    expectRefused(await checkForUpdate(policy({ feeds: [usb] })), 'signature-missing');
  });

  it('motcua update check and update verify, with exit codes', async () => {
    const env = {
      ...process.env,
      NODE_ENV: 'test',
      MOTCUA_DATA_DIR: join(mkdtempSync(join(tmpdir(), 'motcua-upd-cli-')), 'data'),
      MOTCUA_POLICY_FILE: '/nonexistent/policy.json',
      MOTCUA_TEST_RELEASE_PUBLIC_KEY: key.publicKeyPem,
      MOTCUA_TEST_RUNNING_VERSION: '1.0.0',
      MOTCUA_UPDATE_PLATFORM: 'win32',
    };
    // Asynchronous: the feed is served by this very process, which a spawnSync would block.
    const motcua = (args: string[], over: Record<string, string> = {}) =>
      new Promise<{ status: number | null; stdout: string; stderr: string }>((resolve) => {
        execFile(
          process.execPath,
          [join(ROOT, 'bin/motcua.mjs'), ...args],
          { env: { ...env, ...over }, encoding: 'utf8', timeout: 60_000 },
          (error, stdout, stderr) => resolve({ status: error ? (error.code as number) : 0, stdout, stderr }),
        );
      });
    const check = await motcua(['update', 'check', '--feed', feed.url, '--json']);
    expect(check.status, check.stderr).toBe(0);
    expect(JSON.parse(check.stdout)).toMatchObject({
      state: 'available',
      feedVersion: '1.1.0',
      signature: 'valid',
    });
    const file = join(copyFolder(feedDir), installerName('1.1.0'));
    const ok = await motcua(['update', 'verify', file, '--json']);
    expect(ok.status, ok.stderr).toBe(0);
    expect(JSON.parse(ok.stdout)).toMatchObject({ ok: true, version: '1.1.0' });
    // The built-in key (no test key) did not sign this test release.
    const builtIn = await motcua(['update', 'verify', file], { MOTCUA_TEST_RELEASE_PUBLIC_KEY: '' });
    expect(builtIn.status).toBe(1);
    expect(builtIn.stderr).toBe(`${vi.update.errors['signature-invalid']}\n`);
    writeFileSync(file, Buffer.concat([readFileSync(file), Buffer.from([0])]));
    const tampered = await motcua(['update', 'verify', file, '--json']);
    expect(tampered.status).toBe(1);
    expect(JSON.parse(tampered.stdout)).toMatchObject({ ok: false, reason: 'checksum-mismatch' });
  });

  it('verify refuses an older signed installer than the running one', async () => {
    const file = join(copyFolder(feedDir), installerName('1.1.0'));
    await expect(
      verifyArtifactFile(file, { publicKeyPem: key.publicKeyPem, currentVersion: '1.2.0' }),
    ).rejects.toMatchObject({ reason: 'downgrade' });
  });

  it('the install guard waits for scans, receptions and uploads, then the quit or IT’s minute', () => {
    const idle = { scansRunning: 0, receptionsOpen: 0, uploading: false };
    const at = (hhmm: string) => new Date(`2026-11-20T${hhmm}:00`);
    expect(
      installDecision({ ...idle, scansRunning: 1 }, { onQuit: true, installAt: null, now: at('12:00') }),
    ).toEqual({
      allowed: false,
      reason: 'scan',
    });
    expect(
      installDecision({ ...idle, receptionsOpen: 1 }, { onQuit: true, installAt: null, now: at('12:00') }),
    ).toEqual({
      allowed: false,
      reason: 'reception',
    });
    expect(
      installDecision({ ...idle, uploading: true }, { onQuit: true, installAt: '12:00', now: at('12:00') }),
    ).toEqual({
      allowed: false,
      reason: 'upload',
    });
    expect(installDecision(idle, { onQuit: true, installAt: null, now: at('12:00') })).toEqual({
      allowed: true,
    });
    expect(installDecision(idle, { onQuit: false, installAt: null, now: at('12:00') }).allowed).toBe(false);
    expect(installDecision(idle, { onQuit: false, installAt: '23:50', now: at('00:10') }).allowed).toBe(true);
    expect(installDecision(idle, { onQuit: false, installAt: '23:50', now: at('01:00') }).allowed).toBe(
      false,
    );
  });
});
