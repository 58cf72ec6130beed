import QRCode from 'qrcode';
import sharp from 'sharp';

/**
 * Builds card-like test images: a real QR code (from the `qrcode` package) on a noisy, printed-looking
 * ID-card background, optionally rotated and scaled down like a phone photo.
 */

export interface CardImageOptions {
  /** Degrees, clockwise, applied to the QR before it is placed. */
  qrAngle?: number;
  /** Degrees applied to the whole card (e.g. 90 for a card photographed sideways). */
  cardAngle?: number;
  /** Final scale of the whole image (0.3 = a distant photo). */
  scale?: number;
  format?: 'png' | 'jpeg';
  /** Pixels per QR module before scaling. */
  moduleSize?: number;
  /** Amplitude of per-pixel noise added last (0–255). */
  noise?: number;
  /** Contrast factor around mid-grey (0.3 = a washed-out, over-exposed photo). */
  contrast?: number;
  seed?: number;
}

const CARD_WIDTH = 1700;
const CARD_HEIGHT = 1080;

/** Deterministic noise so a failing image can be reproduced. */
function noiseGenerator(seed: number) {
  let state = seed >>> 0;
  return () => {
    state = (Math.imul(state, 1664525) + 1013904223) >>> 0;
    return state / 2 ** 32;
  };
}

/** 64 Ki noise samples in [-0.5, 0.5): indexing a table is far cheaper than a generator per pixel. */
function noiseTable(seed: number): Float32Array {
  const random = noiseGenerator(seed);
  return Float32Array.from({ length: 1 << 16 }, () => random() - 0.5);
}

let background: Buffer | null = null;

/** Pale blue-green guilloche-like waves plus grain, like the back of a chip card (built once). */
function cardBackground(): Buffer {
  if (background) return background;
  const noise = noiseTable(3);
  const pixels = Buffer.alloc(CARD_WIDTH * CARD_HEIGHT * 3);
  for (let y = 0; y < CARD_HEIGHT; y++) {
    const phase = Math.sin(y / 41) * 3;
    for (let x = 0; x < CARD_WIDTH; x++) {
      const i = (y * CARD_WIDTH + x) * 3;
      const wave = 20 * Math.sin(x / 23 + phase);
      const grain = (noise[(i * 7) & 0xffff] ?? 0) * 70;
      pixels[i] = 170 + wave + grain;
      pixels[i + 1] = 195 + wave + grain;
      pixels[i + 2] = 190 + grain;
    }
  }
  background = pixels;
  return pixels;
}

export async function qrPng(payload: string, moduleSize = 4): Promise<Buffer> {
  return QRCode.toBuffer(payload, { type: 'png', margin: 2, scale: moduleSize, errorCorrectionLevel: 'M' });
}

export async function cardImage(payload: string, options: CardImageOptions = {}): Promise<Buffer> {
  const pixels = cardBackground();
  // Dark "printed text" bars on the left half, as on the card's back (fingerprints, MRZ lines).
  const bars = Array.from({ length: 9 }, (_, row) => ({
    input: { create: { width: 700, height: 18, channels: 3 as const, background: '#333' } },
    left: 80,
    top: 120 + row * 90,
  }));
  const qr = await sharp(await qrPng(payload, options.moduleSize ?? 4))
    .rotate(options.qrAngle ?? 0, { background: '#c0cfcc' })
    .png()
    .toBuffer();
  const printed = await sharp(pixels, { raw: { width: CARD_WIDTH, height: CARD_HEIGHT, channels: 3 } })
    .composite([...bars, { input: qr, left: 1150, top: 150 }])
    .blur(0.8)
    .removeAlpha()
    .raw()
    .toBuffer();
  // Sensor noise over everything, the QR included, then optionally a washed-out exposure.
  const contrast = options.contrast ?? 1;
  const amplitude = options.noise ?? 40;
  const noise = noiseTable(options.seed ?? 7);
  const clamped = new Uint8ClampedArray(printed.buffer, printed.byteOffset, printed.length);
  for (let i = 0; i < clamped.length; i++) {
    clamped[i] = 128 + ((clamped[i] ?? 0) - 128) * contrast + (noise[(i * 13 + 5) & 0xffff] ?? 0) * amplitude;
  }
  // Raw pixels between steps: encoding a noisy PNG in the middle would cost more than everything else.
  const turned = await sharp(printed, { raw: { width: CARD_WIDTH, height: CARD_HEIGHT, channels: 3 } })
    .rotate(options.cardAngle ?? 0, { background: '#777' })
    .raw()
    .toBuffer({ resolveWithObject: true });
  const { width, height, channels } = turned.info;
  let image = sharp(turned.data, { raw: { width, height, channels } });
  const scale = options.scale ?? 1;
  if (scale !== 1) image = image.resize({ width: Math.round(width * scale) });
  return options.format === 'png'
    ? image.png({ compressionLevel: 1 }).toBuffer()
    : image.jpeg({ quality: 78 }).toBuffer();
}

/** The same background with no QR code at all. */
export async function cardWithoutQr(): Promise<Buffer> {
  const noise = noiseTable(11);
  const pixels = Buffer.alloc(800 * 500 * 3);
  for (let i = 0; i < pixels.length; i++) pixels[i] = 195 + (noise[(i * 7) & 0xffff] ?? 0) * 90;
  return sharp(pixels, { raw: { width: 800, height: 500, channels: 3 } })
    .jpeg()
    .toBuffer();
}
