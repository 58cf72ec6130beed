import { afterEach, describe, expect, it } from 'vitest';
import { ScanError } from '../../../electron/services/scan/errors';
import { esclDeviceId } from '../../../electron/services/scan/escl';
import { HostedScanDriver } from '../../../electron/services/scan/host/hosted-driver';
import { type ScanEvent, ScanService } from '../../../electron/services/scan/scan-service';
import type { ScanSettings } from '../../../electron/services/scan/types';
import { openStore, type Store } from '../../../electron/services/store/store';
import { type EsclSimulator, startEsclSimulator } from '../../support/escl-simulator';
import { storedPageSha256, tempDir } from './helpers';

/** Below the eSCL client's own 20 s body bound, so here the host's watchdog is what ends the stall. */
const WATCHDOG_MS = 2_000;
const grey75: ScanSettings = { source: 'adf', mode: 'gray', resolution: 75, pageSize: 'A4' };

let sim: EsclSimulator | null = null;
let store: Store | null = null;
let driver: HostedScanDriver | null = null;
afterEach(async () => {
  await driver?.dispose();
  await sim?.close();
  store?.close();
  sim = null;
  driver = null;
  store = null;
});

describe('the scanner host with a network (eSCL) scanner', () => {
  it('kills the host when the scanner stops answering mid-page, keeps the pages, and scans again', async () => {
    sim = await startEsclSimulator({ sheets: 5, stallAtPage: 3 });
    const id = esclDeviceId(sim.root);
    store = openStore(tempDir('motcua-host-escl-'));
    const pins: Record<string, string> = {};
    driver = new HostedScanDriver({
      watchdogMs: WATCHDOG_MS,
      context: () => ({ esclAddresses: [id], pins: { ...pins } }),
      onPin: (origin, sha256) => {
        pins[origin] = sha256;
      },
    });
    const service = new ScanService(store, driver);
    expect((await service.listScanners()).map((d) => d.id)).toContain(id);

    let lastStoredAt = 0;
    const onEvent = (event: ScanEvent) => {
      if (event.type === 'page-stored') lastStoredAt = performance.now();
    };
    const error = (await service
      .startBatch({ deviceId: id, settings: grey75, onEvent })
      .catch((e) => e)) as ScanError;
    const silentMs = performance.now() - lastStoredAt;
    expect(error).toBeInstanceOf(ScanError);
    expect(error.code).toBe('scanner-not-responding');
    expect(error.clerkMessage).toMatch(/Máy quét ngừng phản hồi/);
    expect(silentMs).toBeLessThan(WATCHDOG_MS + 1_500);
    const batchId = error.batchId as string;
    const kept = service.pages(batchId);
    expect(kept.map((p) => p.seq)).toEqual([1, 2]);
    for (const page of kept) expect(await storedPageSha256(store.blobs, page)).toBe(page.sha256);
    expect(service.pendingBatches().map((b) => b.id)).toEqual([batchId]);

    // A new host continues the batch from page 3 (the feeder refilled with sheets the stall does not reach).
    sim.loadFeeder(2);
    const resumed = await service.resumeBatch(batchId);
    expect(resumed.endedBy).toBe('completed');
    expect(service.pages(batchId).map((p) => p.seq)).toEqual([1, 2, 3, 4]);
    expect(service.pages(batchId).slice(0, 2)).toEqual(kept);
  }, 60_000);
});
