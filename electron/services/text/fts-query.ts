import { foldVietnamese } from './fold';

/**
 * A clerk's free text as an FTS5 query: folded like the index, every word required, the last one as a prefix
 * so results appear while typing. Quoting each word keeps FTS syntax (AND, NEAR, *, ") out of user input.
 */
export function ftsQuery(text: string): string | null {
  const words = foldVietnamese(text)
    .split(/[^\p{L}\p{N}]+/u)
    .filter((w) => w.length > 0)
    .slice(0, 12);
  if (words.length === 0) return null;
  return words.map((w, i) => `"${w}"${i === words.length - 1 ? '*' : ''}`).join(' ');
}
