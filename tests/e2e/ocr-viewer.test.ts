import { mkdirSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { vi } from '../../electron/api/i18n';
import { corpusFile } from '../integration/ocr/corpus';
import { launchChromium } from '../support/chromium';
import { signInFirstAdmin } from '../support/desk-call';
import { type HostProcess, REPO_ROOT, startHostProcess } from '../support/web-host-process';

/** Page files in, OCR in the background, text beside the image, and search by words on the page. */
describe('OCR in the desk UI', () => {
  let browser: Browser;
  let host: HostProcess;
  let page: Page;
  const dataDir = mkdtempSync(join(tmpdir(), 'motcua-e2e-ocr-'));

  beforeAll(async () => {
    host = await startHostProcess(dataDir);
    browser = await launchChromium();
    page = await browser.newPage({ viewport: { width: 1280, height: 1000 } });
  });
  afterAll(async () => {
    await browser?.close();
    await host?.stop();
  });

  it('adds pages from image files and shows OCR progress on each thumbnail', async () => {
    // The sign-in gate has its own suite (reception.test.ts); this one starts signed in.
    await signInFirstAdmin(host);
    await page.goto(host.url);
    await page.getByLabel(vi.scanPanel.importFiles).setInputFiles([corpusFile('d4-giay-uy-quyen.scan.jpg')]);
    await page.getByText('Đã thêm 1 trang từ tệp.').waitFor();
    await page.locator('[data-ocr="done"]').waitFor({ timeout: 90_000 });
    await expect(page.locator('.ocr-badge').textContent()).resolves.toMatch(/^Đã nhận dạng \(\d+%\)$/);
  });

  it('opens the page with Enter and shows the recognised Vietnamese text beside the image', async () => {
    await page.locator('.thumbnails figure').first().focus();
    await page.keyboard.press('Enter');
    const text = page.getByTestId('ocr-text');
    await text.waitFor();
    const content = (await text.textContent()) ?? '';
    expect(content.normalize('NFC')).toMatch(/GIẤY ỦY QUYỀN/);
    await expect(page.locator('.viewer-image img').getAttribute('src')).resolves.toMatch(/^data:image\/jpeg/);
    // Every highlighted word in the text has its box on the image.
    await expect(page.locator('.low-box').count()).resolves.toBe(
      await page.locator('.ocr-text mark').count(),
    );
    // Fields read on the page; a name goes into the reception form for the clerk to confirm.
    const fields = page.getByTestId('page-fields');
    await expect(fields.textContent()).resolves.toMatch(/Số định danh cá nhân.*038061004410/);
    await fields.getByRole('button', { name: vi.pageViewer.useAsApplicant }).first().click();
    await expect
      .poll(() => page.locator('.applicant-form').getByLabel(vi.receptionUi.fullName).inputValue())
      .toMatch(/^(Đỗ Quang Vinh|Vũ Thị Thu Hương)$/);
    // The reception form marks the name as read from the page and counts it as pre-filled, not typed.
    await expect(page.locator('.applicant-form .filled-tag').textContent()).resolves.toBe(
      vi.receptionUi.fromPage,
    );
    await expect(page.getByTestId('prefill-count').textContent()).resolves.toBe(
      'Điền sẵn 1 trường, gõ tay 0 trường.',
    );
    mkdirSync(join(REPO_ROOT, 'tests', 'artifacts'), { recursive: true });
    await page.screenshot({ path: join(REPO_ROOT, 'tests', 'artifacts', 'page-viewer.png'), fullPage: true });
    await page.locator('.page-viewer').getByRole('button', { name: /Đóng/ }).click();
    await expect(text.count()).resolves.toBe(0);
  });

  it('finds the page by words of its text typed without diacritics', async () => {
    await page.keyboard.press('Alt+T');
    await page.keyboard.type('giay uy quyen');
    const hit = page.locator('.page-hits li').first();
    await hit.waitFor();
    await expect(hit.locator('.snippet').textContent()).resolves.toMatch(/ỦY QUYỀN/);
    await hit.getByRole('button').click();
    await page.getByTestId('ocr-text').waitFor();
  });
});
