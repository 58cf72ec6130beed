/** What the libsane worker's parts share: an open device's state, its error, and the frame-thread wait. */
import { threadsEnded } from './backend-threads';
import type { SaneLibrary } from './bindings';
import { SaneFrame, type SaneOptionDescriptor, saneStatusName } from './types';

export class SaneCallError extends Error {
  constructor(
    readonly operation: string,
    readonly status: number | undefined,
    message: string,
  ) {
    super(message);
  }
}

export interface OpenDevice {
  pointer: bigint;
  name: string;
  options: SaneOptionDescriptor[];
  scanning: boolean;
  cancelRequested: boolean;
  /** Set by sane_start: the backend's reader thread may reset signal handling before its first data. */
  signalsAtRisk: boolean;
  /** Threads the backend started for the frame being read (see backend-threads.ts). */
  frameThreads: number[];
  /** Whether they had all ended before the frame's last read, where that could be known. */
  frameThreadsEnded: boolean | null;
}

export function fail(lib: SaneLibrary, operation: string, status: number): never {
  throw new SaneCallError(
    operation,
    status,
    `${operation}: ${lib.strstatus(status)} (${saneStatusName(status)})`,
  );
}

/**
 * Longest wait, per frame, for the backend's threads to end once its data is all read (an exit takes
 * microseconds; the bound is for a thread that never ends), and for them to come to rest before a cancel.
 */
const FRAME_THREADS_WAIT_MS = 1000;
export const CANCEL_REST_WAIT_MS = 500;

/** Before the read that ends a frame whose data is all in: let the backend's reader threads exit first. */
export async function letFrameThreadsEnd(dev: OpenDevice): Promise<void> {
  if (dev.frameThreadsEnded !== null) return;
  dev.frameThreadsEnded = await threadsEnded(dev.frameThreads, FRAME_THREADS_WAIT_MS);
}

export function channelsOf(format: number): 1 | 3 {
  return format === SaneFrame.GRAY ? 1 : 3;
}
