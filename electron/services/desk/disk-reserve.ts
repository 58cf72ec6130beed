import { DeskError } from '../../api/errors';
import { format, vi } from '../../api/i18n';
import { freeBytes } from '../store/storage-errors';

const MiB = 1024 * 1024;

const shown = (bytes: number) =>
  bytes >= 1024 * MiB ? `${(bytes / (1024 * MiB)).toFixed(1)} GB` : `${Math.floor(bytes / MiB)} MB`;

export interface DiskState {
  freeBytes: number | null;
  reserveBytes: number;
  belowReserve: boolean;
}

/**
 * Free space as a state of the desk, not a surprise from SQLite: below the reserve, new scans (the largest thing a
 * desk writes, ~9 MB a page before compression) are refused with the clerk's message, while receiving what is in
 * hand, reprinting, viewing and syncing go on. Nothing already stored is touched.
 */
export class DiskReserve {
  private readonly reserveBytes: number;

  constructor(
    private readonly dataDir: string,
    reserveMb: number,
  ) {
    this.reserveBytes = reserveMb * MiB;
  }

  state(): DiskState {
    const free = freeBytes(this.dataDir);
    return {
      freeBytes: free,
      reserveBytes: this.reserveBytes,
      belowReserve: free !== null && free < this.reserveBytes,
    };
  }

  /** Throws the clerk's "disk full" message when free space is under the reserve. */
  requireRoomForScans(): void {
    const { freeBytes: free, belowReserve } = this.state();
    if (!belowReserve || free === null) return;
    throw new DeskError(
      'storage',
      `free space ${free} B is below the reserve ${this.reserveBytes} B`,
      format(vi.store.diskReserve, { free: shown(free), reserve: shown(this.reserveBytes) }),
    );
  }
}
