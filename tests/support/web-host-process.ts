import { type ChildProcess, spawn } from 'node:child_process';
import { once } from 'node:events';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { createInterface } from 'node:readline';

export const REPO_ROOT = join(import.meta.dirname, '..', '..');

export interface HostProcess {
  url: string;
  token: string;
  child: ChildProcess;
  stop(): Promise<void>;
}

/** Starts the real web host (`electron/host/main.ts`) as its own process on a data dir, as `npm run start:web` does. */
export async function startHostProcess(dataDir: string, env: NodeJS.ProcessEnv = {}): Promise<HostProcess> {
  const child = spawn(
    process.execPath,
    ['--import', 'tsx', join(REPO_ROOT, 'electron/host/main.ts'), '--port', '0'],
    {
      cwd: REPO_ROOT,
      env: { ...process.env, ...env, MOTCUA_DATA_DIR: dataDir },
      stdio: ['ignore', 'pipe', 'pipe'],
    },
  );
  let stderr = '';
  child.stderr?.on('data', (chunk) => {
    stderr += String(chunk);
  });
  if (!child.stdout) throw new Error('web host has no stdout');
  const lines = createInterface({ input: child.stdout });
  const first = await Promise.race([
    once(lines, 'line').then(([line]) => String(line)),
    once(child, 'exit').then(([code]) => {
      throw new Error(`web host exited with ${code}: ${stderr}`);
    }),
  ]);
  const { url, token } = JSON.parse(first) as { url: string; token: string };
  return {
    url,
    token,
    child,
    async stop() {
      if (child.exitCode !== null || child.signalCode !== null) return;
      const exited = once(child, 'exit');
      child.kill('SIGTERM');
      // The host gives up on a stuck step after its own deadline; this is only for a host that is wedged.
      const killer = setTimeout(() => child.kill('SIGKILL'), 30_000);
      const [code, signal] = (await exited) as [number | null, NodeJS.Signals | null];
      clearTimeout(killer);
      // A desk that does not close cleanly is a defect the clerk would meet: fail the suite with the reason.
      if (code !== 0) {
        throw new Error(`web host ended with ${code ?? signal}:\n${shutdownLog(dataDir)}\n${stderr}`);
      }
    },
  };
}

/** The host's shutdown lines from its log: which step ran how long, which one hung. */
function shutdownLog(dataDir: string): string {
  const dir = join(dataDir, 'logs');
  if (!existsSync(dir)) return '(no log)';
  return readdirSync(dir)
    .flatMap((name) => readFileSync(join(dir, name), 'utf8').split('\n'))
    .filter((line) => line.includes('shutdown.'))
    .join('\n');
}
