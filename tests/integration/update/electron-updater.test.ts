import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import type { ClientRequest, RequestOptions, Server } from 'node:http';
import { request } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  configureRequestOptions,
  configureRequestUrl,
  type DownloadOptions,
  HttpExecutor,
} from 'builder-util-runtime';
import { NsisUpdater } from 'electron-updater';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { rolloutBucket } from '../../../electron/services/update/staging';
import { configureUpdater } from '../../../electron/services/update/updater-hooks';
import {
  buildReleaseFolder,
  copyFolder,
  installerName,
  serveFolder,
  signReleaseFolder,
  testKeyPair,
  writeChannelFile,
} from '../../support/update-feed';

/** electron-updater's download over node:http (as the app's Chromium net executor does): doDownload checks SHA-512. */
class NodeHttpExecutor extends HttpExecutor<ClientRequest> {
  createRequest(options: RequestOptions, callback: (response: unknown) => void): ClientRequest {
    return request(options, callback as never);
  }
  download(url: URL, destination: string, options: DownloadOptions): Promise<string> {
    return options.cancellationToken.createPromise((resolve, reject, onCancel) => {
      const requestOptions: RequestOptions & { redirect?: string } = {
        headers: options.headers ?? undefined,
        redirect: 'manual',
      };
      configureRequestUrl(url, requestOptions);
      configureRequestOptions(requestOptions);
      (this as unknown as { doDownload: (...args: unknown[]) => void }).doDownload(
        requestOptions,
        {
          destination,
          options,
          onCancel,
          responseHandler: null,
          callback: (error: Error | null) => (error == null ? resolve(destination) : reject(error)),
        },
        0,
      );
    });
  }
}

const key = testKeyPair();
const otherKey = testKeyPair();
const ids = Array.from({ length: 200 }, (_, i) => `desk-${i}`);
const insideDesk = ids.find((id) => rolloutBucket(id) < 30) as string;
const outsideDesk = ids.find((id) => rolloutBucket(id) >= 30) as string;
let feedDir: string;
let feed: { url: string; server: Server };

beforeAll(async () => {
  feedDir = await buildReleaseFolder(['1.0.0', '1.1.0'], '1.1.0', 'stagingPercentage: 30\n');
  signReleaseFolder(feedDir, key.privateKeyFile);
  feed = await serveFolder(feedDir);
});
afterAll(() => feed.server.close());

/** A NsisUpdater on a test AppAdapter, as upstream's own tests make one, configured by the desk's hooks. */
function updater(
  version: string,
  feedUrl: string,
  deskId: string,
  options: { allowRollback?: boolean; publicKeyPem?: string } = {},
) {
  const root = mkdtempSync(join(tmpdir(), 'motcua-updater-'));
  const config = join(root, 'app-update.yml');
  // publisherName makes electron-updater call verifyUpdateCodeSignature (electron-builder.yml sets it too).
  writeFileSync(
    config,
    `provider: generic\nurl: ${feedUrl}\nupdaterCacheDirName: motcua-desk-updater\npublisherName:\n  - MotCua Desk release key\n`,
  );
  const adapter = {
    version,
    name: 'motcua-desk',
    isPackaged: true,
    appUpdateConfigPath: config,
    userDataPath: root,
    baseCachePath: join(root, 'cache'),
    whenReady: () => Promise.resolve(),
    relaunch() {},
    quit() {},
    onQuit() {},
  };
  const u = new NsisUpdater(null, adapter as never);
  const internals = u as unknown as { httpExecutor: unknown; _testOnlyOptions: unknown };
  internals.httpExecutor = new NodeHttpExecutor();
  internals._testOnlyOptions = { platform: 'win32', isUseDifferentialDownload: false };
  u.logger = null;
  configureUpdater(u, {
    feedUrl,
    channel: 'stable',
    deskId,
    allowRollback: options.allowRollback ?? false,
    publicKeyPem: options.publicKeyPem ?? key.publicKeyPem,
  });
  return u;
}

describe('electron-updater configured by the desk', () => {
  it('offers the staged release only to desks inside the percentage, the same way each time', async () => {
    for (let i = 0; i < 2; i += 1) {
      expect((await updater('1.0.0', feed.url, insideDesk).checkForUpdates())?.isUpdateAvailable).toBe(true);
      expect((await updater('1.0.0', feed.url, outsideDesk).checkForUpdates())?.isUpdateAvailable).toBe(
        false,
      );
    }
  });

  it('downloads a signed release and refuses one our key did not sign', async () => {
    const good = updater('1.0.0', feed.url, insideDesk);
    await good.checkForUpdates();
    const [file] = await good.downloadUpdate();
    expect(readFileSync(file as string).equals(readFileSync(join(feedDir, installerName('1.1.0'))))).toBe(
      true,
    );

    const wrongKey = updater('1.0.0', feed.url, insideDesk, { publicKeyPem: otherKey.publicKeyPem });
    await wrongKey.checkForUpdates();
    await expect(wrongKey.downloadUpdate()).rejects.toMatchObject({ code: 'ERR_UPDATER_INVALID_SIGNATURE' });
  });

  it('refuses a tampered installer (SHA-512) and a downgrade unless policy allows rollback', async () => {
    const dir = copyFolder(feedDir);
    const served = await serveFolder(dir);
    try {
      const installer = join(dir, installerName('1.1.0'));
      const bytes = readFileSync(installer);
      bytes[10] = (bytes[10] ?? 0) ^ 1;
      writeFileSync(installer, bytes);
      const tampered = updater('1.0.0', served.url, insideDesk);
      await tampered.checkForUpdates();
      await expect(tampered.downloadUpdate()).rejects.toMatchObject({ code: 'ERR_CHECKSUM_MISMATCH' });
      writeChannelFile(dir, '1.0.0');
      expect((await updater('1.1.0', served.url, insideDesk).checkForUpdates())?.isUpdateAvailable).toBe(
        false,
      );
      expect(
        (await updater('1.1.0', served.url, insideDesk, { allowRollback: true }).checkForUpdates())
          ?.isUpdateAvailable,
      ).toBe(true);
    } finally {
      served.server.close();
    }
  });
});
