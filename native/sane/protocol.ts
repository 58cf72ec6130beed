import type { PnmKind } from './pnm';
import type { SaneDevice, SaneOptionDescriptor, SaneParameters, SaneValue } from './types';

/** Messages between `SaneClient` (any thread) and the libsane worker (the one owner of libsane). */

export type SaneRequest =
  | { op: 'list'; localOnly: boolean }
  | { op: 'open'; device: string }
  | { op: 'options'; handle: number }
  | { op: 'set'; handle: number; name: string; value: SaneValue | { auto: true } }
  | { op: 'scan-page'; handle: number; sink?: PageFileSink }
  | { op: 'cancel'; handle: number }
  | { op: 'end'; handle: number }
  | { op: 'close'; handle: number }
  | { op: 'exit' };

/**
 * Where the worker may write a page as it reads it: a directory on the same filesystem as the page's final
 * place (so the caller can rename it there). The worker streams each chunk to a temp file (O_DIRECT on Linux)
 * while it reads the next, hashes it on the way, and hands back the file (not fsync'd: `synced` says so).
 */
export interface PageFileSink {
  dir: string;
  /**
   * Names the temp file's owner (letters, digits, `-`): `.<tag>.<uuid>.scan.tmp`, so whoever sweeps orphans
   * after a crash can tell whose file it is. Without it: `.<uuid>.scan.tmp`.
   */
  tag?: string;
}

/** Every temp file the worker writes into a sink ends so. */
export const SCAN_TEMP_SUFFIX = '.scan.tmp';

/** What every scanned page says about itself, wherever its bytes are. */
export interface FrameInfo {
  width: number;
  height: number;
  channels: 1 | 3;
  depth: 1 | 8;
  pnmKind: PnmKind;
  parameters: SaneParameters;
  /** Milliseconds in sane_start (paper feed) and in the read loop (for a file: including its fsync). */
  startMs: number;
  readMs: number;
  reads: number;
  /** Reads done on the worker's own thread because the data was already waiting (see `ReadPacer`). */
  blockingReads: number;
  /**
   * Whether the threads the backend started for the page had exited before the read that ended it (see
   * backend-threads.ts); null where that could not be known (no /proc, unknown page length).
   */
  backendThreadsEnded: boolean | null;
}

/** A page written by the worker into the sink: a complete PNM file, fsync'd, under a temp name. */
export interface StoredFrame extends FrameInfo {
  kind: 'file';
  /** Temp file inside the sink's directory; the caller renames it into place (or deletes it). */
  path: string;
  /** File size in bytes. */
  bytes: number;
  /** Whether the worker fsync'd it (else the caller must before relying on it). */
  synced: boolean;
  /** SHA-256 (hex) of the whole file, computed in the worker as it wrote the file. */
  sha256: string;
}

/** A page delivered in memory. */
export interface ScannedFrame extends FrameInfo {
  kind: 'page';
  /** The whole page as a PNM file (header + pixels), ready to store as-is. */
  pnm: Uint8Array;
  /**
   * SHA-256 (hex) of `pnm` when the worker hashed it while waiting for the device (reads on koffi's pool).
   * When the data came faster than that, hashing would only have slowed the capture: whoever stores the
   * page hashes it.
   */
  sha256?: string;
}

/** The page did not come: the SANE status says why (NO_DOCS at start ends an ADF batch normally). */
export interface ScanStop {
  kind: 'status';
  status: number;
  phase: 'start' | 'read';
  /** Whether a cancel request caused it (the backend may report CANCELLED, EOF or an I/O error). */
  cancelled: boolean;
  /** Bytes of the page read before it stopped. */
  bytesRead: number;
}

export interface SetResult {
  info: number;
  /** The value the backend kept (it may round: SANE_INFO_INEXACT). */
  value: SaneValue | undefined;
  /** The whole option table when the backend asked for a reload (SANE_INFO_RELOAD_OPTIONS). */
  options?: SaneOptionDescriptor[];
}

export interface SaneResults {
  list: { devices: SaneDevice[]; version: string };
  open: { handle: number; options: SaneOptionDescriptor[] };
  options: SaneOptionDescriptor[];
  set: SetResult;
  /** A StoredFrame only when the request named a sink and the page could be streamed (see the worker). */
  'scan-page': ScannedFrame | StoredFrame | ScanStop;
  cancel: null;
  end: null;
  close: null;
  exit: null;
}

export type WorkerInbound = { id: number } & SaneRequest;

export type WorkerOutbound =
  | { id: number; type: 'result'; result: unknown }
  | { id: number; type: 'error'; error: { message: string; status?: number; operation: string } }
  | { id: number; type: 'progress'; bytesRead: number; totalBytes: number | null };

/** Data handed to the worker at start. */
export interface WorkerData {
  libraryPath: string;
  /** Overrides SANE_CONFIG_DIR for libsane (setenv before sane_init). */
  saneConfigDir?: string;
}
