/**
 * Our eSCL back end against the simulator: the scenarios scanimage (sane-airscan) runs in
 * escl-scanimage.test.ts, plus the stalled scanner that only our client survives, and https pinning. Pages go
 * through the real scan service into a real store (SQLite + blob files).
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { vi as messages } from '../../../electron/api/i18n';
import { createDeskScanDriver } from '../../../electron/services/scan/desk-driver';
import { ScanError } from '../../../electron/services/scan/errors';
import {
  addStoredEsclAddress,
  EsclDriver,
  type EsclDriverOptions,
  esclDeviceId,
  memoryPins,
  storePins,
} from '../../../electron/services/scan/escl';
import { ScanService } from '../../../electron/services/scan/scan-service';
import type { ScanSettings } from '../../../electron/services/scan/types';
import { openStore, type Store } from '../../../electron/services/store/store';
import { parsePnm } from '../../../native/sane/pnm';
import {
  type EsclSimulator,
  type EsclSimulatorOptions,
  startEsclSimulator,
} from '../../support/escl-simulator';
import { tempDir } from './helpers';

const grey75: Partial<ScanSettings> = { source: 'adf', mode: 'gray', resolution: 75, pageSize: 'A4' };
/** Short bounds so the failure scenarios run in seconds (the defaults are in escl/http.ts). */
const fast: EsclDriverOptions = {
  timeouts: { connectMs: 2_000, firstByteMs: 3_000, idleMs: 1_500 },
  pageFirstByteMs: 3_000,
  retry: { pauseMs: 200, maxRetries: 10 },
};

const simplified = (sim: EsclSimulator) =>
  sim.requests.map((r) => `${r.method} ${r.path.replace(/ScanJobs\/[\w-]+/, 'ScanJobs/{job}')} ${r.status}`);

