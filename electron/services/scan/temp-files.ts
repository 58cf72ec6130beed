import { randomUUID } from 'node:crypto';
import { readdir, rm, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { SCAN_TEMP_SUFFIX } from '../../../native/sane/protocol';

/**
 * Temp files of pages on their way into the blob store. The scanner worker streams each page into one in the
 * blob root, and `putBlobDurably` writes there too; a page becomes a blob by rename. A kill -9 or power cut
 * mid-page leaves one behind, so each is named after its owner — `.<pid>-<batchId>.<uuid>.scan.tmp` (or
 * `.<pid>.<uuid>.scan.tmp`) — and the scan service sweeps the orphans when it starts.
 */

const UUID = '[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}';
const TAGGED = new RegExp(
  `^\\.(\\d+)(?:-(${UUID}))?\\.${UUID}${SCAN_TEMP_SUFFIX.replaceAll('.', '\\.')}$`,
  'i',
);

/**
 * Files without an owner in their name (written before names carried one) are only swept when this much older
 * than the service: nothing tells whether another process is still writing them.
 */
export const UNTAGGED_GRACE_MS = 60_000;

/** The owner part of a temp name: this process, and the batch when the file is one of its pages. */
export function scanTempTag(batchId?: string): string {
  return batchId ? `${process.pid}-${batchId}` : String(process.pid);
}

/** A fresh temp name (no directory) for `tag`, in the same shape the scanner worker uses. */
export function scanTempName(tag = scanTempTag()): string {
  return `.${tag}.${randomUUID()}${SCAN_TEMP_SUFFIX}`;
}

export interface ScanTempOwner {
  pid: number;
  batchId: string | null;
}

/** Who wrote a temp file, from its name; null for a name without an owner (or not a scan temp at all). */
export function parseScanTempName(name: string): ScanTempOwner | null {
  const match = TAGGED.exec(name);
  if (!match) return null;
  return { pid: Number(match[1]), batchId: match[2]?.toLowerCase() ?? null };
}

/** Whether a process with this id exists (it may belong to another user: EPERM still means alive). */
function processAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

export interface SweepOptions {
  /** When the sweeping service started (ms since epoch): newer files may be in use by anyone. */
  startedAt: number;
  /** Batches being scanned or resumed right now: their temp files are never touched. */
  activeBatches: ReadonlySet<string>;
}

export interface SweepResult {
  removed: number;
  /** Temp files left in place: written after the start, or owned by a live process or an active batch. */
  kept: number;
}

/**
 * Removes orphaned scan temp files from `dir` (the blob root): those older than the service's start whose
 * owner process is gone (or, untagged, older by `UNTAGGED_GRACE_MS`), and not of a batch being scanned. A
 * temp file never holds a recorded page — a page is recorded only after its rename — so nothing is lost.
 */
export async function sweepScanTemps(dir: string, options: SweepOptions): Promise<SweepResult> {
  const result: SweepResult = { removed: 0, kept: 0 };
  let names: string[];
  try {
    names = await readdir(dir);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return result;
    throw error;
  }
  for (const name of names) {
    if (!name.endsWith(SCAN_TEMP_SUFFIX)) continue;
    const path = join(dir, name);
    const info = await stat(path).catch(() => null);
    if (!info?.isFile()) continue;
    const owner = parseScanTempName(name);
    const orphan = owner
      ? info.mtimeMs < options.startedAt &&
        !processAlive(owner.pid) &&
        !(owner.batchId && options.activeBatches.has(owner.batchId))
      : info.mtimeMs < options.startedAt - UNTAGGED_GRACE_MS;
    if (!orphan) {
      result.kept++;
      continue;
    }
    await rm(path, { force: true });
    result.removed++;
  }
  return result;
}
