import { readdirSync, readFileSync } from 'node:fs';
import { afterAll, describe, expect, it } from 'vitest';
import { decodeImageFile } from '../../../electron/services/imaging/decode';
import { characterErrorRate } from '../../../electron/services/ocr/cer';
import { recognizeImageBytes } from '../../../electron/services/ocr/recognize-page';
import { OcrPool } from '../../../electron/services/ocr/worker-pool';
import { corpusFile, groundTruth } from './corpus';

// Real tesseract.js with the real Vietnamese model; one worker per page so the three run side by side.
const pool = new OcrPool({ size: 2, languages: ['vie'], recycleAfterPages: 1 });
afterAll(() => pool.close());

const traineddataIn = (dir: string) => readdirSync(dir).filter((name) => name.includes('traineddata'));

describe('OCR pool on the Vietnamese corpus', () => {
  const cwdBefore = traineddataIn(process.cwd());

  it.concurrent.each([
    // [file, document, CER bound, clean-up the worker must choose]; native Tesseract: clean 0.13 %,
    // stamp 5.31 %, photo 2.05 % (README). Without their clean-up stamp and photo pages miss the bound.
    // 300 dpi pages are read at 200 dpi (preprocess.ts, OCR_MAX_DPI).
    ['d3-quyet-dinh-tro-cap.clean.png', 'd3-quyet-dinh-tro-cap', 0.01, ['downscaled']],
    ['d6-bao-cao.stamp.jpg', 'd6-bao-cao', 0.02, ['ink-suppressed', 'downscaled']],
    ['d5-bien-nhan.photo.jpg', 'd5-bien-nhan', 0.02, ['median3']],
  ])('reads %s within its CER bound', async (file, doc, bound, steps) => {
    const { page, result } = await recognizeImageBytes(pool, readFileSync(corpusFile(file)));
    // The clean-up ran in the worker thread, which reports what it did and how long it took.
    expect(result.timings?.steps).toEqual(steps);
    expect(result.timings?.recognizeMs).toBeGreaterThan(0);
    const cer = characterErrorRate(groundTruth(doc), result.text);
    expect(cer).toBeLessThan(bound);
    expect(result.confidence).toBeGreaterThan(70);
    expect(result.dpi).toBe(page.dpi);
    // Words carry boxes inside the page and confidences; the text is made of them.
    expect(result.words.length).toBeGreaterThan(100);
    for (const word of result.words) {
      expect(word.bbox.x0).toBeGreaterThanOrEqual(0);
      expect(word.bbox.x1).toBeLessThanOrEqual(page.width);
      expect(word.bbox.y1).toBeLessThanOrEqual(page.height);
      expect(word.bbox.x1).toBeGreaterThan(word.bbox.x0);
    }
    expect(result.words.map((w) => w.text)).toContain('NHÂN');
  });

  it('maps word boxes of a page read at reduced resolution back to the page', async () => {
    const page = await decodeImageFile(readFileSync(corpusFile('d4-giay-uy-quyen.clean.png')));
    expect(page.dpi).toBe(300);
    const single = new OcrPool({ size: 1, languages: ['vie'] });
    try {
      // Same pixels twice: declared 300 dpi (the worker reads a 2/3 reduction), and declared 200 dpi (read as is).
      const reduced = await single.recognize(page, 'job-r');
      const full = await single.recognize({ ...page, dpi: 200 }, 'job-f');
      expect(reduced.timings.steps).toEqual(['downscaled']);
      expect(full.timings.steps).toEqual([]);
      // Words (4+ letters) found once in each reading sit in the same place on the page, to within a few pixels.
      const once = (words: typeof full.words) => {
        const byText = new Map<string, (typeof words)[number] | null>();
        for (const w of words) if (w.text.length >= 4) byText.set(w.text, byText.has(w.text) ? null : w);
        return byText;
      };
      const fullOnce = once(full.words);
      let matched = 0;
      for (const [text, word] of once(reduced.words)) {
        const twin = fullOnce.get(text);
        if (!word || !twin) continue;
        matched++;
        for (const side of ['x0', 'y0', 'x1', 'y1'] as const) {
          expect(Math.abs(word.bbox[side] - twin.bbox[side])).toBeLessThanOrEqual(6);
        }
      }
      expect(matched).toBeGreaterThan(40);
      expect(Math.max(...reduced.words.map((w) => w.bbox.x1))).toBeGreaterThan(page.width * 0.75);
    } finally {
      await single.close();
    }
  });

  it('recycled every worker after its page and left no language data in the cwd', () => {
    expect(pool.stats().pages).toBe(3);
    expect(pool.stats().recycled).toBe(3);
    expect(traineddataIn(process.cwd())).toEqual(cwdBefore);
  });

  it('rejects a page whose pixels do not fit its size, and the worker reads the next page', async () => {
    const single = new OcrPool({ size: 1, languages: ['vie'] });
    try {
      const page = await decodeImageFile(readFileSync(corpusFile('d1-to-khai-khai-sinh.hard.jpg')));
      const broken = { ...page, data: page.data.subarray(0, page.data.length - 1) };
      await expect(single.recognize(broken, 'job-7')).rejects.toMatchObject({
        ocrCode: 'engine-failed',
        retryable: true,
        message: expect.stringMatching(/expected/),
      });
      const next = await single.recognize(page, 'job-8');
      expect(next.words.length).toBeGreaterThan(100);
      expect(single.stats()).toMatchObject({ pages: 1, crashed: 0, live: 1 });
    } finally {
      await single.close();
    }
  });

  it('rejects work after close instead of hanging', async () => {
    const closed = new OcrPool({ size: 1, languages: ['vie'] });
    await closed.close();
    await expect(
      recognizeImageBytes(closed, readFileSync(corpusFile('d1-to-khai-khai-sinh.hard.jpg'))),
    ).rejects.toThrow(/closed/);
  });
});
