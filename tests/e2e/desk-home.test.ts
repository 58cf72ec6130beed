import { mkdirSync, mkdtempSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { vi } from '../../electron/api/i18n';
import { launchChromium } from '../support/chromium';
import { type HostProcess, REPO_ROOT, startHostProcess } from '../support/web-host-process';

const ARTIFACTS = join(REPO_ROOT, 'tests', 'artifacts');

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
    await page.goto(host.url);
    await expect(page.getByRole('heading', { level: 1 }).textContent()).resolves.toBe(vi.app.title);
    await page.getByTestId('status-queue').getByText(vi.status.queueEmpty).waitFor();
    await expect(page.getByTestId('status-network').textContent()).resolves.toContain(
      vi.status.networkNotConfigured,
    );
    await page.getByText(vi.home.empty).waitFor();
  });

  it('creates a dossier with the keyboard only, and it survives a reload and a host restart', async () => {
    await page.keyboard.press('Alt+N');
    await page.keyboard.type('Đăng ký khai sinh');
    await page.keyboard.press('Tab');
    await page.keyboard.type('Nguyễn Thị Ánh Tuyết');
    await page.keyboard.press('Enter');
    const row = page.getByRole('row', { name: /Nguyễn Thị Ánh Tuyết/ });
    await row.waitFor();
    await page.getByTestId('status-queue').getByText('1 hồ sơ chờ gửi').waitFor();

    await page.reload();
    await row.waitFor();

    await host.stop();
    host = await startHostProcess(dataDir);
    await page.goto(host.url);
    // The old page's reconnect attempts to the stopped host are expected; only errors from now on count.
    pageErrors.length = 0;
    await row.waitFor();
    await expect(row.textContent()).resolves.toContain(vi.dossierStatus.received);
  });

  it('finds dossiers without diacritics and says when nothing matches', async () => {
    await page.keyboard.press('Alt+T');
    await page.keyboard.type('nguyen thi anh');
    await page.getByRole('row', { name: /Nguyễn Thị Ánh Tuyết/ }).waitFor();
    await page.keyboard.press('Control+A');
    await page.keyboard.type('khong co ai');
    await page.getByText('Không có hồ sơ nào khớp “khong co ai”.').waitFor();
    await page.keyboard.press('Control+A');
    await page.keyboard.press('Backspace');
  });

  it('refuses an incomplete form with a Vietnamese message and keeps what was typed', async () => {
    await page.keyboard.press('Alt+N');
    await page.keyboard.type('Chứng thực bản sao');
    await page.keyboard.press('Enter');
    await expect(page.getByRole('alert').textContent()).resolves.toBe('Vui lòng nhập họ và tên người nộp.');
    await expect(page.getByLabel(vi.home.procedureName).inputValue()).resolves.toBe('Chứng thực bản sao');
    await page.keyboard.press('Escape');
    await expect(page.getByLabel(vi.home.procedureName).inputValue()).resolves.toBe('');
  });

  it('fills the applicant from the ID card QR typed by a handheld reader, and explains a bad one', async () => {
    await page.keyboard.press('Alt+Q');
    // An invented card, in the format of the chip ID card QR (VIETNAM.md).
    await page.keyboard.type(
      '038192004517||Lê Thị Hồng Nhung|15031992|Nữ|Thôn Đông Hải, Quảng Phú, Thanh Hóa|12082021',
    );
    await page.keyboard.press('Enter');
    await expect.poll(() => page.getByLabel(vi.home.applicantName).inputValue()).toBe('Lê Thị Hồng Nhung');
    await expect(page.getByTestId('prefill-count').textContent()).resolves.toBe(
      'Điền sẵn 1/2 trường, gõ tay 1.',
    );
    await page.keyboard.type('038192004517||Lê Thị Hồng Nhung|31021992|Nữ|Thôn Đông Hải|12082021');
    await page.keyboard.press('Enter');
    await expect.poll(() => page.getByRole('alert').textContent()).toBe('Ngày sinh không có thật trên lịch.');
    await page.keyboard.press('Escape');
  });

  it('takes a screenshot of the desk home with correct diacritics and logs no page error', async () => {
    mkdirSync(ARTIFACTS, { recursive: true });
    const file = join(ARTIFACTS, 'desk-home.png');
    await page.getByRole('row', { name: /Nguyễn Thị Ánh Tuyết/ }).waitFor();
    await page.screenshot({ path: file, fullPage: true });
    expect(statSync(file).size).toBeGreaterThan(10_000);
    // Text as rendered (NFC, with every mark) is what the clerk reads.
    const text = (await page.locator('body').textContent()) ?? '';
    expect(text).toContain('Bàn tiếp nhận hồ sơ Một cửa');
    expect(text).toContain('Nguyễn Thị Ánh Tuyết');
    expect(pageErrors).toEqual([]);
  });
});
