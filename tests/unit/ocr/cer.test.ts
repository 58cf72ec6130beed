import { describe, expect, it } from 'vitest';
import { characterErrorRate, levenshtein, normalizeForCer } from '../../../electron/services/ocr/cer';

describe('characterErrorRate', () => {
  it('counts insertions, deletions and substitutions per code point of the truth', () => {
    expect(levenshtein([...'kitten'], [...'sitting'])).toBe(3);
    expect(characterErrorRate('Hạnh phúc', 'Hạnh phúc')).toBe(0);
    expect(characterErrorRate('Hạnh phúc', 'Hanh phúc')).toBeCloseTo(1 / 9);
    expect(characterErrorRate('abc', '')).toBe(1);
  });

  it('compares NFC text with whitespace collapsed, so decomposed accents and line breaks cost nothing', () => {
    const decomposed = 'Việt Nam'.normalize('NFD');
    expect(normalizeForCer(`  ${decomposed}\n\n  Độc   lập `)).toBe('Việt Nam Độc lập');
    expect(characterErrorRate('Việt Nam\nĐộc lập', `${decomposed}  Độc lập`)).toBe(0);
  });
});
