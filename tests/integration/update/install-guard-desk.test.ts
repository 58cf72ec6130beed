import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { DeskEvents, ScanSettingsView } from '../../../electron/api/desk-api';
import { Desk } from '../../../electron/services/desk/desk';
import { silentLogger } from '../../../electron/services/logging/logger';
import { signInDesk, value } from '../../support/desk-call';

const small: ScanSettingsView = { source: 'adf', resolution: 75, mode: 'gray', pageSize: 'A5' };
const opened: { desk: Desk; dir: string }[] = [];
afterEach(async () => {
  for (const { desk, dir } of opened.splice(0)) {
    await desk.close();
    rmSync(dir, { recursive: true, force: true });
  }
});

describe('no update install while the desk is at work', () => {
  it('defers the install during a scan and an open reception, allows it on quit once idle', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'motcua-install-guard-'));
    writeFileSync(join(dir, 'config.json'), JSON.stringify({ agencyCode: '000.17.22.H56', deskSlot: 0 }));
    const desk = new Desk({ dataDir: dir, networkPollMs: 0, logger: silentLogger });
    opened.push({ desk, dir });
    await signInDesk(desk);
    expect(desk.updateInstallDecision({ onQuit: true })).toEqual({ allowed: true });
    // No install time set by IT: while running, only on quit.
    expect(desk.updateInstallDecision({ onQuit: false })).toEqual({
      allowed: false,
      reason: 'not-install-time',
    });

    const ended = new Promise<void>((resolve) => {
      desk.events.subscribe((event, payload) => {
        if (event === 'scanEnded' && (payload as DeskEvents['scanEnded']).batchId) resolve();
      });
    });
    await value(desk.call('startScan', { deviceId: 'test:0', settings: small }));
    expect(desk.updateInstallDecision({ onQuit: true })).toEqual({ allowed: false, reason: 'scan' });
    await ended;
    await expect
      .poll(() => desk.updateInstallDecision({ onQuit: true }), { timeout: 30_000 })
      .toEqual({ allowed: true });

    const draft = await value(
      desk.call('startReception', {
        procedureCode: '1.001193',
        applicant: {
          fullName: 'Đỗ Văn Hùng',
          idNumber: '001089004321',
          dateOfBirth: '1989-01-02',
          sex: 'Nam',
          address: 'Xóm 2',
        },
      }),
    );
    expect(draft.status).toBe('draft');
    expect(desk.updateInstallDecision({ onQuit: true })).toEqual({ allowed: false, reason: 'reception' });
  });
});
