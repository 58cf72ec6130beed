import { cpSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { AuditLog } from '../../../electron/services/audit/audit-log';
import {
  computeDueDate,
  formatVietnamDateTime,
  openWorkingCalendar,
} from '../../../electron/services/calendar';
import { ProcedureCatalog } from '../../../electron/services/catalog';
import {
  FormError,
  formTemplateFor,
  type ReceiptInput,
  renderForm,
  renderReceipt,
  renderRefusal,
  renderSupplementRequest,
  SHIPPED_FORMS_DIR,
  SupplementRegister,
} from '../../../electron/services/forms';
import { openStore } from '../../../electron/services/store/store';
import { pdfPagePng, pdfText, pdfWords, readQrCodes } from './pdf-tools';

const CODE = '000.17.22.H56-260522-2001';
const RECEIVED = new Date('2026-05-22T02:15:00Z'); // 09:15 Friday 22/05/2026 in Vietnam
const NAME = 'Lê Thị Hồng Nhung';
const LONG_NAME =
  'Công Tằng Tôn Nữ Nguyễn Phước Thị Thùy Dương Hoàng Yến Khánh Linh Ngọc Diệp Bảo Trâm Huyền Trang Thiên Hương';
const LONG_ADDRESS =
  'Số nhà 18, ngõ 42, đường Nguyễn Trãi, thôn Đông Hải, xã Quảng Phú, tỉnh Thanh Hóa (gần Trường Tiểu học Quảng Phú)';

function catalogProcedure(code: string) {
  const dir = mkdtempSync(join(tmpdir(), 'motcua-forms-catalog-'));
  const store = openStore(dir);
  const catalog = new ProcedureCatalog(store.db);
  catalog.loadSampleIfEmpty();
  return { store, procedure: catalog.requireProcedure(code, '2026-05-22') };
}

function receiptInput(overrides: Partial<ReceiptInput> = {}): ReceiptInput {
  const calendar = openWorkingCalendar();
  const due = computeDueDate(calendar, { received: RECEIVED, amount: 3, unit: 'working-days' }).due;
  return {
    agencyName: 'UBND xã Quảng Phú',
    place: 'Quảng Phú',
    dossierCode: CODE,
    applicant: { name: NAME, address: 'Thôn Đông Hải, xã Quảng Phú, tỉnh Thanh Hóa', phone: '0912 345 678' },
    procedure: {
      code: '1.001193',
      name: 'Đăng ký khai sinh',
      processingTime: { amount: 3, unit: 'working-days' },
    },
    components: [
      { name: 'Tờ khai đăng ký khai sinh theo mẫu', originals: 1, copies: 0 },
      { name: 'Giấy chứng sinh do cơ sở y tế cấp', originals: 1, copies: 0 },
      { name: 'Giấy chứng nhận kết hôn của cha, mẹ', originals: 0, copies: 1 },
    ],
    receivedAt: RECEIVED,
    dueAt: due,
    collectAt: 'Bộ phận Một cửa UBND xã Quảng Phú',
    officer: { name: 'Trần Văn Đức' },
    ...overrides,
  };
}

/** Every word stays inside the page's margins (nothing overflows), on every page. */
function expectInsideMargins(pdf: Uint8Array, margin: number) {
  const { pages, words } = pdfWords(pdf);
  expect(words.length).toBeGreaterThan(10);
  for (const word of words) {
    const page = pages[word.page - 1] as { width: number; height: number };
    expect(word.xMin, word.text).toBeGreaterThanOrEqual(margin - 1);
    expect(word.xMax, word.text).toBeLessThanOrEqual(page.width - margin + 1);
    expect(word.yMax, word.text).toBeLessThanOrEqual(page.height - margin + 3);
  }
  return { pages, words };
}

describe('Giấy tiếp nhận hồ sơ và hẹn trả kết quả', () => {
  it('prints code, applicant, procedure, components and both times with full diacritics on A5', async () => {
    const input = receiptInput();
    const { pdf, pages, template } = await renderReceipt(input);
    expect(template).toEqual({ id: 'receipt', version: '2025-07-01' });
    expect(pages).toBe(1);
    const text = pdfText(pdf);
    for (const expected of [
      'GIẤY TIẾP NHẬN HỒ SƠ VÀ HẸN TRẢ KẾT QUẢ',
      'CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM',
      'Quảng Phú, ngày 22 tháng 05 năm 2026',
      `Mã hồ sơ: ${CODE}`,
      `Ông/Bà: ${NAME}`,
      'Đăng ký khai sinh (mã thủ tục 1.001193)',
      'Tờ khai đăng ký khai sinh theo mẫu',
      'Giấy chứng nhận kết hôn của cha, mẹ',
      '3 ngày làm việc',
      'Thời gian nhận hồ sơ: 09:15 22/05/2026',
      `Thời gian trả kết quả giải quyết hồ sơ: ${formatVietnamDateTime(input.dueAt as Date)}`,
      'Trần Văn Đức',
    ]) {
      expect(text).toContain(expected);
    }
    const { pages: sizes } = expectInsideMargins(pdf, 28);
    expect(sizes[0]).toEqual({ width: 419.53, height: 595.28 });
  });

  it('carries a QR code that decodes to the dossier code', async () => {
    const { pdf } = await renderReceipt(receiptInput());
    expect(await readQrCodes(pdfPagePng(pdf, 150))).toEqual([CODE]);
  });

  it('wraps long names, addresses and component lists, continuing on a new page', async () => {
    const components = Array.from({ length: 16 }, (_, i) => ({
      name: `Giấy tờ số ${i + 1}: bản sao trích lục, văn bản xác nhận của cơ quan có thẩm quyền về việc đăng ký hộ tịch trước đây`,
      originals: i % 2,
      copies: 1,
    }));
    const { pdf, pages } = await renderReceipt(
      receiptInput({ applicant: { name: LONG_NAME, address: LONG_ADDRESS }, components }),
    );
    expect(pages).toBeGreaterThan(1);
    const text = pdfText(pdf);
    expect(text).toContain(LONG_NAME);
    expect(text).toContain(LONG_ADDRESS);
    for (const c of components) expect(text).toContain(c.name);
    const { words } = expectInsideMargins(pdf, 28);
    // The long name takes more than one line.
    const nameLines = new Set(
      words
        .filter((w) => ['Thiên', 'Công', 'Tằng'].includes(w.text) && w.page === 1)
        .map((w) => Math.round(w.yMin)),
    );
    expect(nameLines.size).toBeGreaterThan(1);
    // The table header repeats on every page the table continues on.
    const tablePages = [...new Set(words.filter((w) => w.text === 'trích').map((w) => w.page))];
    expect(tablePages.length).toBeGreaterThan(1);
    expect(words.filter((w) => w.text === 'STT').map((w) => w.page)).toEqual(tablePages);
    if (process.env.MOTCUA_KEEP_FORMS)
      writeFileSync(join(process.env.MOTCUA_KEEP_FORMS, 'long-receipt.pdf'), pdf);
  });

  it('refuses incomplete data and a malformed code with a Vietnamese message', async () => {
    await expect(renderReceipt(receiptInput({ components: [] }))).rejects.toThrowError(/Chưa in được phiếu/);
    await expect(
      renderReceipt(receiptInput({ dueAt: new Date(RECEIVED.getTime() - 60_000) })),
    ).rejects.toThrowError(FormError);
    await expect(renderReceipt(receiptInput({ dossierCode: 'HS-001' }))).rejects.toThrowError(
      /không phải mã hồ sơ hợp lệ/,
    );
  });
});

describe('Phiếu yêu cầu bổ sung, hoàn thiện hồ sơ', () => {
  const base = {
    agencyName: 'UBND xã Quảng Phú',
    place: 'Quảng Phú',
    dossierCode: CODE,
    applicant: { name: NAME },
    reason: 'Giấy chứng sinh bị mờ, không đọc được số; thiếu bản sao Giấy chứng nhận kết hôn của cha, mẹ.',
    requestedAt: RECEIVED,
    officer: { name: 'Trần Văn Đức', phone: '0237 3 123 456' },
  };

  it('lists only items of the official component list, with their official names', async () => {
    const { store, procedure } = catalogProcedure('1.001193');
    store.close();
    const form = await renderSupplementRequest(procedure, {
      ...base,
      ordinal: 1,
      items: [{ componentCode: 'KS-02', note: 'Bản rõ nét' }, { componentCode: 'KS-03' }],
    });
    expect(form.countsAsOverdue).toBe(false);
    const text = pdfText(form.pdf);
    for (const expected of [
      'PHIẾU YÊU CẦU BỔ SUNG, HOÀN THIỆN HỒ SƠ',
      CODE,
      NAME,
      'Giấy chứng sinh do cơ sở y tế cấp',
      'Giấy chứng nhận kết hôn của cha, mẹ (nếu cha, mẹ đã đăng ký kết hôn)',
      'Bản rõ nét',
      'Giấy chứng sinh bị mờ, không đọc được số',
      'số điện thoại 0237 3 123 456',
    ]) {
      expect(text).toContain(expected);
    }
    expect(text).not.toContain('766');
    expectInsideMargins(form.pdf, 56);

    for (const [items, reason] of [
      [[{ componentCode: 'KS-99' }], 'unknown-component'],
      [[{ componentCode: 'KS-02' }, { componentCode: 'KS-02' }], 'duplicate-item'],
      [[], 'no-items'],
    ] as const) {
      const error = await renderSupplementRequest(procedure, {
        ...base,
        ordinal: 1,
        items: [...items],
      }).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(FormError);
      expect((error as FormError).reason).toBe(reason);
    }
  });

  it('numbers the requests per dossier and flags the second one (Decision 766: overdue)', async () => {
    const { store, procedure } = catalogProcedure('1.001193');
    try {
      const audit = new AuditLog(store.db);
      const register = new SupplementRegister(store.db, { audit });
      await expect(
        register.request(procedure, { ...base, items: [{ componentCode: 'KH-01' }] }, { clerkId: 'c1' }),
      ).rejects.toThrowError(/không có trong thành phần hồ sơ của thủ tục 1.001193/);
      expect(register.requestsFor(CODE)).toEqual([]);

      const first = await register.request(
        procedure,
        { ...base, items: [{ componentCode: 'KS-02' }] },
        { clerkId: 'c1' },
      );
      expect(first).toMatchObject({ ordinal: 1, countsAsOverdue: false, warnings: [] });
      const second = await register.request(
        procedure,
        { ...base, dossierCode: CODE.toLowerCase(), items: [{ componentCode: 'KS-03', copies: 2 }] },
        { clerkId: 'c1' },
      );
      expect(second).toMatchObject({ ordinal: 2, countsAsOverdue: true });
      expect(second.warnings[0]).toContain('Quyết định 766/QĐ-TTg');
      const text = pdfText(second.pdf);
      expect(text).toContain('đây là lần yêu cầu bổ sung thứ 2 đối với hồ sơ này');
      expect(text).toContain('Quyết định 766/QĐ-TTg');
      expect(register.requestsFor(CODE).map((r) => [r.ordinal, r.items[0]?.componentCode])).toEqual([
        [1, 'KS-02'],
        [2, 'KS-03'],
      ]);
      expect(audit.recent(5).map((e) => [e.action, e.details.ordinal, e.details.countsAsOverdue])).toEqual([
        ['dossier.supplement-request', 2, true],
        ['dossier.supplement-request', 1, false],
      ]);
    } finally {
      store.close();
    }
  });
});

describe('Phiếu từ chối tiếp nhận', () => {
  const base = {
    agencyName: 'UBND xã Quảng Phú',
    applicant: { name: NAME, address: LONG_ADDRESS },
    procedure: { code: '1.000894', name: 'Đăng ký kết hôn' },
    refusedAt: RECEIVED,
    officer: { name: 'Trần Văn Đức' },
  };

  it('prints the specific reason, with or without a dossier code', async () => {
    const reason =
      'Bên nữ chưa đủ 18 tuổi tại thời điểm đăng ký kết hôn, không đủ điều kiện kết hôn theo Điều 8 Luật Hôn nhân và gia đình.';
    const { pdf } = await renderRefusal({ ...base, dossierCode: CODE, reason });
    const text = pdfText(pdf);
    for (const expected of ['PHIẾU TỪ CHỐI TIẾP NHẬN, GIẢI QUYẾT HỒ SƠ', CODE, NAME, LONG_ADDRESS, reason])
      expect(text).toContain(expected);
    expectInsideMargins(pdf, 56);
    const withoutCode = pdfText((await renderRefusal({ ...base, reason })).pdf);
    expect(withoutCode).not.toContain('Mã hồ sơ');
    expect(withoutCode).toContain(reason);
    await expect(renderRefusal({ ...base, reason: '  ' })).rejects.toThrowError(/lý do cụ thể/);
  });
});

describe('form templates as versioned data', () => {
  it('prints with the version in force on the day of the act', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'motcua-forms-templates-'));
    cpSync(SHIPPED_FORMS_DIR, dir, { recursive: true });
    const next = JSON.parse(readFileSync(join(dir, 'refusal.2025-07-01.json'), 'utf8'));
    next.version = '2026-07-01';
    next.effectiveFrom = '2026-07-01';
    next.blocks[1].lines[0].text = 'THÔNG BÁO TỪ CHỐI TIẾP NHẬN HỒ SƠ';
    writeFileSync(join(dir, 'refusal.2026-07-01.json'), JSON.stringify(next));
    expect(formTemplateFor('refusal', '2026-06-30', dir).version).toBe('2025-07-01');
    expect(formTemplateFor('refusal', '2026-07-01', dir).version).toBe('2026-07-01');
    expect(() => formTemplateFor('refusal', '2025-06-30', dir)).toThrowError(/Chưa có mẫu phiếu “refusal”/);

    const base = {
      agencyName: 'UBND xã Quảng Phú',
      applicant: { name: NAME },
      procedure: { code: '1.000894', name: 'Đăng ký kết hôn' },
      officer: { name: 'Trần Văn Đức' },
      reason: 'Hồ sơ không thuộc thẩm quyền giải quyết của xã.',
    };
    const july = await renderRefusal(
      { ...base, refusedAt: new Date('2026-07-01T01:00:00Z') },
      { templatesDir: dir },
    );
    expect(july.template.version).toBe('2026-07-01');
    expect(pdfText(july.pdf)).toContain('THÔNG BÁO TỪ CHỐI TIẾP NHẬN HỒ SƠ');
  });

  it('refuses a template with an unknown placeholder instead of printing it', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'motcua-forms-templates-'));
    const broken = JSON.parse(readFileSync(join(SHIPPED_FORMS_DIR, 'refusal.2025-07-01.json'), 'utf8'));
    broken.blocks.push({ type: 'paragraph', text: 'Số CCCD: {idNumber}' });
    writeFileSync(join(dir, 'refusal.2025-07-01.json'), JSON.stringify(broken));
    await expect(
      renderForm('refusal', '2026-01-01', { values: {} }, { templatesDir: dir }),
    ).rejects.toThrowError(FormError);
  });
});
