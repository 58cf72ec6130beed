/** The text form CER compares: NFC (one code point per Vietnamese letter) with whitespace runs collapsed. */
export function normalizeForCer(text: string): string {
  return text.normalize('NFC').replace(/\s+/g, ' ').trim();
}

/** Levenshtein distance over code points, two rows of memory. */
export function levenshtein(a: readonly string[], b: readonly string[]): number {
  if (a.length < b.length) return levenshtein(b, a);
  let previous = Array.from({ length: b.length + 1 }, (_, j) => j);
  let current = new Array<number>(b.length + 1).fill(0);
  for (let i = 1; i <= a.length; i++) {
    current[0] = i;
    for (let j = 1; j <= b.length; j++) {
      const substitution = (previous[j - 1] as number) + (a[i - 1] === b[j - 1] ? 0 : 1);
      current[j] = Math.min((previous[j] as number) + 1, (current[j - 1] as number) + 1, substitution);
    }
    [previous, current] = [current, previous];
  }
  return previous[b.length] as number;
}

/** Character error rate: edits to turn the truth into the output, per code point of the truth (0..∞). */
export function characterErrorRate(truth: string, output: string): number {
  const expected = Array.from(normalizeForCer(truth));
  const actual = Array.from(normalizeForCer(output));
  if (expected.length === 0) return actual.length === 0 ? 0 : 1;
  return levenshtein(expected, actual) / expected.length;
}
