import { spawnSync } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sha256Hex } from '../../../electron/services/store/files';
import { threadIds, threadsStartedSince } from '../../../native/sane/backend-threads';
import { SaneClient, SaneError } from '../../../native/sane/client';
import { parsePnm } from '../../../native/sane/pnm';
import { SaneInfo, type SaneOptionDescriptor, SaneStatus } from '../../../native/sane/types';
import { fileSha256, TEST_DEVICE, tempDir } from './helpers';

// The real libsane `test` backend, reached through the worker: no mocks.
const client = new SaneClient();
let handle = 0;
let options: SaneOptionDescriptor[] = [];

/** Runs `body` with the device paced (5 ms per buffer it sends), after `settings`; then full speed again. */
async function devicePaced<T>(settings: readonly (readonly [string, number])[], body: () => Promise<T>) {
  for (const [name, value] of [...settings, ['read-delay', true], ['read-delay-duration', 5_000]] as const) {
    const result = await client.set(handle, name, value);
    if (result.options) options = result.options;
  }
  try {
    return await body();
  } finally {
    const result = await client.set(handle, 'read-delay', false);
    if (result.options) options = result.options;
  }
}
const option = (name: string) => options.find((o) => o.name === name) as SaneOptionDescriptor;

beforeAll(async () => {
  ({ handle, options } = await client.open(TEST_DEVICE));
});
afterAll(async () => {
  await client.closeDevice(handle);
  await client.close();
});

