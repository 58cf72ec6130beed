import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { REPO_ROOT } from './helpers';

interface Ended {
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
  /** Still running at the limit (then killed by the test). */
  hung: boolean;
}

function runFixture(args: string[], limitMs: number): Promise<Ended> {
  const child = spawn(
    process.execPath,
    ['--import', 'tsx', join(import.meta.dirname, 'fixtures', 'stuck-driver-exit.ts'), ...args],
    { cwd: REPO_ROOT },
  );
  let stdout = '';
  let stderr = '';
  child.stdout.setEncoding('utf8').on('data', (chunk: string) => {
    stdout += chunk;
  });
  child.stderr.setEncoding('utf8').on('data', (chunk: string) => {
    stderr += chunk;
  });
  return new Promise((resolve) => {
    let hung = false;
    const limit = setTimeout(() => {
      hung = true;
      child.kill('SIGKILL');
    }, limitMs);
    child.on('exit', (code, signal) => {
      clearTimeout(limit);
      resolve({ code, signal, stdout, stderr, hung });
    });
  });
}

/**
 * A libsane backend can deadlock inside its own threads (seen with the `test` backend: our worker blocked in
 * pthread_join of a reader thread that never ends). Node joins every worker thread on exit, so such a desk
 * could not be closed. It must still end, with the stuck step in its log.
 */
describe.runIf(process.platform === 'linux')('closing with a scanner thread stuck in native code', () => {
  it('ends the process at the shutdown deadline and logs which step hung', async () => {
    const ended = await runFixture([], 15_000);
    expect(ended.hung, ended.stderr).toBe(false);
    expect(ended.stdout).toBe('stuck\n');
    expect(ended.signal).toBe('SIGKILL');
    expect(ended.stderr).toMatch(/shutdown\.stuck.*"step":"scanner"/);
    expect(ended.stderr).toMatch(/shutdown\.forced.*"stuckAt":"scanner"/);
  });

  it('would hang with a plain process.exit (why the forced end exists)', async () => {
    const ended = await runFixture(['--plain-exit'], 6_000);
    expect(ended.stdout).toBe('stuck\n');
    expect(ended.hung).toBe(true);
  });
});
