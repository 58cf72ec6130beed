import type { PnmKind } from './pnm';
import type { SaneDevice, SaneOptionDescriptor, SaneParameters, SaneValue } from './types';

/** Messages between `SaneClient` (any thread) and the libsane worker (the one owner of libsane). */

export type SaneRequest =
  | { op: 'list'; localOnly: boolean }
  | { op: 'open'; device: string }
  | { op: 'options'; handle: number }
  | { op: 'set'; handle: number; name: string; value: SaneValue | { auto: true } }
  | { op: 'scan-page'; handle: number }
  | { op: 'cancel'; handle: number }
  | { op: 'end'; handle: number }
  | { op: 'close'; handle: number }
  | { op: 'exit' };

export interface ScannedFrame {
  kind: 'page';
  width: number;
  height: number;
  channels: 1 | 3;
  depth: 1 | 8;
  pnmKind: PnmKind;
  /** The whole page as a PNM file (header + pixels), ready to store as-is. */
  pnm: Uint8Array;
  /** SHA-256 (hex) of `pnm`, computed here so the caller's thread does not spend ~10 ms a page on it. */
  sha256: string;
  parameters: SaneParameters;
  /** Milliseconds in sane_start (paper feed) and in the read loop. */
  startMs: number;
  readMs: number;
  reads: number;
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
  'scan-page': ScannedFrame | ScanStop;
  cancel: null;
  end: null;
  close: null;
  exit: null;
}

export type SaneOp = SaneRequest['op'];

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
