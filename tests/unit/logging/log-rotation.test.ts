import { existsSync, mkdtempSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { createLogger } from '../../../electron/services/logging/logger';

describe('log rotation', () => {
  it('bounds each file in size and keeps a bounded number of parts per day', () => {
    const dir = mkdtempSync(join(tmpdir(), 'motcua-logs-'));
    const clock = () => new Date('2026-11-20T03:00:00Z');
    const logger = createLogger({ dir, clock, echo: false, maxFileBytes: 1000, maxPartsPerDay: 3 });
    for (let i = 0; i < 200; i += 1) logger.info('scan.page', { seq: i, note: 'x'.repeat(20) });
    const files = readdirSync(dir).sort();
    expect(files).toEqual([
      'desk-2026-11-20.1.log',
      'desk-2026-11-20.2.log',
      'desk-2026-11-20.3.log',
      'desk-2026-11-20.log',
    ]);
    for (const f of files) expect(statSync(join(dir, f)).size).toBeLessThanOrEqual(1000);
    // The newest line is in the live file, and the parts are in order (older parts, smaller seq).
    const seqs = (f: string) =>
      readFileSync(join(dir, f), 'utf8')
        .trim()
        .split('\n')
        .map((l) => JSON.parse(l).seq as number);
    expect(seqs('desk-2026-11-20.log').at(-1)).toBe(199);
    expect(Math.max(...seqs('desk-2026-11-20.2.log'))).toBeLessThan(
      Math.min(...seqs('desk-2026-11-20.1.log')),
    );
  });

  it('deletes logs older than the age limit when a logger starts', () => {
    const dir = mkdtempSync(join(tmpdir(), 'motcua-logs-'));
    writeFileSync(join(dir, 'desk-2026-09-01.log'), 'old\n');
    writeFileSync(join(dir, 'desk-2026-09-01.2.log'), 'old\n');
    writeFileSync(join(dir, 'desk-2026-11-01.log'), 'recent\n');
    writeFileSync(join(dir, 'notes.txt'), 'not a log\n');
    createLogger({ dir, clock: () => new Date('2026-11-20T03:00:00Z'), echo: false, maxAgeDays: 30 });
    expect(existsSync(join(dir, 'desk-2026-09-01.log'))).toBe(false);
    expect(existsSync(join(dir, 'desk-2026-09-01.2.log'))).toBe(false);
    expect(existsSync(join(dir, 'desk-2026-11-01.log'))).toBe(true);
    expect(existsSync(join(dir, 'notes.txt'))).toBe(true);
  });
});
