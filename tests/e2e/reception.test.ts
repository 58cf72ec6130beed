import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { format, vi } from '../../electron/api/i18n';
import { launchChromium } from '../support/chromium';
import { pdfText } from '../support/poppler';
import { type HostProcess, REPO_ROOT, startHostProcess } from '../support/web-host-process';

const ARTIFACTS = join(REPO_ROOT, 'tests', 'artifacts');
const ui = vi.receptionUi;
/** An invented card, in the shape of a real chip ID card QR (see shared/domain/VIETNAM.md). */
const CARD_QR = '038192004517||Lê Thị Hồng Nhung|15031992|Nữ|Thôn Đông Hải, Quảng Phú, Thanh Hóa|12082021';
const APPLICANT = 'Lê Thị Hồng Nhung';
const PIN = '2468';
/** Chromium, the host, libsane and OCR share two cores with whatever else runs: waits are generous. */
const SLOW = { timeout: 15_000 };
const SCAN = { timeout: 60_000 };
const LONG_TEST = 240_000;

/**
 * Issue #5 end to end: Chromium on the web host, libsane's virtual scanner, a clerk who only uses the keyboard.
 * The first-run admin receives a birth registration (1.001193) with three scanned components and gets the
 * receipt; the same citizen's second dossier reuses a component instead of scanning it again.
 */
