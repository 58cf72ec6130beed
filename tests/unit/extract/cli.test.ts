import { execFile } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { cardImage, cardWithoutQr } from './card-image';

const ROOT = join(import.meta.dirname, '..', '..', '..');
const PAYLOAD = '038192004517||Lê Thị Hồng Nhung|15031992|Nữ|Thôn Đông Hải, Quảng Phú, Thanh Hóa|12082021';

/** Runs the real `motcua` binary (node + tsx), optionally feeding stdin. */
function motcua(args: string[], stdin?: string): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    const child = execFile(
      process.execPath,
      [join(ROOT, 'bin/motcua.mjs'), ...args],
      { encoding: 'utf8', timeout: 60_000 },
      (error, stdout, stderr) => {
        const code = error ? Number((error as { code?: number }).code ?? 1) : 0;
        resolve({ code, stdout, stderr });
      },
    );
    if (stdin !== undefined) child.stdin?.end(stdin);
    else child.stdin?.end();
  });
}

const tempFile = (name: string, content: Buffer) => {
  const path = join(mkdtempSync(join(tmpdir(), 'motcua-cccd-')), name);
  writeFileSync(path, content);
  return path;
};

describe('motcua cccd', () => {
  it('parse prints the card in Vietnamese and exits 0', async () => {
    const { code, stdout, stderr } = await motcua(['cccd', 'parse', PAYLOAD]);
    expect(code).toBe(0);
    expect(stderr).toBe('');
    expect(stdout).toContain('Họ và tên: Lê Thị Hồng Nhung');
    expect(stdout).toContain('Ngày sinh: 15/03/1992');
    expect(stdout).toContain('Số CMND cũ: (không có)');
  });

  it('parse --json prints the record and its warnings; reads stdin with "-" (reader CR/LF included)', async () => {
    const { code, stdout } = await motcua(
      ['cccd', 'parse', '-', '--json'],
      `${PAYLOAD.normalize('NFD')}|x\r\n`,
    );
    expect(code).toBe(0);
    expect(JSON.parse(stdout)).toEqual({
      record: {
        idNumber: '038192004517',
        oldIdNumber: null,
        fullName: 'Lê Thị Hồng Nhung',
        dateOfBirth: '1992-03-15',
        sex: 'Nữ',
        address: 'Thôn Đông Hải, Quảng Phú, Thanh Hóa',
        issueDate: '2021-08-12',
        extraFieldCount: 1,
      },
      warnings: [],
    });
  });

  it('parse refuses a bad payload: exit 1, the Vietnamese reason on stderr, nothing on stdout', async () => {
    const { code, stdout, stderr } = await motcua([
      'cccd',
      'parse',
      PAYLOAD.replace('15031992', '31022020'),
      '--json',
    ]);
    expect(code).toBe(1);
    expect(stdout).toBe('');
    expect(stderr).toBe('Ngày sinh không có thật trên lịch.\n');
  });

  it('parse without a payload is a usage error (exit 2)', async () => {
    const { code, stderr } = await motcua(['cccd', 'parse']);
    expect(code).toBe(2);
    expect(stderr).toContain('motcua cccd parse');
  });

  it('read finds the QR in a card photo and prints JSON with how it was found', async () => {
    const path = tempFile('card.jpg', await cardImage(PAYLOAD, { cardAngle: 90, scale: 0.6 }));
    const { code, stdout, stderr } = await motcua(['cccd', 'read', path, '--json']);
    expect(stderr).toBe('');
    expect(code).toBe(0);
    const output = JSON.parse(stdout);
    expect(output.record).toMatchObject({ idNumber: '038192004517', fullName: 'Lê Thị Hồng Nhung' });
    expect(output.image).toMatchObject({ attempt: 'original', attempts: 1, width: 648, height: 1020 });
  });

  it('read explains a missing file or an image without a QR code (exit 1)', async () => {
    const missing = await motcua(['cccd', 'read', '/nonexistent/card.jpg']);
    expect(missing).toMatchObject({ code: 1, stdout: '' });
    expect(missing.stderr).toContain('Không mở được tệp “/nonexistent/card.jpg”');
    const blank = await motcua(['cccd', 'read', tempFile('blank.jpg', await cardWithoutQr())]);
    expect(blank.code).toBe(1);
    expect(blank.stderr).toContain('Không tìm thấy mã QR trong ảnh');
  });
});
