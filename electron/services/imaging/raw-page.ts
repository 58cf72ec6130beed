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
