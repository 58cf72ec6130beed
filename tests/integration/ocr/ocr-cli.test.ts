import { execFile } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { crc32 } from 'node:zlib';
import { afterAll, describe, expect, it } from 'vitest';
import { corpusFile } from './corpus';

const run = promisify(execFile);
const REPO = join(import.meta.dirname, '../../..');
const work = mkdtempSync(join(tmpdir(), 'ocr-cli-'));
afterAll(() => rmSync(work, { recursive: true, force: true }));

/** `motcua ocr …` as a user runs it, from an empty working folder (which must stay empty of model files). */
async function motcuaOcr(args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  try {
    const { stdout, stderr } = await run(process.execPath, [join(REPO, 'bin/motcua.mjs'), 'ocr', ...args], {
      cwd: work,
      env: { ...process.env, MOTCUA_DATA_DIR: join(work, 'data') },
      timeout: 120_000,
    });
    return { code: 0, stdout, stderr };
  } catch (error) {
    const failed = error as { code: number; stdout: string; stderr: string };
    return { code: failed.code, stdout: failed.stdout, stderr: failed.stderr };
  }
}

function pngChunk(type: string, data: Buffer): Buffer {
  const body = Buffer.concat([Buffer.from(type, 'latin1'), data]);
  const length = Buffer.alloc(4);
  length.writeUInt32BE(data.length);
  const crc = Buffer.alloc(4);
  crc.writeUInt32BE(crc32(body));
  return Buffer.concat([length, body, crc]);
}

/** A well-formed PNG header announcing 12000 × 11000 grey pixels (132 MP, A3 at 1000 dpi): refused unread. */
function hugePng(): Buffer {
  const ihdr = Buffer.alloc(13);
  ihdr.writeUInt32BE(12_000, 0);
  ihdr.writeUInt32BE(11_000, 4);
  ihdr[8] = 8; // bit depth
  ihdr[9] = 0; // grey
  return Buffer.concat([
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    pngChunk('IHDR', ihdr),
    pngChunk('IDAT', Buffer.from([0x78, 0x9c, 0x03, 0x00, 0x00, 0x00, 0x00, 0x01])),
    pngChunk('IEND', Buffer.alloc(0)),
  ]);
}

describe('motcua ocr', () => {
  it('answers one JSON object per file in input order and refuses bad files with Vietnamese reasons', async () => {
    const good = corpusFile('d1-to-khai-khai-sinh.hard.jpg');
    const jpeg = readFileSync(good);
    const files = {
      missing: join(work, 'khong-co.png'),
      empty: join(work, 'rong.jpg'),
      corrupt: join(work, 'hong.jpg'),
      text: join(work, 'ghi-chu.png'),
      huge: join(work, 'khong-lo.png'),
    };
    writeFileSync(files.empty, '');
    writeFileSync(files.corrupt, jpeg.subarray(0, Math.floor(jpeg.length / 3)));
    writeFileSync(files.text, 'Đây không phải ảnh.\n');
    writeFileSync(files.huge, hugePng());
    const args = [good, files.missing, files.empty, files.corrupt, files.text, files.huge];

    const { code, stdout, stderr } = await motcuaOcr([...args, '--json']);
    expect(code).toBe(1);
    const rows = JSON.parse(stdout) as { file: string; text: string | null; confidence: number | null }[];
    expect(rows.map((row) => row.file)).toEqual(args);
    expect(rows[0]?.text).toContain('Hạnh phúc');
    expect(rows[0]?.confidence).toBeGreaterThan(70);
    expect(rows.slice(1).every((row) => row.text === null)).toBe(true);
    expect(stderr).toContain(`${files.missing}: Không tìm thấy tệp`);
    expect(stderr).toContain(`${files.empty}: Tệp “${files.empty}” rỗng`);
    expect(stderr).toContain(`${files.corrupt}: Tệp này không phải ảnh đọc được`);
    expect(stderr).toContain(`${files.text}: Tệp này không phải ảnh đọc được`);
    expect(stderr).toContain(`${files.huge}: Ảnh quá lớn`);
    expect(stderr).toContain('5/6 tệp không nhận dạng được');
    expect(stderr).not.toMatch(/at .*\.ts:\d+/); // no stack traces
    expect(readdirSync(work).filter((name) => name.includes('traineddata'))).toEqual([]);
  }, 120_000);

  it('writes a searchable PDF that pdftotext reads back in Vietnamese', async () => {
    const out = join(work, 'thanh-phan.pdf');
    const { code, stdout, stderr } = await motcuaOcr([
      corpusFile('d1-to-khai-khai-sinh.hard.jpg'),
      corpusFile('d4-giay-uy-quyen.clean.png'),
      '--pdf',
      out,
    ]);
    expect(code, stderr).toBe(0);
    expect(stdout).toContain('Thanh Hóa');
    const { stdout: info } = await run('pdfinfo', [out]);
    expect(info).toMatch(/Pages:\s+2/);
    const { stdout: text } = await run('pdftotext', ['-raw', '-enc', 'UTF-8', out, '-']);
    const pages = text.normalize('NFC').split('\f');
    expect(pages[0]).toContain('TỜ KHAI ĐĂNG KÝ KHAI SINH');
    expect(pages[0]).toContain('Quảng Phú');
    expect(pages[1]).toContain('Hạnh phúc');
  }, 120_000);

  it('is a usage error without files', async () => {
    const { code, stderr } = await motcuaOcr([]);
    expect(code).toBe(2);
    expect(stderr).toContain('motcua ocr');
  });
});
