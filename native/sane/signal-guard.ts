import koffi from 'koffi';

/**
 * Some SANE backends reset process-wide signal handling from their reader threads: the `test` backend's
 * reader sets SIGTERM back to the default action, and sanei_thread sets SIGPIPE back to default when a scan
 * ends. In a process that is not a scanning tool that is fatal: the next write to a closed socket (a browser
 * tab closing, a sync connection reset) kills the whole desk with SIGPIPE, and SIGTERM no longer shuts it
 * down cleanly. The guard remembers how the process handled these signals before a libsane call and puts
 * back any that a backend reset to the default action.
 */
export interface SignalGuard {
  /** Remembers the current handlers (call before handing control to libsane). */
  snapshot(): void;
  /** Puts back every disposition libsane reset to SIG_DFL since the snapshot; returns how many. */
  restore(): number;
}

const SIGHUP = 1;
const SIGINT = 2;
const SIGPIPE = 13;
const SIGTERM = 15;
export const GUARDED_SIGNALS = [SIGHUP, SIGINT, SIGPIPE, SIGTERM] as const;

// struct sigaction is 152 bytes on x86-64 and arm64 glibc; its first member is the handler (SIG_DFL = 0).
const SIGACTION_BYTES = 256;
const SIG_DFL = 0n;

type Sigaction = (signal: number, act: Uint8Array | null, old: Uint8Array | null) => number;

function handlerOf(action: Uint8Array): bigint {
  return new DataView(action.buffer, action.byteOffset, 8).getBigUint64(0, true);
}

export function createSignalGuard(): SignalGuard {
  let sigaction: Sigaction | null = null;
  if (process.platform === 'linux') {
    try {
      sigaction = koffi
        .load(null)
        .func('int sigaction(int signum, const void *act, void *oldact)') as unknown as Sigaction;
    } catch {
      // No libc symbol to call: nothing to guard.
    }
  }
  if (!sigaction) return { snapshot() {}, restore: () => 0 };
  const call = sigaction;
  const saved = new Map(GUARDED_SIGNALS.map((s) => [s, new Uint8Array(SIGACTION_BYTES)]));
  const current = new Uint8Array(SIGACTION_BYTES);
  let taken = false;
  return {
    snapshot() {
      // A disposition already at the default is not remembered: it may be a backend's reset we have not
      // put back yet, and the handler from before it is the one to keep.
      for (const [signal, action] of saved) {
        if (call(signal, null, current) === 0 && handlerOf(current) !== SIG_DFL) action.set(current);
      }
      taken = true;
    },
    restore() {
      if (!taken) return 0;
      let restored = 0;
      for (const [signal, action] of saved) {
        if (handlerOf(action) === SIG_DFL) continue;
        if (call(signal, null, current) !== 0 || handlerOf(current) !== SIG_DFL) continue;
        call(signal, action, null);
        restored++;
      }
      return restored;
    },
  };
}
