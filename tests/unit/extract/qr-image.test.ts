import QRCode from 'qrcode';
import sharp from 'sharp';
import { afterAll, describe, expect, it } from 'vitest';
import {
  closeQrDecoder,
  decodeQrFromImage,
  ExtractError,
  type ExtractErrorCode,
  readCccdFromImage,
} from '../../../electron/services/extract';
import { createLogger } from '../../../electron/services/logging/logger';
import { cardImage, cardWithoutQr, qrPng } from './card-image';

const PAYLOAD =
  '038192004517||Lê Thị Hồng Nhung|15031992|Nữ|Thôn Đông Hải, xã Quảng Phú, tỉnh Thanh Hóa|12082021';

async function refusalOf(work: Promise<unknown>): Promise<ExtractErrorCode> {
  try {
    await work;
  } catch (error) {
    expect(error).toBeInstanceOf(ExtractError);
    return (error as ExtractError).code;
  }
  throw new Error('expected a refusal');
}

afterAll(() => closeQrDecoder());

describe('QR code in a card image', () => {
  // The worker replaces fetch with a function that throws, so a decode that works proves the .wasm came
  // from node_modules and no CDN was contacted.
  it('decodes a JPEG photo of a card with the package-local wasm (no network)', async () => {
    const result = await decodeQrFromImage(await cardImage(PAYLOAD));
    expect(result.texts).toEqual([PAYLOAD]);
    expect(result.attempt).toBe('original');
    expect(result).toMatchObject({ width: 1700, height: 1080, attempts: 1 });
  });

  it('decodes a PNG scan', async () => {
    expect((await decodeQrFromImage(await cardImage(PAYLOAD, { format: 'png', scale: 0.6 }))).texts).toEqual([
      PAYLOAD,
    ]);
  });

  it.each([
    ['card photographed sideways (90°)', { cardAngle: 90 }],
    ['card upside down with a tilted code', { cardAngle: 180, qrAngle: 7 }],
    ['code tilted 30° on a tilted card', { qrAngle: 30, cardAngle: -4 }],
    ['washed-out, noisy, half-size photo', { contrast: 0.2, noise: 80, scale: 0.5 }],
    ['heavy sensor noise', { noise: 140 }],
  ])('decodes a %s', async (_, options) => {
    expect((await decodeQrFromImage(await cardImage(PAYLOAD, options))).texts).toEqual([PAYLOAD]);
  });

  it('tries harder on a small code: upscales until the modules are big enough', async () => {
    const small = await cardImage(PAYLOAD, { scale: 0.3, qrAngle: 5 });
    const result = await decodeQrFromImage(small);
    expect(result.texts).toEqual([PAYLOAD]);
    expect(result.attempts).toBeGreaterThan(1);
    expect(result.attempt).toMatch(/^upscale/);
  });

  it('reads a file path and parses the card record', async () => {
    const { mkdtempSync, writeFileSync } = await import('node:fs');
    const { join } = await import('node:path');
    const { tmpdir } = await import('node:os');
    const path = join(mkdtempSync(join(tmpdir(), 'motcua-qr-')), 'card.jpg');
    writeFileSync(path, await cardImage(PAYLOAD, { cardAngle: 90, scale: 0.7 }));
    const { record } = await readCccdFromImage(path, { now: new Date('2026-12-01T00:00:00Z') });
    expect(record).toMatchObject({ idNumber: '038192004517', fullName: 'Lê Thị Hồng Nhung', sex: 'Nữ' });
  });

  it('picks the card code when another QR code is in view', async () => {
    const url = await qrPng('https://dichvucong.gov.vn/p/home/dvc-tthc-thu-tuc-hanh-chinh.html', 4);
    const card = await qrPng(PAYLOAD, 4);
    const image = await sharp({ create: { width: 1000, height: 500, channels: 3, background: '#e8e8e8' } })
      .composite([
        { input: url, left: 40, top: 40 },
        { input: card, left: 560, top: 60 },
      ])
      .png()
      .toBuffer();
    expect((await decodeQrFromImage(image)).texts).toHaveLength(2);
    expect((await readCccdFromImage(image)).record.idNumber).toBe('038192004517');
  });

  it('refuses a QR code that is not a CCCD payload with the parser’s reason', async () => {
    const image = await qrPng('https://example.vn/not-a-card', 6);
    expect(await refusalOf(readCccdFromImage(image))).toBe('field-count');
  });

  it('says there is no QR code when there is none, after trying every variant', async () => {
    const error = await decodeQrFromImage(await cardWithoutQr()).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ExtractError);
    expect((error as ExtractError).code).toBe('qr-not-found');
    expect((error as ExtractError).clerkMessage).toContain('Không tìm thấy mã QR');
  });

  it('refuses a code whose bytes are not UTF-8 text', async () => {
    const bytes = new Uint8Array([0xff, 0xfe, 0x80, 0x81, 0xc3, 0x28, 0xa0, 0xa1]);
    const image = await QRCode.toBuffer([{ data: bytes, mode: 'byte' }], { type: 'png', scale: 6 });
    expect(await refusalOf(decodeQrFromImage(image))).toBe('qr-not-text');
  });

  it('refuses formats other than PNG and JPEG, and bytes that are no image', async () => {
    const webp = await sharp(await qrPng(PAYLOAD))
      .webp()
      .toBuffer();
    expect(await refusalOf(decodeQrFromImage(webp))).toBe('image-unsupported');
    expect(await refusalOf(decodeQrFromImage(new TextEncoder().encode('not an image at all')))).toBe(
      'image-unreadable',
    );
    expect(await refusalOf(decodeQrFromImage('/nonexistent/card.jpg'))).toBe('image-unreadable');
  });

  it('refuses a truncated JPEG as unreadable', async () => {
    const jpeg = await cardImage(PAYLOAD);
    expect(await refusalOf(decodeQrFromImage(jpeg.subarray(0, 2000)))).toBe('image-unreadable');
  });

  it('logs how the code was found, never what it says', async () => {
    const { mkdtempSync, readdirSync, readFileSync } = await import('node:fs');
    const { join } = await import('node:path');
    const { tmpdir } = await import('node:os');
    const dir = mkdtempSync(join(tmpdir(), 'motcua-qr-log-'));
    const logger = createLogger({ dir, echo: false });
    await readCccdFromImage(await cardImage(PAYLOAD, { scale: 0.5 }), { logger });
    await decodeQrFromImage(await cardWithoutQr(), { logger }).catch(() => undefined);
    const log = readdirSync(dir)
      .map((f) => readFileSync(join(dir, f), 'utf8'))
      .join('');
    expect(log).toContain('"event":"qr.decoded"');
    expect(log).toContain('"code":"qr-not-found"');
    for (const secret of ['038192004517', 'Nhung', 'Nhung'.normalize('NFD'), 'Quảng Phú', '15031992']) {
      expect(log).not.toContain(secret);
    }
  });

  it('keeps working after the decoder was closed', async () => {
    await closeQrDecoder();
    expect((await decodeQrFromImage(await qrPng(PAYLOAD, 5))).texts).toEqual([PAYLOAD]);
  });
});
