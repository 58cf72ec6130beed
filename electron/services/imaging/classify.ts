import { isBlankPage, measureInk } from './ink';
import type { RawPage } from './raw-page';
import { detectSeparator, type SeparatorKind } from './separator';

export type PageKind = 'page' | 'blank' | 'separator';

export interface PageClassification {
  kind: PageKind;
  inkRatio: number;
  separator: SeparatorKind | null;
}

export interface ClassifyOptions {
  /** Ink ratio under which a page is blank; null keeps every page. */
  blankThreshold: number | null;
  detectSeparators: boolean;
}

/** What a scanned sheet is: a page to keep, a blank back side to drop, or a sheet that separates components. */
export async function classifyPage(page: RawPage, options: ClassifyOptions): Promise<PageClassification> {
  // Separator first: the sheet carries ink (a barcode), so it must not be mistaken for a content page.
  const separator = options.detectSeparators ? await detectSeparator(page) : null;
  const { inkRatio } = measureInk(page);
  if (separator) return { kind: 'separator', inkRatio, separator };
  const blank = options.blankThreshold !== null && isBlankPage(page, options.blankThreshold);
  return { kind: blank ? 'blank' : 'page', inkRatio, separator: null };
}