describe('reception at the desk, keyboard only', () => {
  let browser: Browser;
  let host: HostProcess;
  let page: Page;
  const dataDir = mkdtempSync(join(tmpdir(), 'motcua-e2e-reception-'));
  const pageErrors: string[] = [];
  const scansStarted: string[] = [];
  /** What the clerk pressed; the QR reader's typing is the reader's, counted apart. */
  let keystrokes = 0;
  let readerKeystrokes = 0;
  const press = async (key: string) => {
    keystrokes++;
    await page.keyboard.press(key);
  };
  const type = async (text: string) => {
    keystrokes += [...text].length;
    await page.keyboard.type(text);
  };
  /** Alt+N, the search, and Enter once the list has settled on its first match (it may render before). */
  const pickBirthRegistration = async () => {
    await press('Alt+N');
    await type('khai sinh');
    const option = page.getByRole('option', { name: /Đăng ký khai sinh/ });
    await option.waitFor();
    await expect.poll(() => option.getAttribute('aria-selected'), SLOW).toBe('true');
    await press('Enter');
  };
  const scanCard = async () => {
    // The reader types as soon as the card is under it; the clerk has moved on to the QR box by then.
    await expect
      .poll(() => page.evaluate(() => document.activeElement?.getAttribute('placeholder')), SLOW)
      .toBe(ui.qrPlaceholder);
    readerKeystrokes += [...CARD_QR].length + 1;
    await page.keyboard.type(CARD_QR);
    await page.keyboard.press('Enter');
  };
  const row = (code: string) => page.locator(`li.component[data-code="${code}"]`);
  const focusedRow = () => page.evaluate(() => document.activeElement?.getAttribute('data-code') ?? null);
  /** A desk call through the host, as the page makes them (same token), to read back what the UI did. */
  const call = <T>(name: string, input: unknown) =>
    page.evaluate(
      async ([n, i]) => {
        const token = document.querySelector<HTMLMetaElement>('meta[name="desk-token"]')?.content ?? '';
        const response = await fetch(`api/${n}`, {
          method: 'POST',
          headers: { 'content-type': 'application/json', 'x-desk-token': token },
          body: JSON.stringify(i),
        });
        return response.json();
      },
      [name, input] as const,
    ) as Promise<{ ok: true; value: T } | { ok: false; error: { message: string } }>;
  const value = async <T>(name: string, input: unknown) => {
    const result = await call<T>(name, input);
    if (!result.ok) throw new Error(`${name}: ${result.error.message}`);
    return result.value;
  };

  beforeAll(async () => {
    mkdirSync(ARTIFACTS, { recursive: true });
    // The virtual scanner's default page is solid black, which blank-page removal would drop.
    // Desk slot 0 of the commune gives this desk its own range of dossier codes without the provincial system.
    writeFileSync(
      join(dataDir, 'config.json'),
      JSON.stringify({
        agencyCode: '000.17.22.H56',
        agencyName: 'UBND xã Quảng Phú',
        deskSlot: 0,
        scan: { removeBlankPages: false },
      }),
    );
    host = await startHostProcess(dataDir);
    browser = await launchChromium();
    const context = await browser.newContext({
      locale: 'vi-VN',
      timezoneId: 'Asia/Ho_Chi_Minh',
      viewport: { width: 1366, height: 900 },
      acceptDownloads: true,
    });
    page = await context.newPage();
    page.on('pageerror', (error) => pageErrors.push(error.message));
    page.on('console', (message) => {
      if (message.type() === 'error') pageErrors.push(message.text());
    });
    page.on('request', (request) => {
      if (request.url().endsWith('/api/startScan')) scansStarted.push(request.url());
    });
  });

  afterAll(async () => {
    await browser?.close();
    await host?.stop();
  });

  it('creates the first desk admin on first run and signs them in', async () => {
    await page.goto(host.url);
    await page.getByRole('heading', { name: ui.signIn.setupHeading }).waitFor();
    await page.screenshot({ path: join(ARTIFACTS, 'reception-setup.png') });
    await type('Lê Thị Hoa');
    await press('Tab');
    await type(PIN);
    await press('Tab');
    await type(PIN);
    await press('Enter');
    const clerkName = page.getByTestId('clerk-name');
    const signedInAs = format(ui.header.signedIn, { name: 'Lê Thị Hoa' });
    await expect.poll(() => clerkName.textContent(), SLOW).toBe(signedInAs);
    // The desk, not just the page, holds an admin session now, and setup is over.
    await expect(value('getSession', null)).resolves.toMatchObject({
      needsSetup: false,
      locked: false,
      clerk: { name: 'Lê Thị Hoa', role: 'admin' },
    });
    // One flatbed page per component at 75 dpi keeps the run short; the scan panel is where profiles are made.
    const [scanner] = await value<{ id: string }[]>('listScanners', null);
    await value('saveScanProfile', {
      deviceId: scanner?.id,
      name: 'Tiếp nhận',
      settings: { source: 'flatbed', resolution: 75, mode: 'gray', pageSize: 'A4' },
      isDefault: true,
    });
    await page.reload();
    // The session survives a reload: the desk holds it, not the page.
    await expect.poll(() => clerkName.textContent(), SLOW).toBe(signedInAs);
    await expect(page.getByRole('heading', { name: ui.signIn.setupHeading }).count()).resolves.toBe(0);
  });

  let firstCode = '';
  it(
    'receives a 3-component birth registration with the keyboard only and prints the receipt',
    async () => {
      keystrokes = 0;
      const procedureBox = page.getByRole('combobox', { name: new RegExp(ui.procedureSearch) });
      await expect.poll(() => procedureBox.evaluate((el) => el === document.activeElement), SLOW).toBe(true);
      await type('khai sinh');
      const option = page.getByRole('option', { name: /Đăng ký khai sinh/ });
      await option.waitFor();
      // The list may render a moment before the search settles on its first match.
      await expect.poll(() => option.getAttribute('aria-selected'), SLOW).toBe('true');
      await expect(option.textContent()).resolves.toContain(ui.sample);
      await press('Enter');

      await scanCard();
      await page.getByText(/Đã điền 5 trường từ mã QR/).waitFor();
      await type('0912345678');
      await press('Enter');

      await expect.poll(focusedRow, SLOW).toBe('KS-01');
      await expect(row('KS-01').textContent()).resolves.toContain(ui.required);
      await expect(row('KS-03').textContent()).resolves.toContain(ui.optional);
      for (const [code, next] of [
        ['KS-01', 'KS-02'],
        ['KS-02', 'KS-03'],
        ['KS-03', 'KS-04'],
      ] as const) {
        await press('Enter');
        await expect.poll(() => row(code).getAttribute('data-status'), SCAN).toBe('scanned');
        await expect.poll(focusedRow, SLOW).toBe(next);
      }
      await expect(row('KS-04').getAttribute('data-status')).resolves.toBe('missing');
      const due = await page.getByTestId('due-preview').textContent();
      expect(due).toMatch(/^Thứ (Hai|Ba|Tư|Năm|Sáu), \d{2}\/\d{2}\/\d{4} \d{2}:\d{2}$/);
      await page.screenshot({ path: join(ARTIFACTS, 'reception-checklist.png'), fullPage: true });

      const printWindow = page.context().waitForEvent('page');
      await press('Control+Enter');
      const code = (await page.getByTestId('dossier-code').textContent()) ?? '';
      expect(code).toMatch(/^[\w.]+-\d{6}-\d{4}$/);
      firstCode = code;
      // The browser build prints through the browser's PDF viewer: the receipt opens there (no real printer).
      const opened = await printWindow;
      expect(opened.url()).toMatch(/^blob:/);
      await opened.close();
      await page.getByText(ui.printOpened).waitFor();
      console.log(
        `reception 1: ${keystrokes} clerk keystrokes (+${readerKeystrokes} typed by the QR reader)`,
      );
      await page.screenshot({ path: join(ARTIFACTS, 'reception-receipt.png'), fullPage: true });

      const downloading = page.waitForEvent('download');
      await press('Alt+V');
      const download = await downloading;
      const saved = readFileSync((await download.path()) ?? '');
      expect(download.suggestedFilename()).toBe(`phieu-tiep-nhan-${code}.pdf`);

      const text = pdfText(saved);
      expect(text).toContain(code);
      expect(text).toContain(APPLICANT);
      expect(text).toContain('Tờ khai đăng ký khai sinh theo mẫu');
      expect(text).toContain('Giấy chứng sinh');
      expect(text).toContain('Giấy chứng nhận kết hôn của cha, mẹ');
      const dueAt = await page.getByTestId('due-at').textContent();
      const [, day, time] = /(\d{2}\/\d{2}\/\d{4}) (\d{2}:\d{2})$/.exec(dueAt ?? '') ?? [];
      expect(text).toContain(`${time} ${day}`);

      const dossiers = await value<{ code: string | null; status: string }[]>('listDossiers', {});
      expect(dossiers.find((d) => d.code === code)?.status).toBe('received');
      expect(scansStarted).toHaveLength(3);

      // The pre-fill panel counts the received dossier: 5 fields from the card's QR, the phone typed.
      const report = await value<{ procedureCode: string; prefilled: number; typed: number }[]>(
        'prefillReport',
        {},
      );
      expect(report).toEqual([
        expect.objectContaining({ procedureCode: '1.001193', prefilled: 5, typed: 1 }),
      ]);
      const panel = page.getByTestId('prefill-panel');
      await expect
        .poll(() => panel.getByRole('row', { name: /Đăng ký khai sinh/ }).textContent(), SLOW)
        .toMatch(/^Đăng ký khai sinh.*1\s*5\s*1\s*83%$/);
      await expect(panel.getByTestId('prefill-total').textContent()).resolves.toBe(
        `${format(vi.prefillPanel.total, { prefilled: 5, fields: 6, percent: 83 })} ${format(vi.prefillPanel.goalMet, { goal: 20 })}`,
      );
    },
    LONG_TEST,
  );

  it(
    'offers what is already digitized for the same citizen and reuses it without scanning',
    async () => {
      keystrokes = 0;
      await pickBirthRegistration();
      await scanCard();
      await page.getByText(/Đã điền 5 trường từ mã QR/).waitFor();
      await press('Enter');

      await expect.poll(focusedRow, SLOW).toBe('KS-01');
      // The parents' marriage certificate is the same paper for every child: take the digitized one.
      await press('ArrowDown');
      await press('ArrowDown');
      await expect.poll(focusedRow, SLOW).toBe('KS-03');
      await expect(row('KS-03').locator('.reuse-offer').first().textContent()).resolves.toContain(
        ui.sources.desk,
      );
      await press('d');
      await expect.poll(() => row('KS-03').getAttribute('data-status'), SLOW).toBe('reused');
      await expect(row('KS-03').textContent()).resolves.toContain(firstCode);
      // Back to the first required paper still missing; the new child's papers are scanned.
      for (const code of ['KS-01', 'KS-02']) {
        await expect.poll(focusedRow, SLOW).toBe(code);
        await press('Enter');
        await expect.poll(() => row(code).getAttribute('data-status'), SCAN).toBe('scanned');
      }
      expect(scansStarted).toHaveLength(5);
      await page.screenshot({ path: join(ARTIFACTS, 'reception-reuse.png'), fullPage: true });

      const printWindow = page.context().waitForEvent('page');
      await press('Control+Enter');
      const code = (await page.getByTestId('dossier-code').textContent()) ?? '';
      expect(code).not.toBe(firstCode);
      await (await printWindow).close();
      console.log(`reception 2 (marriage certificate reused): ${keystrokes} clerk keystrokes`);
      const downloading = page.waitForEvent('download');
      await press('Alt+V');
      const text = pdfText(readFileSync((await (await downloading).path()) ?? ''));
      expect(text).toContain(code);
      expect(text).toContain('Giấy chứng nhận kết hôn của cha, mẹ');
    },
    LONG_TEST,
  );

  it(
    'asks for every missing paper in one supplement request, and refuses with a stated reason',
    async () => {
      const startBirthRegistration = async () => {
        await pickBirthRegistration();
        await scanCard();
        await page.getByText(/Đã điền 5 trường từ mã QR/).waitFor();
        await press('Enter');
        await expect.poll(focusedRow, SLOW).toBe('KS-01');
      };
      const savedPdfText = async () => {
        const downloading = page.waitForEvent('download');
        await press('Alt+V');
        return pdfText(readFileSync((await (await downloading).path()) ?? ''));
      };

      await startBirthRegistration();
      await press('Alt+B');
      const missing = page.getByRole('checkbox');
      await expect(missing.count()).resolves.toBe(4);
      await expect(
        missing.evaluateAll((boxes) => boxes.map((b) => (b as HTMLInputElement).checked)),
      ).resolves.toEqual([true, true, true, true]);
      await press('Space'); // the tờ khai is filled in at the desk: not asked for
      let printWindow = page.context().waitForEvent('page');
      await press('Control+Enter');
      await page.getByRole('heading', { name: ui.supplementDone }).waitFor();
      await (await printWindow).close();
      const supplement = await savedPdfText();
      expect(supplement).toContain('Giấy chứng sinh');
      expect(supplement).not.toContain('Tờ khai đăng ký khai sinh theo mẫu');

      await startBirthRegistration();
      await press('Alt+R');
      await type('Người nộp không phải cha, mẹ hoặc người được ủy quyền.');
      printWindow = page.context().waitForEvent('page');
      await press('Control+Enter');
      await page.getByRole('heading', { name: ui.refuseDone }).waitFor();
      await (await printWindow).close();
      expect(await savedPdfText()).toContain('Người nộp không phải cha, mẹ hoặc người được ủy quyền.');
      const statuses = (await value<{ status: string }[]>('listDossiers', {})).map((d) => d.status).sort();
      expect(statuses).toEqual(['received', 'received', 'refused', 'supplement-requested']);
    },
    LONG_TEST,
  );

  it('locks with Alt+L, says how many tries remain, and unlocks with the same PIN', async () => {
    await press('Alt+L');
    await page.getByTestId('lock-screen').waitFor();
    await type('0000');
    await press('Enter');
    await page
      .getByRole('alert')
      .getByText(/Mã PIN không đúng/)
      .waitFor();
    await page.screenshot({ path: join(ARTIFACTS, 'reception-lock.png') });
    // After a wrong PIN the next one is looked at only after a short backoff (1 s): a clerk retyping waits it.
    await page.waitForTimeout(1_200);
    await type(PIN);
    await press('Enter');
    await page.getByTestId('lock-screen').waitFor({ state: 'detached' });
    await page.getByTestId('reception-result').waitFor();
    // The clerk is back where they were: the print button of the refusal just issued.
    await expect(page.evaluate(() => document.activeElement?.textContent)).resolves.toContain(ui.print);
    expect(pageErrors).toEqual([]);
  });
});
