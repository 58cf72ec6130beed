import { existsSync, readdirSync, readFileSync } from 'node:fs';

/**
 * Works around a libsane race that deadlocks the whole process.
 *
 * Backends that read through sanei_thread (the `test` backend among them) run a reader thread per page with
 * asynchronous cancellation enabled, and end the page by cancelling and joining it (`finish_pass`:
 * sanei_thread_kill + sanei_thread_waitpid) from the sane_read that meets the end of the data. When that
 * cancel lands while the reader is still on its way out (freeing memory in glibc's thread-exit path), it
 * dies holding a malloc arena lock. The next thread that uses that arena blocks for good — the next page's
 * reader, our own worker, libvips threads — and no thread stuck like that can be stopped, so the desk could
 * neither scan nor close. Seen twice on the test VM, once in the full test suite.
 *
 * So once a page's data is all read, the worker waits for the threads the backend started for that page to
 * end before it makes the read that ends the page: a cancel of a thread that has already exited does nothing.
 * And a cancel while the page is still coming waits until those threads are asleep in the kernel (the reader
 * blocked on its full pipe), where a cancel is safe. Linux only (/proc); elsewhere nothing is waited for.
 */
const TASKS = '/proc/self/task';
const supported = process.platform === 'linux' && existsSync(TASKS);

/** This process's thread ids (empty where /proc is not there). */
export function threadIds(): Set<number> {
  if (!supported) return new Set();
  try {
    return new Set(readdirSync(TASKS).map(Number));
  } catch {
    return new Set();
  }
}

/** Threads that exist now and did not in `before`: what a backend's sane_start started. */
export function threadsStartedSince(before: ReadonlySet<number>): number[] {
  if (!supported) return [];
  return [...threadIds()].filter((id) => !before.has(id));
}

/**
 * Waits until every thread in `ids` has exited (its kernel task is gone, which comes after glibc's
 * thread-exit clean-up), or `maxMs` passed. True when they all ended.
 */
export async function threadsEnded(ids: readonly number[], maxMs: number): Promise<boolean> {
  const deadline = performance.now() + maxMs;
  let alive = ids.filter((id) => existsSync(`${TASKS}/${id}`));
  while (alive.length > 0) {
    if (performance.now() >= deadline) return false;
    await new Promise((resolve) => setTimeout(resolve, 1));
    alive = alive.filter((id) => existsSync(`${TASKS}/${id}`));
  }
  return true;
}

/** A thread's scheduler state (R running, S sleeping, D disk wait…), or null once it is gone. */
function threadState(id: number): string | null {
  try {
    const stat = readFileSync(`${TASKS}/${id}/stat`, 'latin1');
    // "tid (comm) S …": the comm may hold spaces and parentheses, so read after the last ')'.
    return stat.slice(stat.lastIndexOf(')') + 2, stat.lastIndexOf(')') + 3);
  } catch {
    return null;
  }
}

/**
 * Before a sane_cancel while a page may still be coming: waits (at most `maxMs`) until every thread in `ids`
 * has exited or sleeps in the kernel (blocked writing to its pipe, or in a delay). A thread asleep there holds
 * no allocator lock, so the backend's asynchronous cancel cannot strand one; a running thread might be inside
 * malloc. True when they all were.
 */
export async function threadsAtRest(ids: readonly number[], maxMs: number): Promise<boolean> {
  const deadline = performance.now() + maxMs;
  for (;;) {
    if (
      ids.every((id) => {
        const state = threadState(id);
        return state === null || state === 'S' || state === 'D';
      })
    )
      return true;
    if (performance.now() >= deadline) return false;
    await new Promise((resolve) => setTimeout(resolve, 1));
  }
}
