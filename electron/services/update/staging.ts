import { createHash } from 'node:crypto';

/**
 * Staged rollout decided by the desk, not by electron-updater's random per-account id: a desk's bucket (0–99)
 * is a hash of its id, so the same desk gets the same answer on every check and on every Windows account.
 */
export function rolloutBucket(deskId: string): number {
  return createHash('sha256').update(`motcua-rollout\n${deskId}`).digest().readUInt32BE(0) % 100;
}

/** `stagingPercentage` absent = everyone; 0 = nobody; electron-builder writes an integer 0–100. */
export function isWithinRollout(deskId: string, stagingPercentage: number | undefined | null): boolean {
  if (stagingPercentage === undefined || stagingPercentage === null) return true;
  if (!Number.isFinite(stagingPercentage)) return false;
  return rolloutBucket(deskId) < Math.floor(stagingPercentage);
}
