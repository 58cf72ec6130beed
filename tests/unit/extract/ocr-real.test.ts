import { join } from 'node:path';
import sharp from 'sharp';
import { createWorker, type Worker } from 'tesseract.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bestField, extractFields, type OcrWord } from '../../../electron/services/extract';
import { languageDataDir } from '../../../electron/services/ocr/language-data';

// Real tesseract.js with the real Vietnamese model on the top of real corpus pages: the extraction must
// cope with what OCR actually emits (blank lines between header lines, trailing punctuation on words).

const CORPUS = join(import.meta.dirname, '../../../../shared/corpus/ocr');
let worker: Worker;

beforeAll(async () => {
  const langPath = languageDataDir('vie');
  if (!langPath) throw new Error('Vietnamese OCR data is missing (npm package @tesseract.js-data/vie)');
  worker = await createWorker('vie', 1, { langPath, cacheMethod: 'none', gzip: true });
});

afterAll(() => worker?.terminate());

/** OCR of the top `fraction` of a page: text plus tesseract's words with their confidences. */
async function ocrTop(file: string, fraction: number): Promise<{ text: string; words: OcrWord[] }> {
  const path = join(CORPUS, file);
  const { width = 0, height = 0 } = await sharp(path).metadata();
  const crop = await sharp(path)
    .extract({ left: 0, top: 0, width, height: Math.round(height * fraction) })
    .png()
    .toBuffer();
  const { data } = await worker.recognize(crop, {}, { text: true, blocks: true });
  const words = (data.blocks ?? []).flatMap((b) =>
    b.paragraphs.flatMap((p) =>
      p.lines.flatMap((l) => l.words.map((w) => ({ text: w.text, confidence: w.confidence }))),
    ),
  );
  return { text: data.text, words };
}

describe('fields from real OCR output', () => {
  it('reads the header of a commune decision: issuing body over two lines, number, date and place', async () => {
    const ocr = await ocrTop('d3-quyet-dinh-tro-cap.clean.png', 0.2);
    expect(ocr.words.length).toBeGreaterThan(20);
    const fields = extractFields(ocr);
    expect(bestField(fields, 'issuingBody')?.value).toBe('ỦY BAN NHÂN DÂN XÃ NGA SƠN');
    expect(bestField(fields, 'documentNumber')?.value).toBe('1275/QĐ-UBND');
    const date = bestField(fields, 'issueDate');
    expect(date).toMatchObject({ value: '2026-10-09', detail: 'Nga Sơn' });
    for (const f of fields) {
      expect(f.confidence).toBeGreaterThanOrEqual(0.7);
      // Word confidences below 100 % always cost something against the text-only score.
      expect(f.confidence).toBeLessThan(1);
    }
  });

  it('reads the applicant block of a residence request', async () => {
    const fields = extractFields(await ocrTop('d2-don-xac-nhan-cu-tru.clean.png', 0.3));
    expect(bestField(fields, 'fullName')?.value).toBe('Trịnh Đức Thắng');
    expect(bestField(fields, 'dateOfBirth')?.value).toBe('1985-03-27');
    expect(bestField(fields, 'idNumber')?.value).toBe('038085009231');
    expect(bestField(fields, 'idNumber')?.confidence).toBeGreaterThanOrEqual(0.8);
  });
});
