import { type ChildProcess, fork } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { workerScript } from '../../lifecycle/request-worker';
import type { DeskToHost, HostChannel, HostLauncher, HostToDesk } from './protocol';

/** The host's script: the bundled one next to the app's bundle when there is one, else the TS dev entry. */
export function scannerHostScript(): string {
  return fileURLToPath(
    workerScript(
      new URL('./scanner-host.mjs', import.meta.url),
      new URL('./host-entry.mjs', import.meta.url),
    ),
  );
}

/**
 * The host as a `child_process.fork` (web host, CLI, tests). `advanced` serialization passes a page held in
 * memory (an encrypting store's pages never touch the disk in clear) as bytes, not as JSON.
 */
export const forkScannerHost: HostLauncher = (env) => {
  const child: ChildProcess = fork(scannerHostScript(), [], {
    env,
    serialization: 'advanced',
    stdio: ['ignore', 'ignore', 'inherit', 'ipc'],
  });
  let exited = false;
  const exitListeners: ((detail: { code: number | null; signal: string | null }) => void)[] = [];
  const end = (code: number | null, signal: string | null) => {
    if (exited) return;
    exited = true;
    for (const listener of exitListeners) listener({ code, signal });
  };
  child.on('exit', (code, signal) => end(code, signal));
  child.on('error', () => end(null, null));
  const channel: HostChannel = {
    pid: child.pid,
    send(message: DeskToHost) {
      if (!exited && child.connected) child.send(message, (error) => error && undefined);
    },
    onMessage(listener) {
      child.on('message', (message) => listener(message as HostToDesk));
    },
    onExit(listener) {
      exitListeners.push(listener);
    },
    kill() {
      if (!exited) child.kill('SIGKILL');
    },
    setBusy(busy) {
      if (busy) {
        child.ref();
        child.channel?.ref();
      } else {
        child.unref();
        child.channel?.unref();
      }
    },
  };
  return channel;
};
