import { scannerHostScript } from './fork-host';
import type { HostChannel, HostLauncher, HostToDesk } from './protocol';

/** The part of Electron's `utilityProcess` the launcher uses (services never import electron). */
export interface UtilityProcessApi {
  fork(
    modulePath: string,
    args?: string[],
    options?: { env?: NodeJS.ProcessEnv; serviceName?: string; stdio?: 'ignore' | 'inherit' },
  ): {
    readonly pid: number | undefined;
    postMessage(message: unknown): void;
    on(event: 'message', listener: (message: unknown) => void): unknown;
    on(event: 'exit', listener: (code: number) => void): unknown;
    kill(): boolean;
  };
}

/**
 * The host as an Electron utilityProcess (the app, Windows first): the Electron main passes its
 * `utilityProcess` here. Untested in this repository's CI (no Electron run); the protocol and the desk side
 * are the same ones the `child_process.fork` tests exercise.
 */
export function utilityProcessLauncher(utility: UtilityProcessApi): HostLauncher {
  return (env) => {
    const child = utility.fork(scannerHostScript(), [], {
      env,
      serviceName: 'MotCua scanner host',
      stdio: 'inherit',
    });
    let exited = false;
    const exitListeners: ((detail: { code: number | null; signal: string | null }) => void)[] = [];
    child.on('exit', (code) => {
      exited = true;
      for (const listener of exitListeners) listener({ code, signal: null });
    });
    const channel: HostChannel = {
      pid: child.pid,
      send: (message) => {
        if (!exited) child.postMessage(message);
      },
      onMessage: (listener) => child.on('message', (message) => listener(message as HostToDesk)),
      onExit: (listener) => exitListeners.push(listener),
      // utilityProcess.kill ends the process at once (SIGTERM on POSIX, TerminateProcess on Windows).
      kill: () => {
        if (!exited) child.kill();
      },
      // A utility process never keeps the app alive on its own: nothing to do.
      setBusy: () => {},
    };
    return channel;
  };
}
