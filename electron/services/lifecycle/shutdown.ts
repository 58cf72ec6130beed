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

/**
 * Ends the process once shutdown has run. After a clean shutdown, a normal exit. When a step was still
 * running at the deadline it may be a thread stuck inside a driver's native code (a libsane backend that
 * deadlocked): Node joins every worker thread on exit, so `process.exit` would then wait forever and the app
 * could not be closed. So the process kills itself instead. Nothing is lost by that: every database commit
 * and every stored page is already durable (the same guarantee the kill -9 resume tests check).
 */
export function endProcessAfterShutdown(report: ShutdownReport, logger: Logger): void {
  if (report.clean) {
    process.exit(0);
    return;
  }
  logger.error('shutdown.forced', { stuckAt: report.stuckAt });
  process.kill(process.pid, 'SIGKILL');
}
