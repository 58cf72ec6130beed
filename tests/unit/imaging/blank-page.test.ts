import { describe, expect, it } from 'vitest';
import { deskConfigSchema } from '../../../electron/services/config/config';
import { decodeImageFile } from '../../../electron/services/imaging/decode';
import { DEFAULT_BLANK_THRESHOLD, isBlankPage, measureInk } from '../../../electron/services/imaging/ink';
import {
  A4_300,
  CORPUS_DOCS,
  type CorpusVariant,
  corpusFile,
  noisyBlankPage,
  withHandwrittenLine,
} from './synthetic-pages';

describe('blank-page detection', () => {
  it('finds a near-white page with sensor noise, dust and bleed-through blank', async () => {
    for (const seed of [1, 2]) {
      const page = await noisyBlankPage(seed);
      expect(measureInk(page).inkRatio).toBeLessThan(DEFAULT_BLANK_THRESHOLD / 4);
      expect(isBlankPage(page)).toBe(true);
    }
  });

  it('keeps a page that carries a single short handwritten line', async () => {
    const page = await withHandwrittenLine(await noisyBlankPage(3));
    const { inkRatio } = measureInk(page);
    expect(inkRatio).toBeGreaterThan(DEFAULT_BLANK_THRESHOLD * 2);
    expect(isBlankPage(page)).toBe(false);
    // The threshold is the caller's to choose: a stricter desk can treat such a page as blank.
    expect(isBlankPage(page, inkRatio * 1.5)).toBe(true);
  });

  it('keeps every corpus page, from clean scans to phone photos', async () => {
    for (const doc of CORPUS_DOCS) {
      for (const variant of ['clean.png', 'hard.jpg', 'stamp.jpg', 'photo.jpg'] satisfies CorpusVariant[]) {
        const page = await decodeImageFile(corpusFile(doc, variant));
        expect(measureInk(page).inkRatio, `${doc} ${variant}`).toBeGreaterThan(0.003);
      }
    }
  });

  it('scores a perfectly white page 0 and does not depend on resolution', async () => {
    const white = {
      ...A4_300,
      channels: 1 as const,
      dpi: 300,
      data: new Uint8Array(A4_300.width * A4_300.height).fill(255),
    };
    expect(measureInk(white).inkRatio).toBe(0);
    const page = await decodeImageFile(corpusFile('d4-giay-uy-quyen', 'clean.png'));
    const at300 = measureInk(page).inkRatio;
    const at150 = measureInk(await decodeImageFile(corpusFile('d4-giay-uy-quyen', 'photo.jpg'))).inkRatio;
    expect(at150 / at300).toBeGreaterThan(0.3);
    expect(at150 / at300).toBeLessThan(1.5);
  });
});

describe('the desk config default', () => {
  it('is the blank threshold imaging measures against (config writes the number out: it sits below imaging)', () => {
    const scan = deskConfigSchema.parse({}).scan;
    expect(scan.blankThreshold).toBe(DEFAULT_BLANK_THRESHOLD);
  });
});