describe('eSCL back end against the simulator', () => {
  let sim: EsclSimulator | null = null;
  let store: Store;
  const start = async (options: EsclSimulatorOptions, driverOptions: EsclDriverOptions = fast) => {
    sim = await startEsclSimulator(options);
    const driver = new EsclDriver({ ...driverOptions, addresses: [sim.root] });
    return { sim, driver, service: new ScanService(store, driver), deviceId: esclDeviceId(sim.root) };
  };
  beforeEach(() => {
    store = openStore(tempDir('motcua-escl-'));
  });
  afterEach(async () => {
    await sim?.close();
    sim = null;
    store.close();
  });

  it('lists the scanner and reads its capabilities into the desk profile', async () => {
    const { driver, service, deviceId } = await start({});
    const devices = await driver.listDevices();
    expect(devices).toEqual([
      {
        id: deviceId,
        driver: 'escl',
        vendor: 'MotCua',
        model: 'eSCL Simulator',
        type: 'network scanner',
      },
    ]);
    expect(await service.capabilities(deviceId)).toEqual({
      sources: ['flatbed', 'adf', 'duplex'],
      modes: ['color', 'gray', 'bw'],
      resolutions: [75, 150, 300, 600],
      pageSizes: ['A4', 'A5', 'Letter'],
      maxWidthMm: 215.9,
      maxHeightMm: 297,
    });
  });

  it('scans an ADF batch of 3 grey pages at 150 dpi and stores them durably', async () => {
    const { sim, service, deviceId } = await start({ sheets: 3 });
    const outcome = await service.startBatch({ deviceId, settings: { ...grey75, resolution: 150 } });
    expect(outcome.endedBy).toBe('completed');
    expect(outcome.batch.status).toBe('done');
    const pages = service.pages(outcome.batch.id);
    expect(pages.map((p) => [p.seq, p.width, p.height, p.channels, p.depth, p.dpi])).toEqual([
      [1, 1240, 1754, 1, 8, 150],
      [2, 1240, 1754, 1, 8, 150],
      [3, 1240, 1754, 1, 8, 150],
    ]);
    const first = pages[0];
    if (!first) throw new Error('no page');
    const pnm = parsePnm(await store.blobs.read(first.sha256, first.fileExt));
    expect(pnm.kind).toBe('P5');
    expect(simplified(sim)).toEqual([
      'GET /eSCL/ScannerCapabilities 200',
      'GET /eSCL/ScannerStatus 200',
      'POST /eSCL/ScanJobs 201',
      'GET /eSCL/ScanJobs/{job}/NextDocument 200',
      'GET /eSCL/ScanJobs/{job}/NextDocument 200',
      'GET /eSCL/ScanJobs/{job}/NextDocument 200',
      'GET /eSCL/ScanJobs/{job}/NextDocument 404',
      'GET /eSCL/ScannerStatus 200',
      'DELETE /eSCL/ScanJobs/{job} 200',
    ]);
    expect(sim.scanSettings[0]).toContain('<pwg:InputSource>Feeder</pwg:InputSource>');
    expect(sim.scanSettings[0]).toContain('<scan:Duplex>false</scan:Duplex>');
  });

  it('scans both sides of 2 sheets in colour, and black-and-white pages as 1-bit', async () => {
    const { sim, service, deviceId } = await start({ sheets: 2 });
    const colour = await service.startBatch({
      deviceId,
      settings: { ...grey75, source: 'duplex', mode: 'color' },
    });
    expect(service.pages(colour.batch.id).map((p) => [p.channels, p.depth, p.fileExt])).toEqual(
      Array(4).fill([3, 8, '.ppm']),
    );
    expect(sim.scanSettings[0]).toContain('<scan:Duplex>true</scan:Duplex>');
    expect(sim.scanSettings[0]).toContain('<scan:ColorMode>RGB24</scan:ColorMode>');
    sim.loadFeeder(1);
    const bw = await service.startBatch({ deviceId, settings: { ...grey75, mode: 'bw', resolution: 300 } });
    const [page] = service.pages(bw.batch.id);
    expect(page && [page.width, page.height, page.channels, page.depth, page.fileExt]).toEqual([
      2480,
      3508,
      1,
      1,
      '.pbm',
    ]);
    // A real page: some black, mostly white paper.
    const bytes = await store.blobs.read(page?.sha256 as string, '.pbm');
    const info = parsePnm(bytes);
    const data = bytes.subarray(info.dataOffset);
    const black = data.reduce((n, byte) => n + popcount(byte), 0) / (info.width * info.height);
    expect(black).toBeGreaterThan(0.002);
    expect(black).toBeLessThan(0.2);
  });

  it('scans one page from the platen', async () => {
    const { sim, service, deviceId } = await start({});
    const outcome = await service.startBatch({ deviceId, settings: { ...grey75, source: 'flatbed' } });
    expect(outcome.pagesThisRun).toBe(1);
    expect(sim.scanSettings[0]).toContain('<pwg:InputSource>Platen</pwg:InputSource>');
    expect(simplified(sim).at(-1)).toBe('DELETE /eSCL/ScanJobs/{job} 200');
  });

  it('waits through bursts of 503 (Retry-After) and gets every page', async () => {
    const { sim, service, deviceId } = await start({ sheets: 2, busyBeforeEachPage: 3 });
    const t0 = performance.now();
    const outcome = await service.startBatch({ deviceId, settings: grey75 });
    expect(outcome.pagesThisRun).toBe(2);
    expect(simplified(sim).filter((r) => r.endsWith('NextDocument 503'))).toHaveLength(6);
    // Retry-After: 1 is honoured (6 pauses of a second), not hammered.
    expect(performance.now() - t0).toBeGreaterThan(5_500);
  });

  it('gives up on a device that answers 503 forever, with the busy message', async () => {
    const { service, deviceId } = await start(
      { sheets: 1, busyBeforeEachPage: 1000 },
      { ...fast, retry: { pauseMs: 200, maxRetries: 3 } },
    );
    const error = (await service.startBatch({ deviceId, settings: grey75 }).catch((e) => e)) as ScanError;
    expect(error).toBeInstanceOf(ScanError);
    expect(error.code).toBe('busy');
  });

  it('tells the clerk the feeder is empty before any job is made', async () => {
    const { sim, service, deviceId } = await start({ sheets: 0 });
    const error = (await service.startBatch({ deviceId, settings: grey75 }).catch((e) => e)) as ScanError;
    expect(error.code).toBe('feeder-empty');
    expect(error.clerkMessage).toBe(messages.scan.errors['feeder-empty']);
    expect(simplified(sim).some((r) => r.startsWith('POST'))).toBe(false);
  });

  it('stops at a jam at page 3, keeps pages 1 and 2, and resumes after the jam is cleared', async () => {
    const { sim, service, deviceId } = await start({ sheets: 5, jamAtPage: 3 });
    const error = (await service.startBatch({ deviceId, settings: grey75 }).catch((e) => e)) as ScanError;
    expect(error.code).toBe('jammed');
    expect(error.clerkMessage).toBe(messages.scan.errors.jammed);
    const batchId = error.batchId as string;
    expect(service.pages(batchId)).toHaveLength(2);
    expect(service.batch(batchId)?.status).toBe('interrupted');
    // The clerk takes the jammed sheet out and puts the rest back: the batch goes on from page 3.
    sim.options.jamAtPage = undefined;
    sim.loadFeeder(3);
    const resumed = await service.resumeBatch(batchId);
    expect(resumed.pagesThisRun).toBe(3);
    expect(service.pages(batchId).map((p) => p.seq)).toEqual([1, 2, 3, 4, 5]);
  });

  it('cancels the job with DELETE when the clerk stops, keeping the pages already stored', async () => {
    const { sim, service, deviceId } = await start({ sheets: 6, pageDelayMs: 400 });
    const controller = new AbortController();
    const outcome = await service.startBatch({
      deviceId,
      settings: grey75,
      signal: controller.signal,
      onEvent: (event) => {
        if (event.type === 'page-stored' && event.page.seq === 2) controller.abort();
      },
    });
    expect(outcome.endedBy).toBe('cancelled');
    expect(service.pages(outcome.batch.id).length).toBeGreaterThanOrEqual(2);
    expect(service.pages(outcome.batch.id).length).toBeLessThan(6);
    expect(simplified(sim).at(-1)).toBe('DELETE /eSCL/ScanJobs/{job} 200');
  });

  it('reports a job the device cancelled itself (410)', async () => {
    const { service, deviceId } = await start({ sheets: 4, cancelAtPage: 3 });
    const error = (await service.startBatch({ deviceId, settings: grey75 }).catch((e) => e)) as ScanError;
    expect(error.code).toBe('escl-cancelled-at-device');
    expect(service.pages(error.batchId as string)).toHaveLength(2);
  });

  it('fails a batch whose scanner stalls mid-page within the idle bound, and the next scan works', async () => {
    const { sim, service, deviceId } = await start({ sheets: 4, stallAtPage: 2 });
    const t0 = performance.now();
    const error = (await service.startBatch({ deviceId, settings: grey75 }).catch((e) => e)) as ScanError;
    const ms = performance.now() - t0;
    expect(error.code).toBe('escl-not-answering');
    expect(error.clerkMessage).toBe(messages.escl.errors['escl-not-answering']);
    // idleMs is 1.5 s here: the batch fails soon after, not at a test timeout.
    expect(ms).toBeLessThan(6_000);
    expect(service.pages(error.batchId as string)).toHaveLength(1);
    expect(simplified(sim).at(-1)).toBe('DELETE /eSCL/ScanJobs/{job} 200');
    sim.options.stallAtPage = undefined;
    sim.loadFeeder(2);
    const next = await service.startBatch({ deviceId, settings: grey75 });
    expect(next.pagesThisRun).toBe(2);
  });

  it('fails a page whose answer never starts within the first-byte bound', async () => {
    // The device holds NextDocument for 8 s; the driver allows 1 s for a page's first byte here.
    const { service, deviceId } = await start(
      { sheets: 2, pageDelayMs: 8_000 },
      { ...fast, pageFirstByteMs: 1_000 },
    );
    const t0 = performance.now();
    const error = (await service.startBatch({ deviceId, settings: grey75 }).catch((e) => e)) as ScanError;
    expect(error.code).toBe('escl-not-answering');
    expect(error.message).toMatch(/first-byte/);
    expect(performance.now() - t0).toBeLessThan(4_000);
  });

  it('says the scanner cannot be reached when nothing listens at its address', async () => {
    const { sim, driver } = await start({});
    const root = sim.root;
    await sim.close();
    const error = (await driver.open(esclDeviceId(root)).catch((e) => e)) as ScanError;
    expect(error.code).toBe('escl-unreachable');
    expect(error.clerkMessage).toBe(messages.escl.errors['escl-unreachable']);
    expect(await driver.listDevices()).toEqual([]);
  });

  it('pins the https certificate on first use and refuses a different one', async () => {
    const pins = storePins(store);
    const { sim, service, deviceId } = await start({ https: true, sheets: 1 }, { ...fast, pins });
    expect(deviceId.startsWith('escl:https://127.0.0.1:')).toBe(true);
    const outcome = await service.startBatch({ deviceId, settings: grey75 });
    expect(outcome.pagesThisRun).toBe(1);
    const origin = `127.0.0.1:${sim.port}`;
    const pinned = pins.get(origin);
    expect(pinned).toMatch(/^([0-9A-F]{2}:){31}[0-9A-F]{2}$/);
    // Another certificate at the same address (a swapped device, or someone in between): refused.
    pins.set(origin, pinned?.replace(/^../, pinned.startsWith('00') ? '11' : '00') as string);
    const error = (await new EsclDriver({ ...fast, pins }).open(deviceId).catch((e) => e)) as ScanError;
    expect(error.code).toBe('escl-certificate-changed');
    // Refused after the handshake, before any request was written: the simulator saw only the first scan's.
    expect(simplified(sim).filter((r) => r.includes('Capabilities'))).toHaveLength(1);
  });

  it('the desk driver lists SANE and stored eSCL scanners together and opens each by its name', async () => {
    sim = await startEsclSimulator({ sheets: 1 });
    const driver = createDeskScanDriver({ store });
    expect((await driver.listDevices()).map((d) => d.driver)).toEqual(['sane']);
    const id = addStoredEsclAddress(store, `${sim.root}/`);
    expect(id).toBe(esclDeviceId(sim.root));
    const devices = await driver.listDevices();
    expect(devices.map((d) => [d.driver, d.id])).toEqual([
      ['escl', id],
      ['sane', 'test:0'],
    ]);
    const service = new ScanService(store, driver);
    expect((await service.startBatch({ deviceId: id, settings: grey75 })).pagesThisRun).toBe(1);
    const sane = await service.startBatch({
      deviceId: 'test:0',
      settings: { source: 'flatbed', mode: 'gray', resolution: 50, pageSize: 'A5' },
    });
    expect(sane.batch.deviceId).toBe('test:0');
    expect(sane.pagesThisRun).toBe(1);
  });

  it('rejects an address that is not one, with a clear message', () => {
    const driver = new EsclDriver({ pins: memoryPins() });
    const error = (() => {
      try {
        driver.addAddress('ftp://printer');
      } catch (e) {
        return e as ScanError;
      }
    })();
    expect(error?.code).toBe('escl-bad-address');
    expect(esclDeviceId('192.168.1.20')).toBe('escl:http://192.168.1.20/eSCL');
    expect(esclDeviceId('https://scanner.local:8443/eSCL/')).toBe('escl:https://scanner.local:8443/eSCL');
  });
});

function popcount(byte: number): number {
  let n = 0;
  for (let b = byte; b; b >>= 1) n += b & 1;
  return n;
}
