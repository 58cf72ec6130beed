import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  bestField,
  type ExtractedField,
  extractFields,
  type FieldKind,
  type OcrWord,
} from '../../../electron/services/extract';

const CORPUS = join(import.meta.dirname, '../../../../shared/corpus/ocr');
const FIXTURES = join(import.meta.dirname, '../../fixtures/extract');
const corpus = (name: string) => readFileSync(join(CORPUS, `${name}.gt.txt`), 'utf8');

/** OCR that lost every accent (a common failure with the wrong language model). */
const dropAccents = (text: string) =>
  text
    .normalize('NFD')
    .replace(/\p{Mn}/gu, '')
    .replace(/đ/g, 'd')
    .replace(/Đ/g, 'D');
/** OCR that read some 0 as O and 1 as l inside numbers and dates. */
const swapDigits = (text: string) =>
  text.replace(/\d{9,12}|\d{1,2}\/\d{1,2}\/\d{4}/g, (m) => m.replace('0', 'O').replace('1', 'l'));

function values(fields: ExtractedField[], kind: FieldKind): string[] {
  return fields.filter((f) => f.kind === kind).map((f) => f.value);
}

function expectField(fields: ExtractedField[], kind: FieldKind, value: string, minConfidence: number) {
  const found = fields.filter((f) => f.kind === kind && f.value === value);
  expect(found, `${kind} ${value}`).not.toHaveLength(0);
  expect(Math.max(...found.map((f) => f.confidence)), `${kind} ${value}`).toBeGreaterThanOrEqual(
    minConfidence,
  );
}

