import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import {
  CatalogError,
  catalogFeedSchema,
  ProcedureCatalog,
  SAMPLE_CATALOG_FILE,
} from '../../../electron/services/catalog';
import { manualClock, scratchStores } from './helpers';

const newStore = scratchStores();

const component = (code: string, name: string) => ({ code, name, originals: 1, copies: 0 });

/** A feed with two versions of one procedure and one procedure abolished at the end of 2026. */
function feed(overrides: Record<string, unknown> = {}) {
  return {
    source: 'Hệ thống thông tin giải quyết TTHC tỉnh (thử nghiệm)',
    procedures: [
      {
        code: '1.001193',
        version: 'QĐ 100/2020',
        effectiveFrom: '2020-01-01',
        name: 'Đăng ký khai sinh',
        field: { name: 'Hộ tịch' },
        level: 'commune',
        processingTime: { amount: 3, unit: 'working-days' },
        components: [component('KS-01', 'Tờ khai đăng ký khai sinh')],
      },
      {
        code: '1.001193',
        version: 'QĐ 200/2025',
        effectiveFrom: '2025-07-01',
        name: 'Đăng ký khai sinh',
        field: { name: 'Hộ tịch' },
        level: 'commune',
        processingTime: { amount: 1, unit: 'working-days' },
        components: [component('KS-01', 'Tờ khai đăng ký khai sinh'), component('KS-02', 'Giấy chứng sinh')],
      },
      {
        code: '2.000815',
        version: 'QĐ 200/2025',
        effectiveFrom: '2025-07-01',
        effectiveTo: '2026-12-31',
        name: 'Chứng thực bản sao từ bản chính giấy tờ, văn bản',
        field: { name: 'Chứng thực' },
        level: 'commune',
        processingTime: { amount: 4, unit: 'hours' },
        components: [component('CT-01', 'Bản chính giấy tờ')],
        fees: [{ name: 'Phí chứng thực', amountVnd: 2000 }],
      },
    ],
    ...overrides,
  };
}

