import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { DeskEvents, ScanSettingsView } from '../../electron/api/desk-api';
import { Desk } from '../../electron/services/desk/desk';
import { signInDesk, value } from '../support/desk-call';

/** The desk's scanning calls and events, against libsane's virtual ADF scanner (SANE_CONFIG_DIR from vitest). */
const small: ScanSettingsView = { source: 'adf', resolution: 75, mode: 'gray', pageSize: 'A5' };
const opened: Desk[] = [];
afterEach(async () => {
  for (const desk of opened.splice(0)) await desk.close();
});

/** The virtual scanner's default picture is solid black, which blank-page removal rightly drops: off here. */
async function openDesk(scan: Record<string, unknown> = { removeBlankPages: false }) {
  const dataDir = mkdtempSync(join(tmpdir(), 'motcua-desk-scan-'));
  writeFileSync(join(dataDir, 'config.json'), JSON.stringify({ scan }));
  const desk = new Desk({ dataDir, networkPollMs: 0 });
  opened.push(desk);
  return signInDesk(desk);
}

function ended(desk: Desk, batchId: string): Promise<DeskEvents['scanEnded']> {
  return new Promise((resolve) => {
    const off = desk.events.subscribe((event, payload) => {
      const e = payload as DeskEvents['scanEnded'];
      if (event === 'scanEnded' && e.batchId === batchId) {
        off();
        resolve(e);
      }
    });
  });
}

