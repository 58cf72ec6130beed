import { mkdirSync, mkdtempSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { format, vi } from '../../electron/api/i18n';
import { launchChromium } from '../support/chromium';
import { signInFirstAdmin } from '../support/desk-call';
import { type HostProcess, REPO_ROOT, startHostProcess } from '../support/web-host-process';

const ARTIFACTS = join(REPO_ROOT, 'tests', 'artifacts');
const ui = vi.receptionUi;
/** An invented card, in the format of the chip ID card QR (VIETNAM.md). */
const CARD_QR = '038192004517||Nguyễn Thị Ánh Tuyết|15031992|Nữ|Thôn Đông Hải, Quảng Phú, Thanh Hóa|12082021';
/** Chromium, the host and whatever else runs share two cores: waits are generous. */
const SLOW = { timeout: 15_000 };

describe('desk home in Chromium, served by the web host', () => {
  let browser: Browser;
  let host: HostProcess;
  let page: Page;
  const dataDir = mkdtempSync(join(tmpdir(), 'motcua-e2e-'));
  const pageErrors: string[] = [];

  beforeAll(async () => {
    host = await startHostProcess(dataDir);
    browser = await launchChromium();
    page = await browser.newPage({ locale: 'vi-VN', viewport: { width: 1280, height: 800 } });
    page.on('pageerror', (error) => pageErrors.push(error.message));
    page.on('console', (message) => {
      if (message.type() === 'error') pageErrors.push(message.text());
    });
  });

  afterAll(async () => {
    await browser?.close();
    await host?.stop();
  });

  it('shows the Vietnamese desk home with its status bar', async () => {
    // The sign-in gate has its own suite (reception.test.ts); this one starts signed in.
    await signInFirstAdmin(host);
    await page.goto(host.url);
    await expect(page.getByRole('heading', { level: 1 }).textContent()).resolves.toBe(vi.app.title);
    await page.getByTestId('status-queue').getByText(vi.status.queueEmpty).waitFor();
    await expect(page.getByTestId('status-network').textContent()).resolves.toContain(
      vi.status.networkNotConfigured,
    );
    await page.getByText(vi.home.empty).waitFor();
  });

  const form = () => page.locator('.applicant-form');
  const pickProcedure = async (query: string) => {
    await page.keyboard.press('Alt+N');
    await page.keyboard.type(query);
    await page.getByRole('option', { name: /Đăng ký khai sinh/ }).waitFor(SLOW);
    await page.keyboard.press('Enter');
    // Picking a procedure hands the focus to the QR box, where the card reader types.
    await expect
      .poll(() => page.evaluate(() => document.activeElement?.getAttribute('placeholder')), SLOW)
      .toBe(ui.qrPlaceholder);
  };

  it('starts a dossier at the reception screen with the keyboard only, and it survives a reload and a host restart', async () => {
    await pickProcedure('khai sinh');
    await page.keyboard.type(CARD_QR);
    await page.keyboard.press('Enter');
    await form().getByText('Đã điền 5 trường từ mã QR').waitFor(SLOW);
    await expect(form().getByTestId('prefill-count').textContent()).resolves.toBe(
      'Điền sẵn 5 trường, gõ tay 0 trường.',
    );
    await page.keyboard.press('Enter');
    const row = page.getByRole('row', { name: /Nguyễn Thị Ánh Tuyết/ });
    await row.waitFor(SLOW);

    await page.reload();
    await row.waitFor(SLOW);

    await host.stop();
    host = await startHostProcess(dataDir);
    // A new host is a new desk session: the clerk signs in again.
    await signInFirstAdmin(host);
    await page.goto(host.url);
    // The old page's reconnect attempts to the stopped host are expected; only errors from now on count.
    pageErrors.length = 0;
    await row.waitFor(SLOW);
    await expect(row.textContent()).resolves.toContain('Đăng ký khai sinh');
    // Started, not yet received: the components and Ctrl+Enter are reception.test.ts's to prove.
    await expect(row.textContent()).resolves.toContain(vi.dossierStatus.draft);
  });

  it('finds dossiers without diacritics and says when nothing matches', async () => {
    const dossierRows = page.getByRole('row', { name: /Nguyễn Thị Ánh Tuyết/ });
    await page.keyboard.press('Alt+T');
    await page.keyboard.type('nguyen thi anh');
    await expect.poll(() => dossierRows.count(), SLOW).toBe(1);
    await expect(dossierRows.textContent()).resolves.toContain('Đăng ký khai sinh');
    await page.keyboard.press('Control+A');
    await page.keyboard.type('khong co ai');
    await expect
      .poll(() => page.getByText(format(vi.home.noMatch, { query: 'khong co ai' })).count(), SLOW)
      .toBe(1);
    await expect(dossierRows.count()).resolves.toBe(0);
    await page.keyboard.press('Control+A');
    await page.keyboard.press('Backspace');
    // An empty search lists the dossiers again.
    await expect.poll(() => dossierRows.count(), SLOW).toBe(1);
  });

  it('refuses an incomplete applicant with a Vietnamese message and keeps what was typed', async () => {
    await pickProcedure('khai sinh');
    // Enter in the empty QR box submits the form.
    await page.keyboard.press('Enter');
    await expect
      .poll(() => form().getByRole('alert').textContent(), SLOW)
      .toBe(`Vui lòng nhập ${ui.fullName.toLowerCase()}.`);
    await page.keyboard.press('Tab');
    await page.keyboard.type('Trần Văn Bình');
    await page.keyboard.press('Enter');
    await expect
      .poll(() => form().getByRole('alert').textContent(), SLOW)
      .toBe(`Vui lòng nhập ${ui.idNumber.toLowerCase()}.`);
    await expect(form().getByLabel(ui.fullName).inputValue()).resolves.toBe('Trần Văn Bình');
    await page.keyboard.press('Tab');
    await page.keyboard.type('12345');
    await page.keyboard.press('Enter');
    await expect.poll(() => form().getByRole('alert').textContent(), SLOW).toBe(ui.idNumberFormat);
  });

  it('explains an ID card QR that cannot be true, and keeps the form as it was', async () => {
    await page.keyboard.press('Alt+Q');
    await page.keyboard.type('038192004517||Lê Thị Hồng Nhung|31021992|Nữ|Thôn Đông Hải|12082021');
    await page.keyboard.press('Enter');
    await expect
      .poll(() => form().getByRole('alert').textContent(), SLOW)
      .toBe('Ngày sinh không có thật trên lịch.');
    await expect(form().getByLabel(ui.fullName).inputValue()).resolves.toBe('Trần Văn Bình');
  });

  it('takes a screenshot of the desk home with correct diacritics and logs no page error', async () => {
    mkdirSync(ARTIFACTS, { recursive: true });
    const file = join(ARTIFACTS, 'desk-home.png');
    await page.getByRole('row', { name: /Nguyễn Thị Ánh Tuyết/ }).waitFor(SLOW);
    await page.screenshot({ path: file, fullPage: true });
    expect(statSync(file).size).toBeGreaterThan(10_000);
    // Text as rendered (NFC, with every mark) is what the clerk reads.
    const text = (await page.locator('body').textContent()) ?? '';
    expect(text).toContain('Bàn tiếp nhận hồ sơ Một cửa');
    expect(text).toContain('Nguyễn Thị Ánh Tuyết');
    expect(pageErrors).toEqual([]);
  });
});
