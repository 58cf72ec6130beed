import type { Logger } from '../logging/logger';

/** Long enough for a scanner to finish its sheet and workers to stop; short enough that nobody waits on it. */
export const SHUTDOWN_DEADLINE_MS = 10_000;

export interface ShutdownStep {
  name: string;
  run: () => Promise<void> | void;
}

export interface ShutdownReport {
  /** True when every step finished before the deadline. */
  clean: boolean;
  /** The step still running when the deadline passed, if any. */
  stuckAt: string | null;
}

/**
 * Runs the steps of closing the app in order, logging how long each took, and gives up at `deadlineMs`:
 * a clerk closing the app must never be left with a window that will not go away, and the log says which
 * part hung. A step that throws is logged and the next one still runs.
 */
export async function runShutdown(
  steps: ShutdownStep[],
  logger: Logger,
  deadlineMs: number,
): Promise<ShutdownReport> {
  let current: string | null = null;
  const all = (async () => {
    for (const step of steps) {
      current = step.name;
      const started = performance.now();
      try {
        await step.run();
      } catch (error) {
        logger.warn('shutdown.step-failed', { step: step.name, error: (error as Error).message });
      }
      logger.info('shutdown.step', { step: step.name, ms: Math.round(performance.now() - started) });
    }
    current = null;
  })();
  let timer: NodeJS.Timeout | undefined;
  const deadline = new Promise<'late'>((resolve) => {
    timer = setTimeout(() => resolve('late'), deadlineMs);
    timer.unref();
  });
  const outcome = await Promise.race([all.then(() => 'done' as const), deadline]);
  clearTimeout(timer);
  if (outcome === 'done') return { clean: true, stuckAt: null };
  logger.error('shutdown.stuck', { step: current, deadlineMs });
  return { clean: false, stuckAt: current };
}
