import { describe, expect, it } from 'vitest';
import { scaleWords } from '../../../electron/services/ocr/worker-pool';

const word = (x0: number, y0: number, x1: number, y1: number) => ({
  text: 'xã',
  confidence: 90,
  bbox: { x0, y0, x1, y1 },
});

describe('scaleWords', () => {
  it('maps boxes of the reduced image back to the page, covering at least the same ink', () => {
    const [w] = scaleWords(
      [word(10, 20, 31, 41)],
      { width: 1653, height: 2339 },
      { width: 2480, height: 3508 },
    );
    // 2480 / 1653 = 1.5003, 3508 / 2339 = 1.4998: rounded outwards.
    expect(w?.bbox).toEqual({ x0: 15, y0: 29, x1: 47, y1: 62 });
    expect(w?.text).toBe('xã');
  });

  it('never leaves the page, even for a box on the image edge', () => {
    const [w] = scaleWords(
      [word(0, 0, 1653, 2339)],
      { width: 1653, height: 2339 },
      { width: 2480, height: 3508 },
    );
    expect(w?.bbox).toEqual({ x0: 0, y0: 0, x1: 2480, y1: 3508 });
  });

  it('hands words back untouched when the image was the page', () => {
    const words = [word(1, 2, 3, 4)];
    expect(scaleWords(words, { width: 100, height: 50 }, { width: 100, height: 50 })).toBe(words);
  });
});
