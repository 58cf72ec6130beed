import { spawnSync } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { readdirSync, utimesSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  parseScanTempName,
  scanTempName,
  scanTempTag,
  sweepScanTemps,
  UNTAGGED_GRACE_MS,
} from '../../../electron/services/scan/temp-files';
import { tempDir } from './helpers';

/** The id of a process that has already ended (and been reaped). */
function deadPid(): number {
  const child = spawnSync(process.execPath, ['-e', 'process.stdout.write(String(process.pid))'], {
    encoding: 'utf8',
  });
  return Number(child.stdout);
}

function file(dir: string, name: string, mtimeMs: number): string {
  const path = join(dir, name);
  writeFileSync(path, 'part of a page');
  utimesSync(path, mtimeMs / 1000, mtimeMs / 1000);
  return name;
}

describe('scan temp files', () => {
  it('names each temp file after its owner process and batch', () => {
    const batchId = randomUUID();
    expect(parseScanTempName(scanTempName(scanTempTag(batchId)))).toEqual({ pid: process.pid, batchId });
    expect(parseScanTempName(scanTempName())).toEqual({ pid: process.pid, batchId: null });
    // The worker's name without an owner, and other people's temp files, have no owner.
    expect(parseScanTempName(`.${randomUUID()}.scan.tmp`)).toBeNull();
    expect(parseScanTempName(`.${randomUUID()}.tmp`)).toBeNull();
  });

  it('sweeps only orphans: older than the start, owner gone, batch not active', async () => {
    const dir = tempDir();
    const start = Date.now();
    const before = start - 5_000;
    const dead = deadPid();
    const activeBatch = randomUUID();
    const orphan = file(dir, `.${dead}-${randomUUID()}.${randomUUID()}.scan.tmp`, before);
    const orphanNoBatch = file(dir, `.${dead}.${randomUUID()}.scan.tmp`, before);
    const oldUntagged = file(dir, `.${randomUUID()}.scan.tmp`, start - UNTAGGED_GRACE_MS - 1_000);
    const kept = [
      // A live process (this one) may still be writing it.
      file(dir, scanTempName(scanTempTag(randomUUID())), before),
      // Written after the service started.
      file(dir, `.${dead}.${randomUUID()}.scan.tmp`, start + 1_000),
      // A batch being resumed right now.
      file(dir, `.${dead}-${activeBatch}.${randomUUID()}.scan.tmp`, before),
      // No owner in the name and not old enough to be sure.
      file(dir, `.${randomUUID()}.scan.tmp`, before),
    ];
    // Not a scan temp file at all (the blob store's own, a blob): never looked at.
    const others = [file(dir, `.${randomUUID()}.tmp`, 0), file(dir, 'notes.txt', 0)];

    const result = await sweepScanTemps(dir, { startedAt: start, activeBatches: new Set([activeBatch]) });

    expect(result).toEqual({ removed: 3, kept: kept.length });
    const left = readdirSync(dir);
    for (const name of [orphan, orphanNoBatch, oldUntagged]) expect(left).not.toContain(name);
    expect(left.sort()).toEqual([...kept, ...others].sort());
  });

  it('a missing blob root has nothing to sweep', async () => {
    const result = await sweepScanTemps(join(tempDir(), 'files'), {
      startedAt: Date.now(),
      activeBatches: new Set(),
    });
    expect(result).toEqual({ removed: 0, kept: 0 });
  });
});