describe('procedure catalog', () => {
  it('gives the version in force on the day asked, and nothing before or after', () => {
    const catalog = new ProcedureCatalog(newStore().db);
    expect(catalog.importFeed(feed())).toEqual({ inserted: 3, updated: 0, unchanged: 0, sampleRemoved: 0 });
    expect(catalog.procedure('1.001193', '2019-12-31')).toBeNull();
    expect(catalog.procedure('1.001193', '2020-01-01')?.version).toBe('QĐ 100/2020');
    expect(catalog.procedure('1.001193', '2025-06-30')?.processingTime.amount).toBe(3);
    expect(catalog.procedure('1.001193', '2025-07-01')?.components.map((c) => c.code)).toEqual([
      'KS-01',
      'KS-02',
    ]);
    expect(catalog.procedure('2.000815', '2026-12-31')?.fees[0]?.amountVnd).toBe(2000);
    expect(catalog.procedure('2.000815', '2027-01-01')).toBeNull();
    expect(catalog.versions('1.001193').map((v) => v.effectiveFrom)).toEqual(['2020-01-01', '2025-07-01']);
    // An instant is read on Vietnam's clock: 30/6 17:30 UTC is already 1/7 in Vietnam.
    expect(catalog.procedure('1.001193', new Date('2025-06-30T17:30:00Z'))?.version).toBe('QĐ 200/2025');
    expect(catalog.procedure('1.001193', new Date('2025-06-30T16:30:00Z'))?.version).toBe('QĐ 100/2020');
    expect(catalog.inForce('2027-01-01').map((p) => p.code)).toEqual(['1.001193']);
    expect(() => catalog.requireProcedure('9.999999', '2026-01-01')).toThrowError(
      /Không có thủ tục mã 9.999999/,
    );
    expect(() => catalog.procedure('1.001193', '2026-02-30')).toThrowError(CatalogError);
  });

  it('upserts by code and effective date: unchanged, updated, new', () => {
    const catalog = new ProcedureCatalog(newStore().db);
    catalog.importFeed(feed());
    expect(catalog.importFeed(feed())).toMatchObject({ inserted: 0, updated: 0, unchanged: 3 });
    const changed = feed();
    (changed.procedures[1] as { processingTime: { amount: number } }).processingTime.amount = 2;
    expect(catalog.importFeed(changed)).toMatchObject({ inserted: 0, updated: 1, unchanged: 2 });
    expect(catalog.procedure('1.001193', '2026-01-01')?.processingTime.amount).toBe(2);
  });

  it('rejects an invalid feed as a whole, with a Vietnamese message naming the problem', () => {
    const store = newStore();
    const catalog = new ProcedureCatalog(store.db);
    const bad = feed();
    (bad.procedures[2] as Record<string, unknown>).components = [
      component('CT-01', 'Bản chính'),
      component('CT-01', 'Trùng mã'),
    ];
    (bad.procedures[0] as Record<string, unknown>).effectiveFrom = '2020-02-30';
    let error: CatalogError | undefined;
    try {
      catalog.importFeed(bad);
    } catch (e) {
      error = e as CatalogError;
    }
    expect(error).toBeInstanceOf(CatalogError);
    expect(error?.message).toMatch(/^Danh mục thủ tục hành chính nhận được không hợp lệ, chưa áp dụng: /);
    expect(error?.detail).toContain('procedures.0.effectiveFrom');
    expect(error?.detail).toContain('duplicate component code');
    expect(store.db.prepare('SELECT COUNT(*) FROM catalog_procedures').pluck().get()).toBe(0);
    expect(() => catalog.importFeed({ ...feed(), extra: 1 })).toThrowError(CatalogError);
    expect(() =>
      catalog.importFeed(feed({ procedures: [feed().procedures[0], feed().procedures[0]] })),
    ).toThrowError(CatalogError);
  });

  it('loads and validates the bundled sample, marked as sample, replaced by the first real feed', () => {
    const raw = JSON.parse(readFileSync(SAMPLE_CATALOG_FILE, 'utf8'));
    const sample = catalogFeedSchema.parse(raw);
    expect(sample.sample).toBe(true);
    expect(sample.note).toMatch(/DỮ LIỆU MẪU/);
    const names = sample.procedures.map((p) => p.name);
    for (const expected of [
      'Đăng ký khai sinh',
      'Đăng ký kết hôn',
      'Đăng ký khai tử',
      'Xác nhận thông tin về cư trú',
    ])
      expect(names).toContain(expected);
    expect(names.some((n) => n.startsWith('Chứng thực bản sao từ bản chính'))).toBe(true);
    expect(names.some((n) => n.includes('tình trạng hôn nhân'))).toBe(true);
    const birth = sample.procedures.find((p) => p.code === '1.001193');
    // The parents' marriage certificate is the result of an earlier procedure: reusable from the digitized store.
    expect(birth?.components.find((c) => c.reusableResult)?.resultOfProcedure).toBe('1.000894');

    const catalog = new ProcedureCatalog(newStore().db, { clock: manualClock('2026-05-22T02:00:00Z') });
    expect(catalog.loadSampleIfEmpty()?.inserted).toBe(sample.procedures.length);
    expect(catalog.loadSampleIfEmpty()).toBeNull();
    expect(catalog.isSampleOnly()).toBe(true);
    expect(catalog.procedure('1.001193')?.name).toBe('Đăng ký khai sinh');
    const real = catalog.importFeed(feed());
    expect(real.sampleRemoved).toBe(sample.procedures.length);
    expect(catalog.isSampleOnly()).toBe(false);
    expect(catalog.procedure('1.000894')).toBeNull();
  });

  it('finds procedures by name or code without diacritics, best match first', () => {
    const catalog = new ProcedureCatalog(newStore().db, { clock: manualClock('2026-05-22T02:00:00Z') });
    catalog.loadSampleIfEmpty();
    const codes = (q: string) => catalog.search(q).map((m) => m.procedure.code);
    expect(codes('dang ky khai sinh')[0]).toBe('1.001193');
    expect(codes('KHAI SINH')).toEqual(['1.001193']);
    expect(codes('ket hon')).toEqual(['1.000894']);
    expect(codes('tinh trang hon nhan')).toEqual(['1.004873']);
    expect(codes('chung thuc')).toEqual(expect.arrayContaining(['2.000815', '2.000884']));
    expect(codes('cư trú')).toEqual(['1.004194']);
    expect(codes('1.001193')).toEqual(['1.001193']);
    expect(catalog.search('1.001193')[0]?.rank).toBe(0);
    expect(codes('1.00')).toEqual(expect.arrayContaining(['1.001193', '1.000894', '1.000656']));
    expect(codes('hộ tịch').length).toBeGreaterThanOrEqual(4); // by field name
    expect(codes('xyz khong co')).toEqual([]);
    expect(catalog.search('', { limit: 3 })).toHaveLength(3);
    // Nothing is in force before the sample's effective date.
    expect(catalog.search('khai sinh', { on: '2025-06-30' })).toEqual([]);
  });
});
