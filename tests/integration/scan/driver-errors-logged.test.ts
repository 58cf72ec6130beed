/**
 * The scanner driver never swallows a close or cancel error unseen: those are the clues to a stuck scanner.
 * The scan itself is over either way, so the error is logged (English, device id only), never thrown.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { createLogger } from '../../../electron/services/logging/logger';
import { SaneDriver } from '../../../electron/services/scan/sane-driver';
import { SaneClient } from '../../../native/sane/client';
import { TEST_DEVICE, tempDir } from './helpers';

const client = new SaneClient();
afterAll(async () => {
  await client.close();
});

function logLines(dir: string): Record<string, unknown>[] {
  return readdirSync(dir)
    .filter((name) => name.endsWith('.log'))
    .flatMap((name) => readFileSync(join(dir, name), 'utf8').split('\n'))
    .filter(Boolean)
    .map((line) => JSON.parse(line) as Record<string, unknown>);
}

describe('sane driver errors after the scan', () => {
  it('logs a close that libsane refuses, and close() still resolves', async () => {
    const logDir = tempDir('motcua-driver-log-');
    const driver = new SaneDriver(client, createLogger({ dir: logDir, echo: false }));
    const session = await driver.open(TEST_DEVICE);
    // The worker loses the device under the session (as when libsane is restarted): the close must fail.
    await client.close();
    await expect(session.close()).resolves.toBeUndefined();
    const failed = logLines(logDir).filter((l) => l.event === 'scan.driver-step-failed');
    expect(failed).toHaveLength(1);
    expect(failed[0]).toMatchObject({ level: 'warn', device: TEST_DEVICE, step: 'close' });
    expect(String(failed[0]?.detail)).toMatch(/[a-z]/);
  });
});