describe('desk scanning', () => {
  it('lists the scanner with its capabilities and default settings', async () => {
    const desk = await openDesk();
    const [scanner] = await value(desk.call('listScanners', null));
    expect(scanner).toMatchObject({ id: 'test:0', label: 'Noname frontend-tester', profiles: [] });
    expect(scanner?.capabilities.sources).toEqual(expect.arrayContaining(['flatbed', 'adf']));
    expect(scanner?.defaults).toMatchObject({ source: 'adf', mode: 'gray' });
    expect((await desk.refreshStatus()).scanner).toEqual({ state: 'ready', deviceCount: 1 });
  });

  it('answers several windows asking for the scanners at once, and while a batch holds the scanner', async () => {
    const desk = await openDesk();
    const answers = await Promise.all([1, 2, 3].map(() => desk.call('listScanners', null)));
    for (const answer of answers) await expect(value(Promise.resolve(answer))).resolves.toHaveLength(1);
    const endings: DeskEvents['scanEnded'][] = [];
    desk.events.subscribe((event, payload) => {
      if (event === 'scanEnded') endings.push(payload as DeskEvents['scanEnded']);
    });
    const { batchId } = await value(desk.call('startScan', { deviceId: 'test:0', settings: small }));
    const during = await value(desk.call('listScanners', null));
    expect(during.map((s) => s.id)).toEqual(['test:0']);
    await expect
      .poll(() => endings.find((e) => e.batchId === batchId)?.endedBy, { timeout: 30_000 })
      .toBe('completed');
  });

  it('answers startScan at once and streams a thumbnail event for every page', async () => {
    const desk = await openDesk();
    const pages: number[] = [];
    desk.events.subscribe((event, payload) => {
      if (event === 'scanPage') pages.push((payload as DeskEvents['scanPage']).page.position);
    });
    const { batchId } = await value(desk.call('startScan', { deviceId: 'test:0', settings: small }));
    await expect(ended(desk, batchId)).resolves.toMatchObject({
      endedBy: 'completed',
      pageCount: 10,
      message: null,
    });
    expect(pages).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9, 10]);
    const batch = await value(desk.call('getScanBatch', { batchId }));
    expect(batch.batch.status).toBe('done');
    expect(batch.pages[0]?.thumbnail).toMatch(/^data:image\/jpeg;base64,/);
  });

  it('rescans one sheet into the place of a bad page, leaving the rest of the feeder alone', async () => {
    const desk = await openDesk();
    const { batchId } = await value(desk.call('startScan', { deviceId: 'test:0', settings: small }));
    await ended(desk, batchId);
    await value(desk.call('rescanPage', { batchId, seq: 3, deviceId: 'test:0' }));
    const end = await ended(desk, batchId);
    expect(end.endedBy).toBe('completed');
    const { pages, batch } = await value(desk.call('getScanBatch', { batchId }));
    // The virtual ADF always holds 10 sheets, so it may have pulled in one more before the stop arrived:
    // such a sheet is kept at the end, never hidden. A real rescan has one sheet in the feeder.
    expect(pages.slice(0, 10).map((p) => p.seq)).toEqual([1, 2, 11, 4, 5, 6, 7, 8, 9, 10]);
    expect(pages.slice(10).every((p) => p.seq > 11)).toBe(true);
    expect(batch.status).toBe('done');
  });

  it('cancels mid-batch: pages already scanned stay, and the batch can be resumed', async () => {
    const desk = await openDesk();
    desk.scans.profiles.save({ vendor: 'Noname', model: 'frontend-tester' }, 'Chậm', {
      ...small,
      // Small reads with a pause after each: about a second a page, time enough to cancel mid-batch.
      deviceOptions: {
        'read-delay': true,
        'read-delay-duration': 20_000,
        'read-limit': true,
        'read-limit-size': 4096,
        'read-return-value': 'Default',
      },
    });
    const { batchId } = await value(
      desk.call('startScan', { deviceId: 'test:0', settings: small, profileName: 'Chậm' }),
    );
    const ending = ended(desk, batchId);
    // Cancel as soon as the third page starts to arrive, as the clerk pressing Esc would.
    const off = desk.events.subscribe((event, payload) => {
      if (event === 'scanProgress' && (payload as DeskEvents['scanProgress']).pageNumber >= 3) {
        off();
        void desk.call('cancelScan', { batchId });
      }
    });
    const end = await ending;
    expect(end).toMatchObject({ endedBy: 'cancelled', message: null });
    expect(end.pageCount).toBeGreaterThanOrEqual(1);
    expect(end.pageCount).toBeLessThan(10);
    const unfinished = await value(desk.call('listUnfinishedScans', null));
    expect(unfinished.map((b) => [b.id, b.pageCount])).toEqual([[batchId, end.pageCount]]);
    // The device is usable right after the cancel.
    const next = await value(desk.call('startScan', { deviceId: 'test:0', settings: small }));
    await expect(ended(desk, next.batchId)).resolves.toMatchObject({ endedBy: 'completed', pageCount: 10 });
  });

  it('drops blank sheets from a feeder batch and does not send them to OCR', async () => {
    const desk = await openDesk({ removeBlankPages: true });
    const { batchId } = await value(desk.call('startScan', { deviceId: 'test:0', settings: small }));
    await expect(ended(desk, batchId)).resolves.toMatchObject({ endedBy: 'completed', pageCount: 0 });
    const { batch, pages } = await value(desk.call('getScanBatch', { batchId }));
    expect(pages).toEqual([]);
    expect(batch.blankPages).toBe(10);
    expect(desk.ocr.queue.batchJobs(batchId)).toEqual([]);
    // The sheets are still on disk: dropping a blank never deletes what was scanned.
    expect(desk.scans.pages(batchId)).toHaveLength(10);
  });

  it('refuses bad input before it reaches the scanner', async () => {
    const desk = await openDesk();
    const bad = await desk.call('startScan', {
      deviceId: 'test:0',
      settings: { ...small, resolution: 99999 },
    });
    expect(bad.ok).toBe(false);
    const unknown = await desk.call('getScanBatch', { batchId: '00000000-0000-4000-8000-000000000000' });
    expect(!unknown.ok && unknown.error.code).toBe('not-found');
    const noDevice = await desk.call('saveScanProfile', {
      deviceId: 'nope:0',
      name: 'A',
      settings: small,
      isDefault: false,
    });
    expect(!noDevice.ok && noDevice.error.code).toBe('not-found');
  });

  it('saves a profile that the scanner list then offers', async () => {
    const desk = await openDesk();
    const view = await value(
      desk.call('saveScanProfile', {
        deviceId: 'test:0',
        name: 'Giấy tờ màu',
        settings: { ...small, mode: 'color' },
        isDefault: true,
      }),
    );
    expect(view.profiles).toEqual([
      { name: 'Giấy tờ màu', isDefault: true, settings: { ...small, mode: 'color' } },
    ]);
    expect(view.defaults.mode).toBe('color');
  });

  // Last: libsane's test backend keeps option values for the life of the process, so a jam set here would
  // leak into later scans of the same worker.
  it('turns a paper jam into a Vietnamese message and offers the batch for resuming', async () => {
    const desk = await openDesk();
    desk.scans.profiles.save({ vendor: 'Noname', model: 'frontend-tester' }, 'Kẹt giấy', {
      ...small,
      deviceOptions: { 'read-return-value': 'SANE_STATUS_JAMMED' },
    });
    const { batchId } = await value(
      desk.call('startScan', { deviceId: 'test:0', settings: small, profileName: 'Kẹt giấy' }),
    );
    const failure = await ended(desk, batchId);
    expect(failure.endedBy).toBe('failed');
    expect(failure.message).toMatch(/kẹt giấy/i);
    const unfinished = await value(desk.call('listUnfinishedScans', null));
    expect(unfinished.map((b) => b.id)).toEqual([batchId]);
    expect(unfinished[0]?.lastError).toMatch(/kẹt giấy/i);
  });
});
