import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  extractFields,
  type FormFieldSpec,
  fieldsFromCccd,
  parseCccdPayload,
  prefillForm,
} from '../../../electron/services/extract';

const corpus = (name: string) =>
  readFileSync(join(import.meta.dirname, '../../../../shared/corpus/ocr', `${name}.gt.txt`), 'utf8');

/** The birth registration form (Tờ khai đăng ký khai sinh) as the desk would describe it. */
const BIRTH_FORM: FormFieldSpec[] = [
  { id: 'requesterName', kind: 'fullName', labelIncludes: 'người yêu cầu' },
  { id: 'requesterIdNumber', kind: 'idNumber' },
  { id: 'childName', kind: 'fullName', labelIncludes: 'Họ, chữ đệm, tên' },
  { id: 'childDateOfBirth', kind: 'dateOfBirth' },
  { id: 'motherName', kind: 'fullName', labelIncludes: 'người mẹ' },
  { id: 'fatherName', kind: 'fullName', labelIncludes: 'người cha' },
  { id: 'requesterOldIdNumber', kind: 'oldIdNumber' },
  { id: 'formDate', kind: 'issueDate' },
];

describe('pre-fill report', () => {
  it('fills every field the birth registration form text supports, each with the right role', () => {
    const report = prefillForm(BIRTH_FORM, extractFields(corpus('d1-to-khai-khai-sinh')));
    const filled = Object.fromEntries(report.prefilled.map((f) => [f.fieldId, f.value]));
    expect(filled).toEqual({
      requesterName: 'Lê Thị Hồng Nhung',
      requesterIdNumber: '038192004517',
      childName: 'Nguyễn Minh Khôi',
      childDateOfBirth: '2026-11-04',
      motherName: 'Lê Thị Hồng Nhung',
      fatherName: 'Nguyễn Văn Quyết',
      formDate: '2026-11-18',
    });
    expect(report.toType).toEqual([
      { fieldId: 'requesterOldIdNumber', kind: 'oldIdNumber', reason: 'not-found', bestConfidence: null },
    ]);
    expect(report).toMatchObject({ total: 8, prefilledCount: 7, toTypeCount: 1, ratio: 7 / 8 });
  });

  it('leaves a field to type when its only candidate is below the threshold', () => {
    const text = corpus('d1-to-khai-khai-sinh');
    const words = text
      .split(/\s+/)
      .filter(Boolean)
      .map((w) => ({ text: w, confidence: w.startsWith('038192004517') ? 20 : 96 }));
    const report = prefillForm(BIRTH_FORM, extractFields({ text, words }));
    const id = report.toType.find((f) => f.fieldId === 'requesterIdNumber');
    expect(id?.reason).toBe('low-confidence');
    expect(id?.bestConfidence).toBeLessThan(0.7);
    expect(report.prefilledCount).toBe(6);
  });

  it('honours the threshold option', () => {
    const fields = extractFields(corpus('d4-giay-uy-quyen'));
    const form: FormFieldSpec[] = [{ id: 'date', kind: 'issueDate' }];
    // "Hôm nay, ngày 16 tháng 11 năm 2026" names no place: good enough at 0.7, not at 0.75.
    expect(prefillForm(form, fields, { threshold: 0.75 }).toType[0]?.reason).toBe('low-confidence');
    expect(prefillForm(form, fields).prefilled[0]?.value).toBe('2026-11-16');
  });

  it('never gives one candidate to two fields', () => {
    const fields = extractFields(corpus('d3-quyet-dinh-tro-cap'));
    const form: FormFieldSpec[] = [
      { id: 'beneficiary', kind: 'fullName' },
      { id: 'secondPerson', kind: 'fullName' },
    ];
    const report = prefillForm(form, fields);
    expect(report.prefilled.map((f) => f.value)).toEqual(['Mai Thị Xuân']);
    expect(report.toType[0]).toMatchObject({ fieldId: 'secondPerson', reason: 'not-found' });
  });

  it('takes certain data from a card read by QR', () => {
    const record = parseCccdPayload(
      '038192004517|173456789|Lê Thị Hồng Nhung|15031992|Nữ|Thôn Đông Hải, Quảng Phú, Thanh Hóa|12082021',
      { now: new Date('2026-12-01T00:00:00Z') },
    );
    const form: FormFieldSpec[] = [
      { id: 'name', kind: 'fullName' },
      { id: 'id', kind: 'idNumber' },
      { id: 'oldId', kind: 'oldIdNumber' },
      { id: 'dob', kind: 'dateOfBirth' },
      { id: 'number', kind: 'documentNumber' },
    ];
    const report = prefillForm(form, fieldsFromCccd(record), { threshold: 0.99 });
    expect(report.prefilled.map((f) => [f.fieldId, f.value])).toEqual([
      ['name', 'Lê Thị Hồng Nhung'],
      ['id', '038192004517'],
      ['oldId', '173456789'],
      ['dob', '1992-03-15'],
    ]);
    expect(report.ratio).toBe(0.8);
  });

  it('reports an empty form as nothing to do', () => {
    expect(prefillForm([], [])).toEqual({
      prefilled: [],
      toType: [],
      total: 0,
      prefilledCount: 0,
      toTypeCount: 0,
      ratio: 0,
    });
  });
});
