/**
 * Folds Vietnamese text for diacritic-insensitive matching: "Nguyễn Văn Đức" → "nguyen van duc".
 * đ/Đ are letters of their own (not a base letter + mark), so they are mapped explicitly.
 */
export function foldVietnamese(text: string): string {
  return text
    .normalize('NFD')
    .replace(/\p{Mn}+/gu, '')
    .replace(/[đĐ]/g, 'd')
    .toLowerCase()
    .replace(/\s+/g, ' ')
    .trim();
}

/** NFC + collapsed whitespace: how names and free text are stored. */
export function normalizeText(text: string): string {
  return text.normalize('NFC').replace(/\s+/g, ' ').trim();
}
