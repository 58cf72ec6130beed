import { type ChildProcess, spawn } from 'node:child_process';
import { once } from 'node:events';
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
      if (child.exitCode !== null) return;
      child.kill('SIGTERM');
      await once(child, 'exit');
    },
  };
}
