import type { OcrWord } from './types';

/**
 * Words from Tesseract's TSV output (level 5 rows: level, page, block, par, line, word, left, top, width,
 * height, conf, text). TSV is a compact string, far cheaper to pass between threads than the JSON tree.
 */
export function wordsFromTsv(tsv: string): OcrWord[] {
  const words: OcrWord[] = [];
  for (const line of tsv.split('\n')) {
    if (!line.startsWith('5\t')) continue;
    const cells = line.split('\t');
    if (cells.length < 12) continue;
    const text = cells.slice(11).join('\t').trim();
    if (!text) continue;
    const [left, top, width, height, confidence] = cells.slice(6, 11).map(Number) as [
      number,
      number,
      number,
      number,
      number,
    ];
    if (![left, top, width, height, confidence].every(Number.isFinite)) continue;
    words.push({
      text: text.normalize('NFC'),
      confidence: Math.round(confidence * 100) / 100,
      bbox: { x0: left, y0: top, x1: left + width, y1: top + height },
    });
  }
  return words;
}

export function meanConfidence(words: readonly OcrWord[]): number {
  if (words.length === 0) return 0;
  const sum = words.reduce((total, word) => total + word.confidence, 0);
  return Math.round((sum / words.length) * 100) / 100;
}
