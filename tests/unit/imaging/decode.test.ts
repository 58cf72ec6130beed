import { crc32, deflateSync } from 'node:zlib';
import sharp from 'sharp';
import { describe, expect, it } from 'vitest';
import type { vi } from '../../../electron/api/i18n';
import { decodeImageFile, decodeImageFilePages } from '../../../electron/services/imaging/decode';
import { ImagingError } from '../../../electron/services/imaging/errors';
import { corpusFile } from './synthetic-pages';

const blankRgb = (width: number, height: number) =>
  sharp({ create: { width, height, channels: 3, background: '#ffffff' } });

async function expectImagingError(promise: Promise<unknown>, key: keyof typeof vi.imaging) {
  const error = await promise.then(
    () => null,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(ImagingError);
  const imagingError = error as ImagingError;
  expect(imagingError.messageKey).toBe(key);
  expect(imagingError.code).toBe('invalid-input');
  // Vietnamese for the clerk, English for the log.
  expect(imagingError.clerkMessage).not.toMatch(/\{\w+\}/);
  expect(imagingError.clerkMessage).toMatch(/[ảạếệờớ]/);
  expect(imagingError.message).toMatch(/^[\x20-\x7e]+$/);
  return imagingError;
}

describe('decodeImageFile', () => {
  it('keeps grey scans grey with their declared DPI (JPEG 300, 200 and 150 dpi)', async () => {
    const scan = await decodeImageFile(corpusFile('d1-to-khai-khai-sinh', 'scan.jpg'));
    expect(scan).toMatchObject({ width: 2480, height: 3508, channels: 1, dpi: 300 });
    expect(scan.data.length).toBe(2480 * 3508);
    expect((await decodeImageFile(corpusFile('d1-to-khai-khai-sinh', 'hard.jpg'))).dpi).toBe(200);
    expect((await decodeImageFile(corpusFile('d1-to-khai-khai-sinh', 'photo.jpg'))).dpi).toBe(150);
  });

  it('assumes 300 dpi when a PNG declares nothing (libvips would say 72)', async () => {
    const clean = await decodeImageFile(corpusFile('d1-to-khai-khai-sinh', 'clean.png'));
    expect(clean).toMatchObject({ width: 2480, height: 3508, channels: 1, dpi: 300 });
  });

  it('reads colour as RGB and the DPI of PNG pHYs and TIFF tags', async () => {
    const stamp = await decodeImageFile(corpusFile('d1-to-khai-khai-sinh', 'stamp.jpg'));
    expect(stamp).toMatchObject({ channels: 3, dpi: 300 });
    const png = await blankRgb(40, 30).withDensity(200).png().toBuffer();
    expect(await decodeImageFile(png)).toMatchObject({ width: 40, height: 30, channels: 3, dpi: 200 });
    const tiff = await blankRgb(40, 30).toColourspace('b-w').withDensity(600).tiff().toBuffer();
    expect(await decodeImageFile(tiff)).toMatchObject({ channels: 1, dpi: 600 });
    const bilevelTiff = await blankRgb(64, 8)
      .toColourspace('b-w')
      .tiff({ compression: 'ccittfax4', bitdepth: 1 })
      .toBuffer();
    const bilevel = await decodeImageFile(bilevelTiff);
    expect(bilevel).toMatchObject({ channels: 1, dpi: 300 });
    expect(bilevel.data.every((v) => v === 255)).toBe(true);
  });

  it('flattens transparency onto white paper and applies EXIF orientation', async () => {
    const transparent = await sharp({ create: { width: 4, height: 2, channels: 4, background: '#00000000' } })
      .png()
      .toBuffer();
    const flat = await decodeImageFile(transparent);
    expect(flat.channels).toBe(3);
    expect(flat.data.every((v) => v === 255)).toBe(true);
    // Stored 40×20, EXIF says "rotate 90° clockwise": the page is 20 wide, 40 tall.
    const rotated = await blankRgb(40, 20).jpeg().withMetadata({ orientation: 6 }).toBuffer();
    expect(await decodeImageFile(rotated)).toMatchObject({ width: 20, height: 40 });
  });

  it('refuses a multi-page TIFF instead of silently keeping one page; decodeImageFilePages keeps all', async () => {
    const twoPages = await sharp(
      [
        await blankRgb(30, 20).png().toBuffer(),
        await sharp({ create: { width: 30, height: 20, channels: 3, background: '#000000' } })
          .png()
          .toBuffer(),
      ],
      { join: { animated: true } },
    )
      .tiff()
      .toBuffer();
    const error = await expectImagingError(decodeImageFile(twoPages), 'multiPage');
    expect(error.clerkMessage).toContain('2 trang');
    const pages = await decodeImageFilePages(twoPages);
    expect(pages.map((p) => [p.width, p.height, p.data[0]])).toEqual([
      [30, 20, 255],
      [30, 20, 0],
    ]);
  });

  it('refuses a page too large to decode before allocating it', async () => {
    // A PNG header claiming 12 000 × 12 000 px (144 MP); the pixel data is never reached.
    const chunk = (type: string, body: Uint8Array) => {
      const out = Buffer.alloc(12 + body.length);
      out.writeUInt32BE(body.length, 0);
      out.write(type, 4, 'latin1');
      out.set(body, 8);
      out.writeUInt32BE(crc32(out.subarray(4, 8 + body.length)), 8 + body.length);
      return out;
    };
    const ihdr = Buffer.alloc(13);
    ihdr.writeUInt32BE(12_000, 0);
    ihdr.writeUInt32BE(12_000, 4);
    ihdr.set([8, 0, 0, 0, 0], 8);
    const png = Buffer.concat([
      Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
      chunk('IHDR', ihdr),
      chunk('IDAT', deflateSync(Buffer.alloc(100))),
      chunk('IEND', new Uint8Array(0)),
    ]);
    const error = await expectImagingError(decodeImageFile(png), 'tooLarge');
    expect(error.clerkMessage).toContain('12000×12000');
  });

  it('gives a clear Vietnamese message for non-images, unsupported formats and truncated files', async () => {
    await expectImagingError(
      decodeImageFile(new TextEncoder().encode('Họ và tên: Nguyễn Văn An')),
      'notAnImage',
    );
    await expectImagingError(decodeImageFile(new Uint8Array(0)), 'notAnImage');
    const webp = await blankRgb(8, 8).webp().toBuffer();
    const unsupported = await expectImagingError(decodeImageFile(webp), 'unsupportedFormat');
    expect(unsupported.clerkMessage).toContain('WEBP');
    const jpeg = corpusFile('d2-don-xac-nhan-cu-tru', 'scan.jpg');
    await expectImagingError(decodeImageFile(jpeg.subarray(0, 600)), 'notAnImage');
  });
});
