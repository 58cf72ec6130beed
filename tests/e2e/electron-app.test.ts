import { execFileSync } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { _electron as electron } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { vi } from '../../electron/api/i18n';
import { findElectronBinary } from '../support/electron-binary';
import { REPO_ROOT } from '../support/web-host-process';

const binary = findElectronBinary();
if ('missing' in binary) {
  // Said out loud, never silent: this machine cannot run the real Electron app.
  console.log(`[electron e2e] skipped: ${binary.missing}. The same UI and services are tested in Chromium.`);
}

describe.skipIf('missing' in binary)('the Electron app', () => {
  it('opens a hardened window and creates a dossier through the preload bridge', async () => {
    execFileSync('npm', ['run', '--silent', 'build'], { cwd: REPO_ROOT, stdio: 'inherit' });
    const dataDir = mkdtempSync(join(tmpdir(), 'motcua-electron-'));
    const app = await electron.launch({
      executablePath: 'path' in binary ? binary.path : undefined,
      args: [REPO_ROOT, ...(process.env.CI ? ['--no-sandbox'] : [])],
      env: { ...process.env, MOTCUA_DATA_DIR: dataDir },
    });
    try {
      const window = await app.firstWindow();
      await expect(window.getByRole('heading', { level: 1 }).textContent()).resolves.toBe(vi.app.title);
      // The renderer has no Node: only the bridge the preload exposed.
      await expect(window.evaluate(() => typeof (globalThis as { require?: unknown }).require)).resolves.toBe(
        'undefined',
      );
      await window.keyboard.press('Alt+N');
      await window.keyboard.type('Đăng ký khai tử');
      await window.keyboard.press('Tab');
      await window.keyboard.type('Trần Văn Bình');
      await window.keyboard.press('Enter');
      await window.getByRole('row', { name: /Trần Văn Bình/ }).waitFor();
      // Sandbox + context isolation: no Node globals, and the bridge carries exactly two functions.
      const surface = await window.evaluate(() => ({
        process: typeof (globalThis as { process?: unknown }).process,
        bridge: Object.keys((globalThis as unknown as { deskBridge: object }).deskBridge).sort(),
        origin: globalThis.location.origin,
      }));
      expect(surface).toEqual({
        process: 'undefined',
        bridge: ['invoke', 'subscribe'],
        origin: 'app://desk',
      });
    } finally {
      await app.close();
    }
  });
});