describe('libsane through koffi in a worker', () => {
  it('lists the test device with vendor, model and type', async () => {
    const { devices, version } = await client.list();
    expect(devices).toEqual([
      { name: 'test:0', vendor: 'Noname', model: 'frontend-tester', type: 'virtual device' },
    ]);
    expect(version).toMatch(/^1\.\d+\.\d+$/);
  });

  it('decodes descriptors: types, units, string lists, word lists, ranges and 16.16 fixed point', () => {
    expect(option('mode')).toMatchObject({
      type: 'string',
      active: true,
      settable: true,
      constraint: { kind: 'string-list', values: ['Gray', 'Color'] },
      value: 'Gray',
    });
    expect(option('depth')).toMatchObject({
      type: 'int',
      constraint: { kind: 'word-list', values: [1, 8, 16] },
    });
    expect(option('source').constraint).toEqual({
      kind: 'string-list',
      values: ['Flatbed', 'Automatic Document Feeder'],
    });
    // geometry_max 300.0 from tests/fixtures/sane/test.conf, as SANE_Fixed.
    expect(option('br-x')).toMatchObject({
      type: 'fixed',
      unit: 'mm',
      constraint: { kind: 'range', min: 0, max: 300 },
    });
    expect(option('resolution')).toMatchObject({
      type: 'fixed',
      unit: 'dpi',
      constraint: { kind: 'range', min: 1, max: 1200 },
    });
    expect(option('hand-scanner')).toMatchObject({ type: 'bool', value: false });
    expect(option('print-options').type).toBe('button');
    expect(options.some((o) => o.type === 'group')).toBe(true);
    const fixedList = option('fixed-constraint-word-list');
    expect(fixedList.active).toBe(false);
    expect(fixedList.advanced).toBe(true);
    if (fixedList.constraint.kind !== 'word-list') throw new Error('expected a word list');
    // -32.7, 12.1, 42, 129.5 in 16.16 fixed point.
    expect(fixedList.constraint.values.map((v) => Math.round(v * 10) / 10)).toEqual([-32.7, 12.1, 42, 129.5]);
    const fixedRange = option('fixed-constraint-range').constraint;
    expect(fixedRange).toMatchObject({ kind: 'range', quant: 2 });
    if (fixedRange.kind === 'range') expect(fixedRange.min).toBeCloseTo(-42.17, 2);
    expect(option('int-constraint-range')).toMatchObject({
      unit: 'pixel',
      constraint: { kind: 'range', min: 4, max: 192, quant: 2 },
    });
  });

  it('re-reads every descriptor after SANE_INFO_RELOAD_OPTIONS and can then set what became active', async () => {
    const result = await client.set(handle, 'enable-test-options', true);
    expect(result.info & SaneInfo.RELOAD_OPTIONS).toBeTruthy();
    expect(result.options).toBeDefined();
    options = result.options as SaneOptionDescriptor[];
    expect(option('fixed-constraint-word-list').active).toBe(true);
    // The test backend refuses options that were not re-read after a reload; this set proves we re-read.
    const fixed = await client.set(handle, 'fixed-constraint-word-list', 129.5);
    expect(fixed.value).toBe(129.5);
    const strings = await client.set(handle, 'string-constraint-string-list', 'Second entry');
    expect(strings.value).toBe('Second entry');
    const array = await client.set(handle, 'int-constraint-array-constraint-range', 64);
    expect(Array.isArray(array.value) && array.value.every((v) => v === 64)).toBe(true);
    await expect(client.set(handle, 'no-such-option', 1)).rejects.toMatchObject({
      status: SaneStatus.UNSUPPORTED,
    });
    const back = await client.set(handle, 'enable-test-options', false);
    options = back.options ?? options;
    await expect(client.set(handle, 'fixed-constraint-word-list', 42)).rejects.toBeInstanceOf(SaneError);
  });

  it('captures exactly the bytes scanimage gets from the same device and settings', async () => {
    for (const [name, value] of [
      ['mode', 'Color'],
      ['test-picture', 'Color pattern'],
      ['resolution', 75],
      ['br-x', 50],
      ['br-y', 40],
    ] as const) {
      const result = await client.set(handle, name, value);
      if (result.options) options = result.options;
    }
    const page = await client.scanPage(handle);
    await client.end(handle);
    if (page.kind === 'status') throw new Error(`scan stopped: ${page.status}`);
    if (page.kind !== 'page') throw new Error('without a sink the page comes in memory');
    expect(page).toMatchObject({ width: 147, height: 118, channels: 3, depth: 8, pnmKind: 'P6' });

    const out = join(tempDir(), 'ref.pnm');
    const scanimage = spawnSync(
      'scanimage',
      [
        '-d',
        'test',
        '--mode',
        'Color',
        '--test-picture',
        'Color pattern',
        '--resolution',
        '75',
        '-x',
        '50',
        '-y',
        '40',
        '--format=pnm',
        '-o',
        out,
      ],
      { env: process.env, encoding: 'utf8' },
    );
    expect(scanimage.status, scanimage.stderr).toBe(0);
    const reference = readFileSync(out);
    const ours = parsePnm(page.pnm);
    const theirs = parsePnm(reference);
    expect([ours.width, ours.height]).toEqual([theirs.width, theirs.height]);
    expect(
      Buffer.from(page.pnm.subarray(ours.dataOffset)).equals(reference.subarray(theirs.dataOffset)),
    ).toBe(true);
  });

  it('streams a page into the sink as the same PNM file, hashed, with nothing else left behind', async () => {
    // Same device settings as the previous test: the in-memory page is the reference.
    const inMemory = await client.scanPage(handle);
    await client.end(handle);
    if (inMemory.kind !== 'page') throw new Error(`expected an in-memory page, got ${inMemory.kind}`);
    const dir = tempDir();
    const progress: number[] = [];
    const stored = await client.scanPage(handle, (bytes) => progress.push(bytes), { dir });
    await client.end(handle);
    if (stored.kind !== 'file') throw new Error(`expected a file, got ${stored.kind}`);
    expect(stored).toMatchObject({ width: 147, height: 118, channels: 3, depth: 8, pnmKind: 'P6' });
    expect(readdirSync(dir)).toEqual([stored.path.slice(dir.length + 1)]);
    const file = readFileSync(stored.path);
    expect(file.byteLength).toBe(stored.bytes);
    expect(file.equals(inMemory.pnm)).toBe(true);
    expect(fileSha256(stored.path)).toBe(stored.sha256);
    expect(stored.sha256).toBe(sha256Hex(inMemory.pnm));
  });

  it('streams a multi-slot page (A4 300 dpi grey) with its hash in file order, reading on its own thread', async () => {
    for (const [name, value] of [
      ['mode', 'Gray'],
      ['test-picture', 'Grid'],
      ['resolution', 300],
      ['br-x', 210],
      ['br-y', 297],
    ] as const) {
      const result = await client.set(handle, name, value);
      if (result.options) options = result.options;
    }
    const inMemory = await client.scanPage(handle);
    await client.end(handle);
    if (inMemory.kind !== 'page') throw new Error(`expected an in-memory page, got ${inMemory.kind}`);
    const dir = tempDir();
    const stored = await client.scanPage(handle, undefined, { dir, tag: `${process.pid}-tagged` });
    await client.end(handle);
    if (stored.kind !== 'file') throw new Error(`expected a file, got ${stored.kind}`);
    // 8.7 MB: more than two 4 MiB ring slots, each hashed on the hashing thread as it fills.
    expect(stored.bytes).toBeGreaterThan(8 << 20);
    expect(stored.path.slice(dir.length + 1)).toMatch(
      new RegExp(`^\\.${process.pid}-tagged\\.[0-9a-f-]{36}\\.scan\\.tmp$`),
    );
    expect(readFileSync(stored.path).equals(inMemory.pnm)).toBe(true);
    expect(fileSha256(stored.path)).toBe(stored.sha256);
    expect(stored.sha256).toBe(sha256Hex(inMemory.pnm));
    // An in-memory page that came faster than it could be hashed on the way leaves hashing to its storer
    // (on a quiet machine: always at this size); a hash it does carry is right.
    if (inMemory.sha256 !== undefined) expect(inMemory.sha256).toBe(stored.sha256);
    // The device sends as fast as it is read: reads went to the worker's own thread (how many depends on how
    // busy the machine is; on a quiet one nearly all of them), not all through koffi's pool.
    expect(stored.blockingReads).toBeGreaterThan(0);
    expect(stored.blockingReads).toBeLessThanOrEqual(stored.reads);
  });

  it('hashes an in-memory page while waiting for a device-paced scanner, so its storer need not', async () => {
    // Still A4 300 dpi grey (8.7 MB, far more than the worker finishes hashing after the last read).
    await devicePaced([], async () => {
      const page = await client.scanPage(handle);
      await client.end(handle);
      if (page.kind !== 'page') throw new Error(`expected an in-memory page, got ${page.kind}`);
      expect(page.pnm.byteLength).toBeGreaterThan(8 << 20);
      expect(page.sha256).toBe(sha256Hex(page.pnm));
      client.recycle(page.pnm);
    });
  });

  it('lets the backend reader thread of a page exit before the read that ends the page (libsane race)', async () => {
    // A paced page, so the test backend's reader thread can be seen while it sends.
    await devicePaced([['resolution', 75]], async () => {
      const before = threadIds();
      const scanning = client.scanPage(handle);
      await new Promise((resolve) => setTimeout(resolve, 30));
      const readers = threadsStartedSince(before);
      const page = await scanning;
      await client.end(handle);
      if (page.kind !== 'page') throw new Error(`expected an in-memory page, got ${page.kind}`);
      expect(readers.length).toBeGreaterThan(0);
      expect(page.backendThreadsEnded).toBe(true);
      // Gone before the page came back, not merely by now.
      expect(readers.filter((id) => threadIds().has(id))).toEqual([]);
      client.recycle(page.pnm);
    });
    // A page read at full speed into a sink waits for its reader the same way.
    const stored = await client.scanPage(handle, undefined, { dir: tempDir() });
    await client.end(handle);
    if (stored.kind !== 'file') throw new Error(`expected a file, got ${stored.kind}`);
    expect(stored.backendThreadsEnded).toBe(true);
  });

  it("reads a device-paced page through koffi's pool, leaving the worker free for a cancel", async () => {
    await devicePaced([['resolution', 75]], async () => {
      const slow = await client.scanPage(handle, undefined, { dir: tempDir() });
      await client.end(handle);
      if (slow.kind !== 'file') throw new Error(`expected a file, got ${slow.kind}`);
      expect(slow.reads).toBeGreaterThan(3);
      // Every read waited for the device (5 ms per buffer): none blocked the worker.
      expect(slow.blockingReads).toBeLessThan(slow.reads / 2);
    });
  });

  it('removes the temp file of a page that fails mid-read', async () => {
    const dir = tempDir();
    await client.set(handle, 'read-return-value', 'SANE_STATUS_IO_ERROR');
    try {
      const result = await client.scanPage(handle, undefined, { dir });
      await client.end(handle);
      expect(result).toMatchObject({ kind: 'status', status: SaneStatus.IO_ERROR, phase: 'read' });
      expect(readdirSync(dir)).toEqual([]);
    } finally {
      await client.set(handle, 'read-return-value', 'Default');
    }
  });
});