describe('fields from OCR text: the corpus pages', () => {
  it('d1 birth registration: requester, child, parents, ID, date of birth, date of the form', () => {
    const fields = extractFields(corpus('d1-to-khai-khai-sinh'));
    expectField(fields, 'idNumber', '038192004517', 0.9);
    expectField(fields, 'fullName', 'Lê Thị Hồng Nhung', 0.9);
    expectField(fields, 'fullName', 'Nguyễn Minh Khôi', 0.9);
    expectField(fields, 'fullName', 'Nguyễn Văn Quyết', 0.9);
    expectField(fields, 'dateOfBirth', '2026-11-04', 0.9);
    expectField(fields, 'issueDate', '2026-11-18', 0.8);
    expect(values(fields, 'birthYear')).toEqual(['1992', '1990']);
    expect(bestField(fields, 'fullName', 'người cha')?.value).toBe('Nguyễn Văn Quyết');
    expect(bestField(fields, 'fullName', 'nguoi me')?.value).toBe('Lê Thị Hồng Nhung');
    expect(fields.find((f) => f.kind === 'issueDate')?.detail).toBe('xã Quảng Phú');
    // "cấp ngày 12/8/2021" is the card's issue date, not anybody's birth date.
    expect(values(fields, 'dateOfBirth')).toEqual(['2026-11-04']);
  });

  it('d2 residence request: the applicant and the ID numbers of every household member', () => {
    const fields = extractFields(corpus('d2-don-xac-nhan-cu-tru'));
    expectField(fields, 'fullName', 'Trịnh Đức Thắng', 0.9);
    expectField(fields, 'dateOfBirth', '1985-03-27', 0.9);
    expect(values(fields, 'idNumber')).toEqual([
      '038085009231',
      '038188012754',
      '038212003318',
      '038316007702',
    ]);
    expect(bestField(fields, 'idNumber')?.value).toBe('038085009231');
    expectField(fields, 'issueDate', '2026-11-20', 0.8);
    // The phone number "0912 345 678" is not an ID.
    expect(values(fields, 'oldIdNumber')).toEqual([]);
  });

  it('d3 commune decision: number, date, issuing body, beneficiary', () => {
    const fields = extractFields(corpus('d3-quyet-dinh-tro-cap'));
    expect(bestField(fields, 'documentNumber')).toMatchObject({ value: '1275/QĐ-UBND', line: 3 });
    expect(bestField(fields, 'documentNumber')?.confidence).toBeGreaterThanOrEqual(0.85);
    // Numbers of cited documents are found but kept well below the document's own.
    for (const cited of ['20/2021/NĐ-CP', '86/TTr-VHXH']) {
      const f = fields.find((x) => x.value === cited);
      expect(f?.confidence).toBeLessThan(0.5);
    }
    expectField(fields, 'issueDate', '2026-10-09', 0.9);
    expect(fields.filter((f) => f.kind === 'issueDate')).toHaveLength(1);
    expectField(fields, 'issuingBody', 'ỦY BAN NHÂN DÂN XÃ NGA SƠN', 0.85);
    expectField(fields, 'fullName', 'Mai Thị Xuân', 0.8);
    // "sinh ngày 14 tháng 02\nnăm 1945": the date wraps a line.
    expectField(fields, 'dateOfBirth', '1945-02-14', 0.9);
    expectField(fields, 'idNumber', '038145001962', 0.9);
  });

  it('d4 authorisation letter: both parties by their honorifics, both ID numbers', () => {
    const fields = extractFields(corpus('d4-giay-uy-quyen'));
    expectField(fields, 'fullName', 'Đỗ Quang Vinh', 0.8);
    expectField(fields, 'fullName', 'Vũ Thị Thu Hương', 0.8);
    expect(values(fields, 'idNumber')).toEqual(['038061004410', '038187010093']);
    // "Hôm nay, ngày 16 tháng 11 năm 2026": a date without a place is weaker evidence.
    const date = fields.find((f) => f.kind === 'issueDate');
    expect(date?.value).toBe('2026-11-16');
    expect(date?.confidence).toBeLessThan(0.8);
    // The signature lines at the bottom carry no label: no extra name candidates.
    expect(values(fields, 'fullName')).toEqual(['Đỗ Quang Vinh', 'Vũ Thị Thu Hương']);
  });

  it('d5 receipt and d6 report: issuing bodies on one or two lines, report number and date', () => {
    const d5 = extractFields(corpus('d5-bien-nhan'));
    expectField(d5, 'issuingBody', 'ỦY BAN NHÂN DÂN XÃ HẬU LỘC', 0.85);
    expectField(d5, 'fullName', 'Bùi Xuân Trường', 0.8);
    // The recipient line in sentence case ("Ủy ban nhân dân xã Hậu Lộc.") is not an issuing body.
    expect(values(d5, 'issuingBody')).toHaveLength(1);
    const d6 = extractFields(corpus('d6-bao-cao'));
    expectField(d6, 'documentNumber', '214/BC-UBND', 0.85);
    expectField(d6, 'issueDate', '2026-09-30', 0.9);
    expectField(d6, 'issuingBody', 'ỦY BAN NHÂN DÂN XÃ TĨNH GIA', 0.85);
    expect(values(d6, 'idNumber')).toEqual([]);
    // "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM" contains "XÃ" but is no issuing body.
    expect(values(d6, 'issuingBody').some((v) => v.includes('CỘNG HÒA'))).toBe(false);
  });

  it('the front of a chip ID card: name in capitals under a bilingual label', () => {
    const fields = extractFields(readFileSync(join(FIXTURES, 'cccd-front.ocr.txt'), 'utf8'));
    expectField(fields, 'fullName', 'Lê Thị Hồng Nhung', 0.9);
    expectField(fields, 'dateOfBirth', '1992-03-15', 0.9);
    expectField(fields, 'idNumber', '038192004517', 0.75);
    expect(values(fields, 'dateOfBirth')).toEqual(['1992-03-15']);
  });
});

