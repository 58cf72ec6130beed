import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { vi } from '../../../electron/api/i18n';
import {
  type CccdRecord,
  cccdWarnings,
  ExtractError,
  type ExtractErrorCode,
  formatCccdPayload,
  MAX_CCCD_PAYLOAD_LENGTH,
  parseCccdPayload,
  tryParseCccdPayload,
} from '../../../electron/services/extract';

// The desk's clock for every test: 1 Dec 2026, Vietnam time.
const now = new Date('2026-12-01T03:00:00Z');
const parse = (payload: string) => parseCccdPayload(payload, { now });

const NHUNG = '038192004517||Lê Thị Hồng Nhung|15031992|Nữ|Thôn Đông Hải, Quảng Phú, Thanh Hóa|12082021';
const NHUNG_RECORD: CccdRecord = {
  idNumber: '038192004517',
  oldIdNumber: null,
  fullName: 'Lê Thị Hồng Nhung',
  dateOfBirth: '1992-03-15',
  sex: 'Nữ',
  address: 'Thôn Đông Hải, Quảng Phú, Thanh Hóa',
  issueDate: '2021-08-12',
  extraFieldCount: 0,
};

/** Replaces field `index` (0-based) of the sample payload. */
const withField = (index: number, value: string) =>
  NHUNG.split('|')
    .map((field, i) => (i === index ? value : field))
    .join('|');

function refusal(payload: string): ExtractError {
  const outcome = tryParseCccdPayload(payload, { now });
  if (outcome.ok) throw new Error('expected the payload to be refused');
  return outcome.error;
}

describe('CCCD QR payload: accepted forms', () => {
  it('parses the documented example into a typed record', () => {
    expect(parse(NHUNG)).toEqual(NHUNG_RECORD);
  });

  it('keeps a 9-digit old CMND number and maps an empty one to null', () => {
    expect(parse(withField(1, '173456789')).oldIdNumber).toBe('173456789');
    expect(parse(withField(1, '')).oldIdNumber).toBeNull();
    expect(parse(withField(1, '   ')).oldIdNumber).toBeNull();
  });

  it('accepts and counts extra trailing fields', () => {
    expect(parse(`${NHUNG}|20320315`).extraFieldCount).toBe(1);
    expect(parse(`${NHUNG}|a|b|c`)).toEqual({ ...NHUNG_RECORD, extraFieldCount: 3 });
    expect(parse(`${NHUNG}|`).extraFieldCount).toBe(1);
  });

  it('tolerates what a keyboard-wedge reader adds: CR/LF, BOM, stray spaces', () => {
    for (const ending of ['\r\n', '\n', '\r', '  \r\n', '\t'])
      expect(parse(NHUNG + ending)).toEqual(NHUNG_RECORD);
    expect(parse(`\uFEFF${NHUNG}`)).toEqual(NHUNG_RECORD);
    const spaced = NHUNG.split('|').join(' | ').replace('Lê Thị', 'Lê   Thị');
    expect(parse(spaced)).toEqual(NHUNG_RECORD);
  });

  it('normalises NFD text (decomposed accents) to NFC', () => {
    const decomposed = NHUNG.normalize('NFD');
    expect(decomposed).not.toBe(NHUNG);
    const record = parse(decomposed);
    expect(record.fullName).toBe('Lê Thị Hồng Nhung');
    expect(record.fullName).toBe(record.fullName.normalize('NFC'));
    expect(record.sex).toBe('Nữ');
  });

  it('accepts the sex in any letter case', () => {
    expect(parse(withField(4, 'NỮ')).sex).toBe('Nữ');
    expect(parse(withField(4, 'nam')).sex).toBe('Nam');
  });

  it('validates leap days: 29/02/2000 exists, 29/02/1900 and 29/02/2001 do not', () => {
    expect(parse(withField(3, '29022000')).dateOfBirth).toBe('2000-02-29');
    expect(refusal(withField(3, '29021900')).code).toBe('dob-invalid');
    expect(refusal(withField(3, '29022001')).code).toBe('dob-invalid');
  });

  it('judges "today" in Vietnam time, whatever the machine zone', () => {
    // 14 Mar 2026 18:00 UTC is already 15 Mar 01:00 in Hà Nội.
    const evening = new Date('2026-03-14T18:00:00Z');
    const payload = withField(3, '15032026').replace('12082021', '15032026');
    expect(parseCccdPayload(payload, { now: evening }).dateOfBirth).toBe('2026-03-15');
    const morning = new Date('2026-03-14T16:00:00Z');
    expect(tryParseCccdPayload(payload, { now: morning }).ok).toBe(false);
  });
});

