import { describe, expect, it } from 'vitest';
import { checkApplicant, checkPersonName } from '../../../electron/services/extract/applicant-text';
import { tryParseCccdPayload } from '../../../electron/services/extract/cccd-payload';
import type { ExtractError } from '../../../electron/services/extract/errors';

/** Text an ID-card QR (or a forged one) can carry that must never reach a receipt, the UI or the province. */
const now = new Date('2026-12-01T03:00:00Z');
const NAME = 'Lê Thị Hồng Nhung';
const ADDRESS = 'Thôn Đông Hải, Quảng Phú, Thanh Hóa';
const card = (name: string, address: string) => `038192004517||${name}|15031992|Nữ|${address}|12082021`;

function refusal(payload: string): ExtractError {
  const outcome = tryParseCccdPayload(payload, { now });
  if (outcome.ok) throw new Error('expected the payload to be refused');
  return outcome.error;
}

const hostileNames: [string, string, string][] = [
  ['U+202E (right-to-left override) in the name', `Lê Thị\u202E gnuhN`, 'ký tự ẩn làm đảo chiều chữ'],
  ['U+2067 (right-to-left isolate) in the name', `Lê \u2067Thị\u2069 Nhung`, 'ký tự ẩn làm đảo chiều chữ'],
  ['<script> in the name', 'Lê <script>alert(1)</script>', 'dấu “<” hoặc “>”'],
  ['<b> in the name', '<b>Lê Thị Nhung</b>', 'dấu “<” hoặc “>”'],
  ['a name made of punctuation', "'-' -", 'phải có ít nhất một chữ cái'],
  ['dots and commas in the name', 'Lê, Thị. Nhung', 'chỉ được gồm chữ cái'],
  ['a combining mark with no letter under it', 'Lê \u0301Nhung', 'chỉ được gồm chữ cái'],
];

const hostileAddresses: [string, string, string][] = [
  ['U+202E in the address', `Thôn Đông Hải\u202E ,úhP gnảuQ`, 'ký tự ẩn làm đảo chiều chữ'],
  ['U+2067 in the address', `Thôn \u2067Đông Hải\u2069, Thanh Hóa`, 'ký tự ẩn làm đảo chiều chữ'],
  ['U+200F (right-to-left mark) in the address', `Thôn Đông Hải\u200F, Thanh Hóa`, 'đảo chiều chữ'],
  ['<script> in the address', 'Thôn <script>fetch("//x")</script>', 'dấu “<” hoặc “>”'],
  ['<b> in the address', '<b>Thôn Đông Hải</b>', 'dấu “<” hoặc “>”'],
  ['a private-use character in the address', 'Thôn \uE000Đông Hải', 'ký tự điều khiển hoặc ký tự ẩn'],
];

describe('ID-card QR: hostile names and addresses are refused, naming the field', () => {
  it.each(hostileNames)('refuses %s', (_, name, words) => {
    const error = refusal(card(name, ADDRESS));
    expect(error.code).toBe('name-invalid');
    expect(error.clerkMessage).toContain('Họ và tên trong mã QR');
    expect(error.clerkMessage).toContain(words);
    // The English detail names the field and the rule, never the text.
    expect(error.message).toMatch(/^fullName: [a-z-]+$/);
  });

  it.each(hostileAddresses)('refuses %s', (_, address, words) => {
    const error = refusal(card(NAME, address));
    expect(error.code).toBe('address-invalid');
    expect(error.clerkMessage).toContain('Nơi cư trú trong mã QR');
    expect(error.clerkMessage).toContain(words);
    expect(error.message).toMatch(/^address: [a-z-]+$/);
  });

  it('refuses an empty address with its own message', () => {
    for (const address of ['', '   ', '\u200B']) {
      const error = refusal(card(NAME, address));
      expect(error.code).toBe('address-empty');
      expect(error.clerkMessage).toBe('Mã QR không có nơi cư trú.');
    }
  });

  it('accepts real names: diacritics, apostrophes, hyphens, other scripts, NFD input', () => {
    for (const name of [
      "H'Hen Niê",
      'H’Hen Niê',
      'Nguyễn-Trần Thị Ánh',
      'Ksor Ơng',
      'Y Moan Ênuôl',
      'Đặng Ngọc Ðức',
      'Lò Văn Pọm',
      'Thạch Thị Sô Phi',
      'ស៊ុន ស្រីមុំ', // Khmer: letters with combining vowel signs
    ]) {
      const outcome = tryParseCccdPayload(card(name.normalize('NFD'), ADDRESS), { now });
      expect(outcome.ok, name).toBe(true);
      if (outcome.ok) expect(outcome.record.fullName).toBe(name.normalize('NFC'));
    }
  });

  it('accepts real addresses with digits, slashes, commas and hyphens', () => {
    const address = 'Số 12/3 ngõ 45, tổ 7 - P. Đống Đa, Q. Đống Đa, Hà Nội';
    const outcome = tryParseCccdPayload(card(NAME, address), { now });
    expect(outcome.ok && outcome.record.address).toBe(address);
  });
});

describe('typed applicant: the same rules, the form field named', () => {
  const good = { fullName: 'H’Hen Niê', idNumber: '066 301 000 123', address: 'Buôn Ko Sier, Đắk Lắk' };

  it('normalises a good applicant: NFC, single spaces, ID without spaces, empty extras dropped', () => {
    const outcome = checkApplicant({ ...good, fullName: ' H’Hen   Niê '.normalize('NFD'), phone: '  ' });
    expect(outcome).toEqual({
      ok: true,
      applicant: { fullName: 'H’Hen Niê', idNumber: '066301000123', address: 'Buôn Ko Sier, Đắk Lắk' },
    });
  });

  it('refuses each hostile field with a message naming it', () => {
    const cases: [Record<string, string>, string, string][] = [
      [{ fullName: '' }, 'fullName', 'Họ và tên không được để trống.'],
      [{ fullName: '...' }, 'fullName', 'Họ và tên chỉ được gồm chữ cái'],
      [{ fullName: 'Niê\u202E' }, 'fullName', 'Họ và tên có ký tự ẩn làm đảo chiều chữ'],
      [{ idNumber: '   ' }, 'idNumber', 'Số định danh cá nhân không được để trống.'],
      [{ address: 'Buôn <b>Ko</b>' }, 'address', 'Địa chỉ có dấu “<” hoặc “>”'],
      [{ address: 'Buôn\u2066 Ko' }, 'address', 'Địa chỉ có ký tự ẩn làm đảo chiều chữ'],
      [{ phone: '0905\u0007' }, 'phone', 'Số điện thoại có ký tự điều khiển'],
      [{ address: 'x'.repeat(501) }, 'address', 'Địa chỉ quá dài (tối đa 500 ký tự).'],
    ];
    for (const [change, field, message] of cases) {
      const outcome = checkApplicant({ ...good, ...change });
      expect(outcome.ok, field).toBe(false);
      if (outcome.ok) continue;
      expect(outcome.field).toBe(field);
      expect(outcome.clerkMessage.startsWith(message), outcome.clerkMessage).toBe(true);
      expect(outcome.detail).toMatch(/^applicant [a-zA-Z]+: [a-z-]+$/);
    }
  });

  it('a name check cannot be fooled by length or by marks alone', () => {
    expect(checkPersonName('a'.repeat(301))).toEqual({ ok: false, problem: 'too-long', max: 300 });
    expect(checkPersonName('\u0301\u0301')).toEqual({ ok: false, problem: 'name-characters' });
    expect(checkPersonName("H'Hen Niê")).toEqual({ ok: true, value: "H'Hen Niê" });
  });
});
