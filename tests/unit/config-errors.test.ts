import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from '../../electron/services/config/config';

function withConfig(text: string | null): string {
  const dir = mkdtempSync(join(tmpdir(), 'motcua-config-'));
  if (text === null) mkdirSync(join(dir, 'config.json'));
  else writeFileSync(join(dir, 'config.json'), text);
  return dir;
}

function refusal(text: string | null): ConfigError {
  try {
    loadConfig(withConfig(text), {});
  } catch (error) {
    expect(error).toBeInstanceOf(ConfigError);
    return error as ConfigError;
  }
  throw new Error('config was accepted');
}

describe('config.json that IT staff wrote by hand', () => {
  it('accepts the UTF-8 byte-order mark Windows Notepad writes', () => {
    expect(loadConfig(withConfig('\uFEFF{"agencyName": "UBND xã Quảng Phú"}'), {}).agencyName).toBe(
      'UBND xã Quảng Phú',
    );
  });

  // Ten ways to get it wrong, each answered in Vietnamese naming what to fix; the English detail is for logs.
  const cases: [string, string | null, RegExp][] = [
    ['a trailing comma', '{"agencyName": "x",}', /không đúng định dạng JSON \(dòng 1, cột \d+\)/],
    ['an empty file', '', /tệp rỗng/],
    ['UTF-16 text', '\uFFFE{', /lưu dạng UTF-8/],
    ['a list instead of an object', '[]', /không phải danh sách/],
    ['null', 'null', /không phải null/],
    ['a number as text', '{"deskSlot": "2"}', /“ô số hồ sơ của bàn \(deskSlot\)” không hợp lệ — phải là số/],
    ['a misspelt key', '{"agencyNmae": "x"}', /có mục “agencyNmae” mà phần mềm không biết/],
    [
      'a number out of range',
      '{"ocr": {"workers": 99}}',
      /số luồng nhận dạng chữ \(ocr\.workers\).*lớn hơn 16/,
    ],
    [
      'an address without a scheme',
      '{"provincialServerUrl": "motcua.tinh"}',
      /địa chỉ máy chủ tỉnh.*https:\/\//,
    ],
    [
      'an unknown language',
      '{"ocr": {"languages": ["fra"]}}',
      /ngôn ngữ nhận dạng \(ocr\.languages\[0\]\).*vie, eng/,
    ],
    [
      'an empty agency code',
      '{"agencyCode": ""}',
      /mã định danh cơ quan \(agencyCode\).*không được để trống/,
    ],
    ['a folder named config.json', null, /Không đọc được tệp cấu hình .*EISDIR/],
  ];
  for (const [name, text, message] of cases) {
    it(`refuses ${name} in Vietnamese`, () => {
      const error = refusal(text);
      expect(error.clerkMessage).toMatch(message);
      expect(error.clerkMessage).not.toMatch(/expected|Invalid|Unexpected|received/);
      expect(error.message).toMatch(/^config\.json/);
    });
  }
});