describe('CCCD QR payload: refusals', () => {
  const cases: [string, string, ExtractErrorCode][] = [
    ['empty payload', '', 'empty'],
    ['only a line end', '\r\n', 'empty'],
    ['six fields', NHUNG.split('|').slice(0, 6).join('|'), 'field-count'],
    ['11-digit ID', withField(0, '03819200451'), 'id-number'],
    ['13-digit ID', withField(0, '0381920045170'), 'id-number'],
    ['letter in the ID', withField(0, '03819200451A'), 'id-number'],
    ['O for 0 in the ID', withField(0, 'O38192004517'), 'id-number'],
    ['full-width digits', withField(0, '０３８１９２００４５１７'), 'id-number'],
    ['8-digit old ID', withField(1, '17345678'), 'old-id-number'],
    ['12-digit old ID', withField(1, '038192004517'), 'old-id-number'],
    ['letter in the old ID', withField(1, '17345678x'), 'old-id-number'],
    ['empty name', withField(2, '  '), 'name-empty'],
    ['digits in the name', withField(2, 'Lê Thị 2'), 'name-invalid'],
    ['31 February', withField(3, '31022020'), 'dob-invalid'],
    ['month 13', withField(3, '01131990'), 'dob-invalid'],
    ['DOB with slashes', withField(3, '15/03/1992'), 'dob-format'],
    ['7-digit DOB', withField(3, '1503199'), 'dob-format'],
    ['year before 1900', withField(3, '01011899'), 'dob-invalid'],
    ['DOB in the future', withField(3, '02122026').replace('12082021', '01122026'), 'dob-future'],
    ['DOB after the issue date', withField(3, '13082021'), 'dob-after-issue'],
    ['unknown sex', withField(4, 'Nu'), 'sex'],
    ['English sex', withField(4, 'Female'), 'sex'],
    ['issue date 31 April', withField(6, '31042021'), 'issue-date-invalid'],
    ['issue date not digits', withField(6, '12-08-21'), 'issue-date-format'],
    ['issue date in the future', withField(6, '02122026'), 'issue-date-future'],
    ['two payloads glued by a line break', `${NHUNG}\r\n${NHUNG}`, 'garbled'],
  ];

  it.each(cases)('refuses %s', (_, payload, code) => {
    const error = refusal(payload);
    expect(error).toBeInstanceOf(ExtractError);
    expect(error.code).toBe(code);
    expect(() => parse(payload)).toThrow(ExtractError);
  });

  it('gives each refusal a Vietnamese message for the clerk', () => {
    const error = refusal(NHUNG.split('|').slice(0, 5).join('|'));
    expect(error.clerkMessage).toBe('Mã QR thiếu thông tin: có 5 trường, cần ít nhất 7. Hãy quét lại.');
    // A refused name says which characters a name may have; the other codes keep their own message.
    const nameRule =
      "Họ và tên trong mã QR chỉ được gồm chữ cái, dấu cách, dấu nháy (') và dấu gạch nối (-). " +
      'Hãy đối chiếu với thẻ căn cước; nếu thẻ đúng, hãy nhập tay thông tin này.';
    const messages: Record<string, string> = vi.extract.errors;
    for (const [, payload, code] of cases) {
      expect(refusal(payload).clerkMessage).toBe(
        code === 'name-invalid'
          ? nameRule
          : (messages[code] ?? '').replace('{count}', String(payload.split('|').length)),
      );
    }
  });

  it('never puts personal data in the English detail', () => {
    for (const [, payload] of cases) {
      const detail = refusal(payload).message;
      for (const secret of ['038192004517', '173456789', 'Nhung', 'Lê', 'Đông Hải', '1992', '15031992']) {
        expect(detail).not.toContain(secret);
      }
      expect(detail).toMatch(/^[\x20-\x7E]+$/);
    }
  });

  it('refuses an overlong input before looking at it', () => {
    const huge = `${'1|'.repeat(500_000)}`;
    expect(refusal(huge).code).toBe('too-long');
    expect(refusal('x'.repeat(MAX_CCCD_PAYLOAD_LENGTH + 1)).code).toBe('too-long');
  });
});

describe('CCCD ID consistency warnings', () => {
  it('has none for a consistent card', () => {
    expect(cccdWarnings(NHUNG_RECORD)).toEqual([]);
  });

  it('flags a sex digit, birth year or province code that disagrees with the card', () => {
    expect(cccdWarnings({ ...NHUNG_RECORD, sex: 'Nam' })).toEqual(['id-sex-mismatch']);
    expect(cccdWarnings({ ...NHUNG_RECORD, dateOfBirth: '1993-03-15' })).toEqual(['id-birth-year-mismatch']);
    // Digit 4 = 3: a woman born in the 2000s.
    expect(cccdWarnings({ ...NHUNG_RECORD, idNumber: '038392004517' })).toEqual(['id-birth-year-mismatch']);
    expect(cccdWarnings({ ...NHUNG_RECORD, idNumber: '099192004517' })).toEqual(['id-province-unknown']);
  });
});

// ── Property tests ─────────────────────────────────────────────────────────────────────────────────────

const LETTERS = [
  ...'aăâbcdđeêghiklmnoôơpqrstuưvxyáàảãạắằẳẵặấầẩẫậéèẻẽẹếềểễệíìỉĩịóòỏõọốồổỗộớờởỡợúùủũụứừửữựýỳỷỹỵ',
];
const letter = fc.constantFrom(...LETTERS, ...LETTERS.map((c) => c.toUpperCase()));
const word = fc.string({ unit: letter, minLength: 1, maxLength: 8 });
const digits = (length: number) =>
  fc.string({ unit: fc.constantFrom(...'0123456789'), minLength: length, maxLength: length });
