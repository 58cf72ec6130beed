/** One page as it comes off a scanner: uncompressed pixels plus the resolution it was scanned at. */
export interface RawPage {
  width: number;
  height: number;
  /** 1 = grey, 3 = RGB. Black-and-white scans are delivered as grey 0/255 after unpacking. */
  channels: 1 | 3;
  /** Dots per inch the page was scanned at; keeps the true page size in PDFs and helps OCR. */
  dpi: number;
  /** Row-major, 8 bits per sample, `width * height * channels` bytes. */
  data: Uint8Array;
}

export type ColorMode = 'color' | 'gray' | 'bw';

/** Throws (English detail) when a page's fields cannot describe its buffer: catches wiring bugs early. */
export function assertRawPage(page: RawPage): void {
  const { width, height, channels, dpi, data } = page;
  if (!Number.isInteger(width) || !Number.isInteger(height) || width < 1 || height < 1) {
    throw new RangeError(`raw page has invalid size ${width}x${height}`);
  }
  if (channels !== 1 && channels !== 3) throw new RangeError(`raw page has ${channels} channels`);
  if (!(dpi > 0)) throw new RangeError(`raw page has invalid dpi ${dpi}`);
  if (data.length !== width * height * channels) {
    throw new RangeError(`raw page buffer is ${data.length} bytes, expected ${width * height * channels}`);
  }
}

/**
 * Luma plane of a page (ITU-R BT.601 weights, integer maths). Grey pages are returned as-is, not copied:
 * callers treat the result as read-only.
 */
export function grayPlane(page: RawPage): Uint8Array {
  if (page.channels === 1) return page.data;
  const { data } = page;
  const n = page.width * page.height;
  const out = new Uint8Array(n);
  for (let i = 0, j = 0; i < n; i++, j += 3) {
    out[i] = (77 * (data[j] as number) + 150 * (data[j + 1] as number) + 29 * (data[j + 2] as number)) >> 8;
  }
  return out;
}

export function toGrayPage(page: RawPage): RawPage {
  return page.channels === 1 ? page : { ...page, channels: 1, data: grayPlane(page) };
}
