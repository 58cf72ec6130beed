import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { afterAll, beforeEach, describe, expect, it } from 'vitest';
import { vi as messages } from '../../../electron/api/i18n';
import { ScanError, type ScanErrorCode } from '../../../electron/services/scan/errors';
import { readScanPage, scanPagePath } from '../../../electron/services/scan/page-image';
import { SaneDriver } from '../../../electron/services/scan/sane-driver';
import { type ScanEvent, ScanService } from '../../../electron/services/scan/scan-service';
import type { ScanSettings } from '../../../electron/services/scan/types';
import { sha256Hex } from '../../../electron/services/store/files';
import { openStore, type Store } from '../../../electron/services/store/store';
import { SaneClient } from '../../../native/sane/client';
import { parsePnm } from '../../../native/sane/pnm';
import { failingRead, slowPages, TEST_DEVICE, tempDir } from './helpers';

const client = new SaneClient();
const driver = new SaneDriver(client);
let store: Store;
let service: ScanService;

// Small pages keep the suite fast on two cores: A5 at 50 dpi is 291 x 413 pixels.
const small: ScanSettings = { source: 'adf', resolution: 50, mode: 'gray', pageSize: 'A5' };

beforeEach(() => {
  store?.close();
  store = openStore(tempDir());
  service = new ScanService(store, driver);
});
afterAll(async () => {
  store?.close();
  await client.close();
});