describe('fields from OCR text: OCR noise', () => {
  it('finds the same fields when OCR dropped every accent', () => {
    const d1 = extractFields(dropAccents(corpus('d1-to-khai-khai-sinh')));
    expectField(d1, 'fullName', 'Nguyen Minh Khoi', 0.8);
    expectField(d1, 'idNumber', '038192004517', 0.9);
    expectField(d1, 'dateOfBirth', '2026-11-04', 0.9);
    const d3 = extractFields(dropAccents(corpus('d3-quyet-dinh-tro-cap')));
    expectField(d3, 'documentNumber', '1275/QD-UBND', 0.85);
    expectField(d3, 'issuingBody', 'UY BAN NHAN DAN XA NGA SON', 0.85);
    expectField(d3, 'dateOfBirth', '1945-02-14', 0.9);
    // Without accents a name is less certain than the same name with them.
    const accented = bestField(extractFields(corpus('d1-to-khai-khai-sinh')), 'fullName', 'người cha');
    const plain = bestField(d1, 'fullName', 'nguoi cha');
    expect(plain?.confidence).toBeLessThan(accented?.confidence ?? 0);
  });

  it('repairs O/0 and l/1 swaps in numbers, at a lower confidence', () => {
    const clean = extractFields(corpus('d2-don-xac-nhan-cu-tru'));
    const noisy = extractFields(swapDigits(corpus('d2-don-xac-nhan-cu-tru')));
    expect(values(noisy, 'idNumber')).toEqual(values(clean, 'idNumber'));
    const noisyId = noisy.find((f) => f.value === '038085009231');
    expect(noisyId?.raw).toBe('O3808500923l');
    expect(noisyId?.confidence).toBeLessThan(clean.find((f) => f.value === '038085009231')?.confidence ?? 0);
    expect(noisyId?.confidence).toBeGreaterThan(0.6);
    expectField(noisy, 'dateOfBirth', '1985-03-27', 0.6);
  });

  it('leaves words that merely look like digits alone', () => {
    const fields = extractFields('Ông Lê Văn Lộc, số định danh cá nhân: lOl.\nSố: 12/QĐ-UBND');
    expect(values(fields, 'idNumber')).toEqual([]);
    expect(values(fields, 'documentNumber')).toEqual(['12/QĐ-UBND']);
    expect(values(fields, 'fullName')).toEqual(['Lê Văn Lộc']);
  });

  it('stops a name where the next label of the same line begins', () => {
    const text = 'Họ và tên: NGUYỄN VĂN NAM Sinh ngày: 02/09/1975\nTôi tên là Hà Thu Quế Quê quán: Nghệ An';
    const fields = extractFields(`${text}\nHọ tên: Lê Quốc Điền Sinh`);
    expect(values(fields, 'fullName')).toEqual(['Nguyễn Văn Nam', 'Hà Thu Quế', 'Lê Quốc Điền Sinh']);
    expectField(fields, 'dateOfBirth', '1975-09-02', 0.9);
  });

  it('never throws and returns well-formed fields on arbitrary text', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'binary', maxLength: 400 }), (text) => {
        for (const f of extractFields(text)) {
          expect(f.confidence).toBeGreaterThanOrEqual(0);
          expect(f.confidence).toBeLessThanOrEqual(1);
          expect(f.start).toBeLessThanOrEqual(f.end);
        }
      }),
      { numRuns: 200 },
    );
  });
});

describe('fields from OCR text: word confidences', () => {
  const text = corpus('d2-don-xac-nhan-cu-tru');
  // Tesseract-style words: every whitespace-separated token, trailing punctuation included.
  const words = (confidenceOf: (word: string) => number): OcrWord[] =>
    text
      .split(/\s+/)
      .filter(Boolean)
      .map((w) => ({ text: w, confidence: confidenceOf(w) }));

  it('keeps text-only confidence when the OCR is sure of every word', () => {
    const sure = extractFields({ text, words: words(() => 100) });
    expect(sure.map((f) => f.confidence)).toEqual(extractFields(text).map((f) => f.confidence));
  });

  it('lowers a field whose words the OCR was unsure of, and only that field', () => {
    const shaky = extractFields({ text, words: words((w) => (w.startsWith('038085009231') ? 30 : 95)) });
    const id = shaky.find((f) => f.value === '038085009231');
    const other = shaky.find((f) => f.value === '038188012754');
    expect(id?.confidence).toBeLessThan(0.7);
    expect(other?.confidence).toBeGreaterThan(0.9);
  });
});
