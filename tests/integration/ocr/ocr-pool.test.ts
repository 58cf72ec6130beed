import { readdirSync, readFileSync } from 'node:fs';
import { afterAll, describe, expect, it } from 'vitest';
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
    // [file, document, CER bound]; native Tesseract: clean 0.13 %, stamp 5.31 %, photo 2.05 % (README).
    ['d3-quyet-dinh-tro-cap.clean.png', 'd3-quyet-dinh-tro-cap', 0.01],
    ['d6-bao-cao.stamp.jpg', 'd6-bao-cao', 0.02],
    ['d5-bien-nhan.photo.jpg', 'd5-bien-nhan', 0.02],
  ])('reads %s within its CER bound', async (file, doc, bound) => {
    const { page, result } = await recognizeImageBytes(pool, readFileSync(corpusFile(file)));
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

  it('recycled every worker after its page and left no language data in the cwd', () => {
    expect(pool.stats().pages).toBe(3);
    expect(pool.stats().recycled).toBe(3);
    expect(traineddataIn(process.cwd())).toEqual(cwdBefore);
  });

  it('rejects work after close instead of hanging', async () => {
    const closed = new OcrPool({ size: 1, languages: ['vie'] });
    await closed.close();
    await expect(
      recognizeImageBytes(closed, readFileSync(corpusFile('d1-to-khai-khai-sinh.hard.jpg'))),
    ).rejects.toThrow(/closed/);
  });
});
