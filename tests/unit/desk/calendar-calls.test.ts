import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { format, vi } from '../../../electron/api/i18n';
import { runCli } from '../../../electron/cli/main';
import { openStore } from '../../../electron/services/store/store';

/**
 * `motcua calendar …` on a desk that has a database: the desk's describeCalendarDay / computeDueDate calls
 * answer (no sign-in: public data), with the calendar's own Vietnamese messages for bad values.
 */
const dir = mkdtempSync(join(tmpdir(), 'motcua-cal-desk-'));
openStore(dir).close();
afterAll(() => rmSync(dir, { recursive: true, force: true }));

async function cli(...argv: string[]) {
  return cliOn(dir, ...argv);
}

/** The same command where there is no database: the shipped calendar answers without opening a desk. */
const offline = (...argv: string[]) => cliOn(join(dir, 'none'), ...argv);

async function cliOn(dataDir: string, ...argv: string[]) {
  let stdout = '';
  let stderr = '';
  const env = { ...process.env, MOTCUA_DATA_DIR: dataDir, MOTCUA_CLERK_PIN: '' };
  const code = await runCli(argv, { stdout: (t) => (stdout += t), stderr: (t) => (stderr += t), env });
  return { code, stdout, stderr };
}

describe('calendar through the desk', () => {
  it('computes a due date and describes a day without sign-in', async () => {
    const due = await cli(
      'calendar',
      'due',
      '--received',
      '2026-08-21T16:45',
      '--amount',
      '3',
      '--unit',
      'working-days',
    );
    expect(due.code, due.stderr).toBe(0);
    expect(due.stdout).toContain('Hẹn trả: 16:45 25/08/2026 (2026-08-25T16:45:00+07:00)');
    const day = await cli('calendar', 'day', '2026-09-02', '--json');
    expect(day.code, day.stderr).toBe(0);
    expect(JSON.parse(day.stdout)).toMatchObject({ date: '2026-09-02', working: false });
  });

  it('answers bad values with the calendar message and exit 1', async () => {
    const unit = await cli(
      'calendar',
      'due',
      '--received',
      '2026-08-21T16:45',
      '--amount',
      '3',
      '--unit',
      'weeks',
    );
    expect(unit.code).toBe(1);
    expect(unit.stderr).toBe(`${format(vi.calendar.invalidUnit, { value: 'weeks' })}\n`);
    const amount = await cli(
      'calendar',
      'due',
      '--received',
      '2026-08-21T16:45',
      '--amount',
      'ba',
      '--unit',
      'days',
    );
    expect(amount.code).toBe(1);
    // The desk gives the very words the shipped calendar gives.
    expect(amount.stderr).toBe(
      (await offline('calendar', 'due', '--received', '2026-08-21T16:45', '--amount', 'ba', '--unit', 'days'))
        .stderr,
    );
    const date = await cli('calendar', 'day', '2026-02-30');
    expect(date.code).toBe(1);
    expect(date.stderr).toContain('30/02/2026');
    expect(date.stderr).toBe((await offline('calendar', 'day', '2026-02-30')).stderr);
  });
});
