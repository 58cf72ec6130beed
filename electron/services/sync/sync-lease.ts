/**
 * The sync lease: one syncing process per data dir (the app and a CLI may both be open); a dead holder loses
 * it, and an unreadable lease is taken.
 */
import { randomUUID } from 'node:crypto';
import type { Store } from '../store/store';
import { STATE_KEYS, type SyncDb } from './sync-db';

const LEASE_MS = 120_000;

function pidAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

export class SyncLease {
  private readonly token = randomUUID();
  private renewedAt = 0;

  constructor(
    private readonly store: Store,
    private readonly db: SyncDb,
  ) {}

  acquire(): boolean {
    return this.store.db
      .transaction(() => {
        const raw = this.db.get(STATE_KEYS.lease);
        if (raw) {
          try {
            const held = JSON.parse(raw) as { pid: number; token: string; until: number };
            if (held.token !== this.token && held.until > Date.now() && pidAlive(held.pid)) return false;
          } catch {
            // unreadable lease: take it
          }
        }
        this.write();
        return true;
      })
      .immediate();
  }

  renew(): void {
    // Every write is an fsync: renew well before expiry, not at every chunk.
    if (Date.now() - this.renewedAt < LEASE_MS / 6) return;
    this.write();
  }

  release(): void {
    const raw = this.db.get(STATE_KEYS.lease);
    if (raw?.includes(this.token)) this.db.set(STATE_KEYS.lease, null);
  }

  private write(): void {
    this.renewedAt = Date.now();
    this.db.set(
      STATE_KEYS.lease,
      JSON.stringify({ pid: process.pid, token: this.token, until: Date.now() + LEASE_MS }),
    );
  }
}
