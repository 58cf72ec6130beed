import { readFile } from 'node:fs/promises';
import sharp, { type Metadata, type OutputInfo, type Sharp } from 'sharp';
import { type Logger, silentLogger } from '../logging/logger';
import { type CccdRecord, type ParseCccdOptions, parseCccdPayload } from './cccd-payload';
import { ExtractError } from './errors';
import { readQrSymbols } from './qr-decoder';

export { closeQrDecoder } from './qr-decoder';

/**
 * Finds the QR code in a photo or scan of a chip ID card. The image is prepared with sharp (which works on
 * libuv's thread pool) and read by ZXing in a worker thread; if the plain image yields nothing, a few
 * variants aimed at the usual failures are tried: small codes (upscaled, so a module spans enough pixels
 * for ZXing's binariser), low contrast, and sensor noise. Rotation, including 90° and small angles, is
 * handled by ZXing's own detector.
 */

export type QrAttempt = 'original' | 'upscale-2x' | 'upscale-3x' | 'contrast' | 'denoise';

export interface QrImageResult {
  /** Every QR text found by the successful attempt (a card has one). */
  texts: string[];
  attempt: QrAttempt;
  /** How many attempts were made, the successful one included. */
  attempts: number;
  width: number;
  height: number;
}

export const ACCEPTED_IMAGE_FORMATS = ['png', 'jpeg'] as const;
/** ZXing scans downscaled copies itself; beyond this the extra pixels only cost time and memory. */
const MAX_WORKING_SIDE = 3000;

const READER_OPTIONS = {
  formats: ['QRCode'],
  tryHarder: true,
  tryRotate: true,
  tryInvert: true,
  maxNumberOfSymbols: 4,
};

interface Variant {
  attempt: QrAttempt;
  /** Whether the variant is worth trying for an image whose longest side is this long. */
  applies: (longestSide: number) => boolean;
  prepare: (image: Sharp, width: number) => Sharp;
  options?: Record<string, unknown>;
}

const VARIANTS: Variant[] = [
  { attempt: 'original', applies: () => true, prepare: (image) => image },
  {
    attempt: 'upscale-2x',
    applies: (side) => side <= 2000,
    prepare: (image, width) => image.resize({ width: width * 2, kernel: 'cubic' }),
  },
  {
    attempt: 'upscale-3x',
    applies: (side) => side <= 1100,
    prepare: (image, width) => image.resize({ width: width * 3, kernel: 'cubic' }),
  },
  { attempt: 'contrast', applies: () => true, prepare: (image) => image.normalise().sharpen() },
  {
    attempt: 'denoise',
    applies: () => true,
    prepare: (image) => image.median(3).normalise(),
    options: { tryDenoise: true },
  },
];

async function loadImage(input: string | Uint8Array): Promise<Buffer> {
  if (typeof input !== 'string') return Buffer.from(input.buffer, input.byteOffset, input.byteLength);
  try {
    return await readFile(input);
  } catch (error) {
    throw new ExtractError(
      'image-unreadable',
      `cannot read image file: ${(error as NodeJS.ErrnoException).code}`,
    );
  }
}

const utf8 = new TextDecoder('utf-8', { fatal: true });

export interface DecodeQrOptions {
  /** Receives timings and attempt counts only; the decoded text (personal data) is never logged. */
  logger?: Logger;
}

/** Finds and decodes the QR codes of a PNG or JPEG image. Throws `ExtractError` when there is none. */
export async function decodeQrFromImage(
  input: string | Uint8Array,
  options: DecodeQrOptions = {},
): Promise<QrImageResult> {
  const startedAt = performance.now();
  const logger = options.logger ?? silentLogger;
  try {
    const result = await decode(input);
    const { attempt, attempts, width, height } = result;
    const ms = Math.round(performance.now() - startedAt);
    logger.info('qr.decoded', { attempt, attempts, width, height, symbols: result.texts.length, ms });
    return result;
  } catch (error) {
    const code = error instanceof ExtractError ? error.code : 'internal';
    logger.warn('qr.refused', {
      code,
      detail: (error as Error).message,
      ms: Math.round(performance.now() - startedAt),
    });
    throw error;
  }
}

async function decode(input: string | Uint8Array): Promise<QrImageResult> {
  const bytes = await loadImage(input);
  let meta: Metadata;
  try {
    meta = await sharp(bytes).metadata();
  } catch (error) {
    throw new ExtractError('image-unreadable', `not a decodable image: ${(error as Error).message}`);
  }
  const format = meta.format ?? 'unknown';
  if (!(ACCEPTED_IMAGE_FORMATS as readonly string[]).includes(format)) {
    throw new ExtractError('image-unsupported', `image format ${format} is not accepted`, { format });
  }

  let base: { data: Buffer; info: OutputInfo };
  try {
    // Camera orientation applied, grey, and no larger than needed.
    base = await sharp(bytes)
      .rotate()
      .resize({ width: MAX_WORKING_SIDE, height: MAX_WORKING_SIDE, fit: 'inside', withoutEnlargement: true })
      .greyscale()
      .raw()
      .toBuffer({ resolveWithObject: true });
  } catch (error) {
    throw new ExtractError('image-unreadable', `image data is corrupt: ${(error as Error).message}`);
  }
  const { width, height } = base.info;
  const longestSide = Math.max(width, height);

  let attempts = 0;
  let undecodable = false;
  for (const variant of VARIANTS) {
    if (!variant.applies(longestSide)) continue;
    attempts += 1;
    const source = sharp(base.data, { raw: { width, height, channels: 1 } });
    const { data, info } = await variant
      .prepare(source, width)
      .greyscale()
      .raw()
      .toBuffer({ resolveWithObject: true });
    if (info.channels !== 1) throw new Error(`expected 1 grey channel, got ${info.channels}`);
    const symbols = await readQrSymbols({
      width: info.width,
      height: info.height,
      grey: data,
      options: { ...READER_OPTIONS, ...variant.options },
    });
    const texts: string[] = [];
    for (const symbol of symbols) {
      try {
        texts.push(utf8.decode(symbol.bytes));
      } catch {
        undecodable = true;
      }
    }
    if (texts.length > 0) return { texts, attempt: variant.attempt, attempts, width, height };
  }
  if (undecodable) throw new ExtractError('qr-not-text', 'QR code found but its content is not UTF-8 text');
  throw new ExtractError(
    'qr-not-found',
    `no QR code found after ${attempts} attempt(s) on ${width}x${height}`,
  );
}

export interface CardQrResult {
  record: CccdRecord;
  decode: QrImageResult;
}

/**
 * Reads the chip ID card QR from an image and parses it. With several codes in view, the first one that
 * is a valid CCCD payload wins; if none is, the first one's refusal is thrown.
 */
export async function readCccdFromImage(
  input: string | Uint8Array,
  options: ParseCccdOptions & DecodeQrOptions = {},
): Promise<CardQrResult> {
  const decode = await decodeQrFromImage(input, options);
  let firstError: unknown = null;
  for (const text of decode.texts) {
    try {
      return { record: parseCccdPayload(text, options), decode };
    } catch (error) {
      firstError ??= error;
    }
  }
  throw firstError;
}
