/** What the desk is doing that an installer restart would break. */
export interface DeskActivity {
  scansRunning: number;
  receptionsOpen: number;
  uploading: boolean;
}

export type InstallDecision =
  | { allowed: true }
  | { allowed: false; reason: 'scan' | 'reception' | 'upload' | 'not-install-time' };

/**
 * Asked by Electron's main before `quitAndInstall`: never during a scan, an open reception or an upload; at
 * the app's own quit (`onQuit`) or, while running, only in the minute IT set (`installAt`, local HH:MM).
 */
export function installDecision(
  activity: DeskActivity,
  when: { onQuit: boolean; installAt: string | null; now: Date },
): InstallDecision {
  if (activity.scansRunning > 0) return { allowed: false, reason: 'scan' };
  if (activity.receptionsOpen > 0) return { allowed: false, reason: 'reception' };
  if (activity.uploading) return { allowed: false, reason: 'upload' };
  if (when.onQuit) return { allowed: true };
  if (!when.installAt) return { allowed: false, reason: 'not-install-time' };
  const [hours, minutes] = when.installAt.split(':').map(Number) as [number, number];
  const nowMinutes = when.now.getHours() * 60 + when.now.getMinutes();
  // A window of 30 minutes after the set time, so a check that runs a little late still installs.
  const since = (nowMinutes - (hours * 60 + minutes) + 24 * 60) % (24 * 60);
  return since < 30 ? { allowed: true } : { allowed: false, reason: 'not-install-time' };
}
