import { randomUUID } from 'node:crypto';
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { vi } from '../../electron/api/i18n';
import { openWorkingCalendar } from '../../electron/services/calendar';
import { parseVietnamDateTime } from '../../electron/services/calendar/civil-date';
import { openStore } from '../../electron/services/store/store';
import { launchChromium } from '../support/chromium';
import { hostCall, signInFirstAdmin, TEST_ADMIN } from '../support/desk-call';
import { type HostProcess, REPO_ROOT, startHostProcess } from '../support/web-host-process';

const ARTIFACTS = join(REPO_ROOT, 'tests', 'artifacts');
const q = vi.quality;
const SLOW = { timeout: 20_000 };
const COMMUNE = 'UBND xã Quảng Phú';
const RETURNED = '000.17.22.H56-261204-0001';
const DUE_SOON = '000.17.22.H56-261204-0002';

/** Two dossiers received today as reception leaves them: one to hand back, one due within two working days. */
function seed(dataDir: string): { returnedId: string } {
  const store = openStore(dataDir);
  const now = new Date();
  const calendar = openWorkingCalendar({ db: store.db });
  const soon = parseVietnamDateTime(`${calendar.addWorkingDays(now, 1)}T16:00`).toISOString();
  const insert = store.db.prepare(
    `INSERT INTO dossiers (id, code, procedure_code, procedure_name, applicant_name, status, created_at, updated_at,
                           received_at, due_at)
     VALUES (?, ?, '1.001193', 'Đăng ký khai sinh', 'Lê Thị Hồng Nhung', 'received', ?, ?, ?, ?)`,
  );
  const returnedId = randomUUID();
  const received = new Date(now.getTime() - 60_000).toISOString();
  insert.run(returnedId, RETURNED, received, received, received, soon);
  insert.run(randomUUID(), DUE_SOON, received, received, received, soon);
  store.close();
  return { returnedId };
}

/**
 * Issue 15 in Chromium: the result of a dossier is handed back, the citizen's /danh-gia screen shows the officer
 * and records "Chưa hài lòng" with a reason, the dashboard counts it into 5.4 as a local warning, and the other
 * dossier shows as due within two working days.
 */
describe('service quality at the desk, in Chromium', () => {
  let browser: Browser;
  let context: BrowserContext;
  let host: HostProcess;
  let page: Page;
  let returnedId = '';
  const dataDir = mkdtempSync(join(tmpdir(), 'motcua-e2e-quality-'));
  const pageErrors: string[] = [];

  beforeAll(async () => {
    mkdirSync(ARTIFACTS, { recursive: true });
    writeFileSync(
      join(dataDir, 'config.json'),
      JSON.stringify({ agencyCode: '000.17.22.H56', agencyName: COMMUNE }),
    );
    ({ returnedId } = seed(dataDir));
    host = await startHostProcess(dataDir);
    await signInFirstAdmin(host);
    browser = await launchChromium();
    context = await browser.newContext({
      locale: 'vi-VN',
      timezoneId: 'Asia/Ho_Chi_Minh',
      viewport: { width: 1366, height: 900 },
    });
    page = await context.newPage();
    page.on('pageerror', (error) => pageErrors.push(error.message));
  }, 120_000);

  afterAll(async () => {
    await browser?.close();
    await host?.stop();
  });

  it('the rating screen shows the officer of the dossier just returned and records one rating', async () => {
    const rating = await context.newPage();
    rating.on('pageerror', (error) => pageErrors.push(error.message));
    await rating.goto(new URL('/danh-gia', host.url).href);
    await rating.getByText(q.rating.idle).waitFor(SLOW);
    await hostCall(host, 'returnResult', {
      dossierId: returnedId,
      kind: 'e-result',
      file: {
        name: 'ket-qua.pdf',
        mimeType: 'application/pdf',
        dataBase64: Buffer.from('%PDF-1.4\n').toString('base64'),
      },
    });
    // The desk's ratingPrompt event brings the officer up without a reload.
    await rating.getByText(TEST_ADMIN.name.toLocaleUpperCase('vi')).waitFor(SLOW);
    await rating.getByText(COMMUNE).waitFor();
    await rating.getByText(`Hồ sơ ${RETURNED}`).waitFor();
    await rating.screenshot({ path: join(ARTIFACTS, 'quality-rating.png') });
    await rating.getByRole('button', { name: q.rating.levels.dissatisfied }).click();
    await rating.getByRole('checkbox', { name: q.rating.reasons['long-wait'] }).check();
    await rating.getByRole('button', { name: q.rating.send }).click();
    await rating.getByText(q.rating.thanks).waitFor(SLOW);
    // After the thank-you it goes back to idle by itself.
    await rating.getByText(q.rating.idle).waitFor({ timeout: 15_000 });
    const prompt = await hostCall(host, 'getRatingPrompt', null);
    expect(prompt).toBeNull();
    await rating.close();
  }, 120_000);

  it('the dashboard counts it into 5.4 as local and lists the dossier due soon', async () => {
    await page.goto(host.url);
    await page.getByRole('button', { name: q.dashboard.open }).click();
    await page.getByRole('heading', { name: q.dashboard.heading }).waitFor(SLOW);
    const satisfaction = page.locator('tr[data-indicator="5.4"]');
    await satisfaction.waitFor(SLOW);
    // Returned early, so on time for 2.1, but the desk's "Chưa hài lòng" takes it out of 5.4: 0 of 1.
    await expect.poll(() => satisfaction.textContent(), SLOW).toContain('0 / 1');
    await expect.poll(() => page.locator('tr[data-indicator="2.1"]').textContent(), SLOW).toContain('1 / 1');
    await page.getByText(/1 đánh giá “Chưa hài lòng” tại quầy/).waitFor(SLOW);
    // 4.1: the returned dossier carries its e-result.
    await expect.poll(() => page.locator('tr[data-indicator="4.1"]').textContent(), SLOW).toContain('1 / 1');
    const soonList = page.locator('.quality-dashboard .due-soon');
    await expect.poll(() => soonList.textContent(), SLOW).toContain(DUE_SOON);
    // The returned one is no longer at risk; the applicant's name is masked.
    expect(await soonList.textContent()).not.toContain(RETURNED);
    expect(await soonList.textContent()).toContain('Lê T. H. N.');
    await page.screenshot({ path: join(ARTIFACTS, 'quality-dashboard.png'), fullPage: true });
    expect(pageErrors).toEqual([]);
  }, 120_000);
});