describe('scan service on the libsane test device', () => {
  it('reports capabilities in desk terms and answers the desk probe', async () => {
    const caps = await service.capabilities(TEST_DEVICE);
    expect(caps.sources).toEqual(['flatbed', 'adf']);
    // The test backend has no Lineart mode: black-and-white is grey at depth 1.
    expect(caps.modes).toEqual(['color', 'gray', 'bw']);
    expect(caps.resolutions).toEqual([75, 100, 150, 200, 240, 300, 400, 600, 1200]);
    expect(caps.pageSizes).toEqual(['A4', 'A5', 'Letter']);
    expect(await service.scannerProbe()).toEqual({ state: 'ready', deviceCount: 1 });
  });

  it('scans an ADF batch until the feeder is empty, each page durable and recorded as it arrives', async () => {
    const events: ScanEvent[] = [];
    const outcome = await service.startBatch({
      deviceId: TEST_DEVICE,
      settings: { ...small, deviceOptions: { 'test-picture': 'Grid' } },
      onEvent: (e) => {
        events.push(e);
        if (e.type === 'page-stored') {
          // At the moment a page is announced, its file is on disk and its row is committed.
          expect(existsSync(scanPagePath(store.blobs, e.page))).toBe(true);
          expect(service.pages(e.batchId)).toHaveLength(e.page.seq);
        }
      },
    });
    expect(outcome.endedBy).toBe('completed');
    expect(outcome.pagesThisRun).toBe(10);
    expect(outcome.batch).toMatchObject({ status: 'done', pageCount: 10, deviceModel: 'frontend-tester' });
    expect(outcome.effective.resolution).toBe(50);
    const pages = service.pages(outcome.batch.id);
    expect(pages.map((p) => p.seq)).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9, 10]);
    for (const page of pages) {
      const path = scanPagePath(store.blobs, page);
      // Sealed on disk (no PNM header in clear); the plaintext is the page, under its content address.
      expect(readFileSync(path).subarray(0, 2).toString('latin1')).not.toBe('P5');
      const bytes = await store.blobs.read(page.sha256, page.fileExt);
      expect(sha256Hex(bytes)).toBe(page.sha256);
      expect(parsePnm(bytes)).toMatchObject({ kind: 'P5', width: 291, height: 413 });
    }
    expect(events.filter((e) => e.type === 'page-stored')).toHaveLength(10);
    const raw = await readScanPage(store.blobs, pages[0] as (typeof pages)[0]);
    expect(raw).toMatchObject({ width: 291, height: 413, channels: 1, dpi: 50 });
    // The grid has black lines on white.
    expect(raw.data.includes(0) && raw.data.includes(255)).toBe(true);
    expect(service.pendingBatches()).toEqual([]);
  });

  it('stores black-and-white pages as 1-bit PBM and colour as PPM, losslessly', async () => {
    const bw = await service.startBatch({
      deviceId: TEST_DEVICE,
      settings: { ...small, source: 'flatbed', mode: 'bw', deviceOptions: { 'test-picture': 'Grid' } },
    });
    const [bwPage] = service.pages(bw.batch.id);
    expect(bw.pagesThisRun).toBe(1);
    expect(bwPage).toMatchObject({
      fileExt: '.pbm',
      depth: 1,
      channels: 1,
      bytes: 'P4\n291 413\n'.length + Math.ceil(291 / 8) * 413,
    });
    const unpacked = await readScanPage(store.blobs, bwPage as NonNullable<typeof bwPage>);
    expect(new Set(unpacked.data)).toEqual(new Set([0, 255]));

    const color = await service.startBatch({
      deviceId: TEST_DEVICE,
      settings: {
        ...small,
        source: 'flatbed',
        mode: 'color',
        deviceOptions: { 'test-picture': 'Color pattern' },
      },
    });
    expect(service.pages(color.batch.id)[0]).toMatchObject({ fileExt: '.ppm', channels: 3, depth: 8 });
  });

  const deviceErrors: [string, ScanErrorCode][] = [
    ['SANE_STATUS_JAMMED', 'jammed'],
    ['SANE_STATUS_COVER_OPEN', 'cover-open'],
    ['SANE_STATUS_NO_DOCS', 'feeder-empty'],
    ['SANE_STATUS_DEVICE_BUSY', 'busy'],
    ['SANE_STATUS_IO_ERROR', 'io-error'],
    ['SANE_STATUS_INVAL', 'disconnected'],
  ];
  it.each(deviceErrors)(
    'maps %s to the clerk message “%s”, and the next scan works',
    async (status, code) => {
      const error = await service
        .startBatch({ deviceId: TEST_DEVICE, settings: { ...small, deviceOptions: failingRead(status) } })
        .catch((e: unknown) => e);
      expect(error).toBeInstanceOf(ScanError);
      const scanError = error as ScanError;
      expect(scanError.code).toBe(code);
      expect(scanError.deviceStatus).toBe(status);
      expect(scanError.clerkMessage).toBe(messages.scan.errors[code as keyof typeof messages.scan.errors]);
      // The interrupted batch is kept and offered for resuming.
      expect(service.pendingBatches().map((b) => [b.id, b.status, b.lastError])).toEqual([
        [scanError.batchId, 'interrupted', code],
      ]);
      // The clerk clears the jam (the fault goes away) and scans again: the device is usable.
      const next = await service.startBatch({
        deviceId: TEST_DEVICE,
        settings: { ...small, source: 'flatbed', deviceOptions: failingRead('Default') },
      });
      expect(next.pagesThisRun).toBe(1);
    },
  );

  it('resumes a finished batch: earlier pages stay, new pages follow in order', async () => {
    const first = await service.startBatch({ deviceId: TEST_DEVICE, settings: small });
    expect(first.pagesThisRun).toBe(10);
    const resumed = await service.resumeBatch(first.batch.id);
    expect(resumed.batch.pageCount).toBe(20);
    expect(service.pages(first.batch.id).map((p) => p.seq)).toEqual(
      Array.from({ length: 20 }, (_, i) => i + 1),
    );
  });

  it('an unknown device gives the disconnected message; no empty batch is left behind', async () => {
    const error = (await service
      .startBatch({ deviceId: 'test:7', settings: small })
      .catch((e: unknown) => e)) as ScanError;
    expect(error.code).toBe('disconnected');
    expect(service.pendingBatches()).toEqual([]);
    const refused = (await service
      .startBatch({ deviceId: TEST_DEVICE, settings: { ...small, deviceOptions: { 'no-such-option': 1 } } })
      .catch((e: unknown) => e)) as ScanError;
    expect(refused.code).toBe('unsupported-setting');
    expect(service.pendingBatches()).toEqual([]);
  });

  it('cancels mid-page: pages already stored stay, the page in flight is dropped, the device scans again', async () => {
    const controller = new AbortController();
    let progressOnPage3 = false;
    const outcome = await service.startBatch({
      deviceId: TEST_DEVICE,
      settings: {
        ...small,
        resolution: 100,
        deviceOptions: { ...slowPages(20_000), 'read-limit': true, 'read-limit-size': 4096 },
      },
      signal: controller.signal,
      onEvent: (e) => {
        if (e.type === 'page-progress' && e.seq === 3 && e.bytesRead > 0 && !progressOnPage3) {
          progressOnPage3 = true;
          controller.abort();
        }
      },
    });
    expect(progressOnPage3).toBe(true);
    expect(outcome.endedBy).toBe('cancelled');
    expect(outcome.batch).toMatchObject({ status: 'interrupted', lastError: 'cancelled', pageCount: 2 });
    // The page in flight was being streamed into the blob store: its temp file is gone with it.
    expect(readdirSync(store.blobs.root).filter((name) => name.endsWith('.tmp'))).toEqual([]);
    const next = await service.startBatch({
      deviceId: TEST_DEVICE,
      settings: { ...small, source: 'flatbed' },
    });
    expect(next.pagesThisRun).toBe(1);
  });

  it('keeps profiles per scanner model, so they survive a new device id', async () => {
    const listed = (await service.listScanners())[0];
    if (!listed) throw new Error('no test device');
    service.profiles.save(
      listed,
      'Hồ sơ đen trắng',
      { ...small, mode: 'bw', resolution: 75 },
      { isDefault: true },
    );
    service.profiles.save(
      { ...listed, vendor: 'Other' },
      'Khác',
      { ...small, mode: 'color' },
      { isDefault: true },
    );
    // Same model replugged under another address: same profile; different vendor: not.
    const replugged = { ...listed, id: 'test:9' };
    expect(service.profiles.defaultFor(replugged)?.name).toBe('Hồ sơ đen trắng');
    expect(service.profiles.defaultFor({ vendor: ' noname ', model: 'FRONTEND-tester' })?.settings.mode).toBe(
      'bw',
    );
    expect(service.profiles.forDevice({ vendor: 'Acme', model: 'frontend-tester' })).toEqual([]);
    // The default profile applies when the clerk gives no settings.
    const outcome = await service.startBatch({ deviceId: TEST_DEVICE, settings: { source: 'flatbed' } });
    expect(outcome.profile?.name).toBe('Hồ sơ đen trắng');
    expect(outcome.effective).toMatchObject({ mode: 'bw', resolution: 75, source: 'flatbed' });
    expect(service.pages(outcome.batch.id)[0]).toMatchObject({ depth: 1, dpi: 75 });
  });
});