const addressChar = fc.constantFrom(...LETTERS, ...'0123456789 ,./-'.split(''));
const isoDay = fc
  .date({ min: new Date('1900-01-01T00:00:00Z'), max: new Date('2026-11-30T00:00:00Z'), noInvalidDate: true })
  .map((d) => d.toISOString().slice(0, 10));
const extraField = fc.string({ unit: fc.constantFrom(...'abcXYZ0189 -:'.split('')), maxLength: 12 });

const validRecord: fc.Arbitrary<Omit<CccdRecord, 'extraFieldCount'>> = fc
  .record({
    idNumber: digits(12),
    oldIdNumber: fc.option(digits(9), { nil: null }),
    fullName: fc.array(word, { minLength: 1, maxLength: 5 }).map((w) => w.join(' ')),
    dates: fc.tuple(isoDay, isoDay).map(([a, b]) => (a <= b ? [a, b] : [b, a])),
    sex: fc.constantFrom('Nam' as const, 'Nữ' as const),
    // A card always carries a residence: an empty one is refused (address-empty).
    address: fc
      .string({ unit: addressChar, minLength: 1, maxLength: 60 })
      .map((a) => a.replace(/\s+/g, ' ').trim())
      .filter((a) => a !== ''),
  })
  .map(({ dates: [dateOfBirth, issueDate], ...rest }) => ({
    ...rest,
    dateOfBirth: dateOfBirth ?? '',
    issueDate: issueDate ?? '',
  }));

describe('CCCD QR payload: properties', () => {
  it('round-trips: any valid record, formatted then parsed, gives itself back', () => {
    fc.assert(
      fc.property(validRecord, fc.array(extraField, { maxLength: 3 }), (record, extras) => {
        expect(parse(formatCccdPayload(record, extras))).toEqual({
          ...record,
          extraFieldCount: extras.length,
        });
      }),
      { numRuns: 300 },
    );
  });

  it('round-trips through the noise a reader adds (NFD, spaces, CR/LF)', () => {
    fc.assert(
      fc.property(validRecord, fc.constantFrom('\r\n', '\n', '\r', ' \r\n'), (record, ending) => {
        const noisy = `${formatCccdPayload(record).normalize('NFD').split('|').join(' | ')}${ending}`;
        expect(parse(noisy)).toEqual({ ...record, extraFieldCount: 0 });
      }),
      { numRuns: 200 },
    );
  });

  it('rejects any ID number whose length is not 12', () => {
    const wrongLength = fc
      .integer({ min: 0, max: 30 })
      .filter((n) => n !== 12)
      .chain(digits);
    fc.assert(
      fc.property(validRecord, wrongLength, (record, id) => {
        expect(refusal(formatCccdPayload({ ...record, idNumber: id })).code).toBe('id-number');
      }),
      { numRuns: 300 },
    );
  });

  it('rejects any old ID number whose length is neither 0 nor 9', () => {
    const wrongLength = fc
      .integer({ min: 1, max: 20 })
      .filter((n) => n !== 9)
      .chain(digits);
    fc.assert(
      fc.property(validRecord, wrongLength, (record, oldId) => {
        expect(refusal(formatCccdPayload({ ...record, oldIdNumber: oldId })).code).toBe('old-id-number');
      }),
    );
  });

  it('never throws anything but ExtractError on arbitrary input, and never hangs', () => {
    const fragments = fc.constantFrom(
      '|',
      '||',
      '038192004517',
      '173456789',
      '29022000',
      '31022020',
      'Nam',
      'Nữ',
    );
    const structured = fc
      .array(fc.oneof(fragments, fc.string({ maxLength: 6 }), fc.constantFrom('\r\n', ' ', '\u0000')), {
        maxLength: 20,
      })
      .map((parts) => parts.join(''));
    const anyInput = fc.oneof(fc.string({ unit: 'binary', maxLength: 300 }), structured);
    fc.assert(
      fc.property(anyInput, (input) => {
        try {
          const record = parse(input);
          expect(record.idNumber).toMatch(/^\d{12}$/);
        } catch (error) {
          expect(error).toBeInstanceOf(ExtractError);
        }
      }),
      { numRuns: 1000 },
    );
  });

  it('mutated valid payloads keep personal data out of the error detail', () => {
    fc.assert(
      fc.property(validRecord, fc.integer({ min: 0, max: 6 }), (record, index) => {
        const fields = formatCccdPayload(record).split('|');
        fields[index] = `${fields[index]}#`;
        const outcome = tryParseCccdPayload(fields.join('|'), { now });
        if (outcome.ok) return; // the address may legitimately carry a '#'
        expect(outcome.error.message).not.toContain(record.idNumber);
        if (record.fullName.length > 3) expect(outcome.error.message).not.toContain(record.fullName);
      }),
    );
  });
});
