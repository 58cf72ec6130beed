import { execFileSync } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { _electron as electron } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { format, vi } from '../../electron/api/i18n';
import { findElectronBinary } from '../support/electron-binary';
import { REPO_ROOT } from '../support/web-host-process';

const binary = findElectronBinary();
if ('missing' in binary) {
  // Said out loud, never silent: this machine cannot run the real Electron app.
  console.log(`[electron e2e] skipped: ${binary.missing}. The same UI and services are tested in Chromium.`);
}

const ui = vi.receptionUi;
const ADMIN = { name: 'Lê Thị Hoa', pin: '2468' };
const CARD_QR = '038192004517||Trần Văn Bình|15031992|Nam|Thôn Đông Hải, Quảng Phú, Thanh Hóa|12082021';
/** The Electron app, its desk and whatever else runs share two cores: waits are generous. */
const SLOW = { timeout: 15_000 };

// Today's flow, with the same selectors as the Chromium suites (reception.test.ts, desk-home.test.ts): the
// first start asks for the desk administrator, who is then signed in and lands on the reception screen.
describe.skipIf('missing' in binary)('the Electron app', () => {
  it('opens a hardened window, sets up the first admin, signs in and starts a dossier', async () => {
    execFileSync('npm', ['run', '--silent', 'build'], { cwd: REPO_ROOT, stdio: 'inherit' });
    const dataDir = mkdtempSync(join(tmpdir(), 'motcua-electron-'));
    const app = await electron.launch({
      executablePath: 'path' in binary ? binary.path : undefined,
      args: [REPO_ROOT, ...(process.env.CI ? ['--no-sandbox'] : [])],
      env: { ...process.env, MOTCUA_DATA_DIR: dataDir },
    });
    try {
      const window = await app.firstWindow();
      // Sandbox + context isolation: no Node globals, and the bridge carries exactly two functions.
      const surface = await window.evaluate(() => ({
        require: typeof (globalThis as { require?: unknown }).require,
        process: typeof (globalThis as { process?: unknown }).process,
        bridge: Object.keys((globalThis as unknown as { deskBridge: object }).deskBridge).sort(),
        origin: globalThis.location.origin,
      }));
      expect(surface).toEqual({
        require: 'undefined',
        process: 'undefined',
        bridge: ['invoke', 'subscribe'],
        origin: 'app://desk',
      });

      // First run: the desk has no clerk yet, so it asks for its administrator (name, PIN, PIN again).
      const setupHeading = window.getByRole('heading', { name: ui.signIn.setupHeading });
      await expect.poll(() => setupHeading.count(), SLOW).toBe(1);
      await window.keyboard.type(ADMIN.name);
      await window.keyboard.press('Tab');
      await window.keyboard.type(ADMIN.pin);
      await window.keyboard.press('Tab');
      await window.keyboard.type(ADMIN.pin);
      await window.keyboard.press('Enter');
      const clerkName = window.getByTestId('clerk-name');
      await expect
        .poll(() => clerkName.textContent(), SLOW)
        .toBe(format(ui.header.signedIn, { name: ADMIN.name }));
      await expect(window.getByRole('heading', { level: 1 }).textContent()).resolves.toBe(vi.app.title);

      // The reception screen through the preload bridge: pick the procedure, read the card, start the dossier.
      await window.keyboard.press('Alt+N');
      await window.keyboard.type('khai sinh');
      const option = window.getByRole('option', { name: /Đăng ký khai sinh/ });
      await expect.poll(() => option.first().getAttribute('aria-selected'), SLOW).toBe('true');
      await window.keyboard.press('Enter');
      await expect
        .poll(() => window.evaluate(() => document.activeElement?.getAttribute('placeholder')), SLOW)
        .toBe(ui.qrPlaceholder);
      await window.keyboard.type(CARD_QR);
      await window.keyboard.press('Enter');
      await expect.poll(() => window.getByText('Đã điền 5 trường từ mã QR').count(), SLOW).toBeGreaterThan(0);
      await window.keyboard.press('Enter');
      const row = window.getByRole('row', { name: /Trần Văn Bình/ });
      await expect.poll(() => row.count(), SLOW).toBe(1);
      await expect(row.textContent()).resolves.toContain(vi.dossierStatus.draft);
    } finally {
      await app.close();
    }
  });
});
