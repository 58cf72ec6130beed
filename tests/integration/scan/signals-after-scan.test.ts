import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { REPO_ROOT } from './helpers';

/**
 * The libsane test backend resets SIGTERM and SIGPIPE to their default actions from its reader thread; the
 * desk's worker puts them back. Without that a desk that had scanned once died on the next write to a closed
 * socket, and ignored its own clean shutdown.
 */
describe.runIf(process.platform === 'linux')('signal handling after a scan', () => {
  it('survives a write to a closed socket and still shuts down through its SIGTERM handler', () => {
    const run = spawnSync(
      process.execPath,
      ['--import', 'tsx', join(import.meta.dirname, 'fixtures', 'signals-after-scan.ts')],
      { cwd: REPO_ROOT, encoding: 'utf8', timeout: 60_000 },
    );
    expect(run.signal, run.stderr).toBeNull();
    expect(run.stdout.trim().split('\n')).toEqual([
      'scanned',
      expect.stringMatching(/^write-failed E/),
      'sigterm-handled',
    ]);
    expect(run.status).toBe(0);
  });
});
