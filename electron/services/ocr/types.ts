import type { WorkerTimings } from './worker-protocol';

/** A box in page pixels, origin top-left, x1/y1 exclusive (same convention as imaging's TextLayerWord). */
export interface PixelBox {
  x0: number;
  y0: number;
  x1: number;
  y1: number;
}

export interface OcrWord {
  text: string;
  /** 0..100, Tesseract's word confidence. */
  confidence: number;
  bbox: PixelBox;
}

/** What OCR learned from one page. Boxes refer to the page as decoded (before any OCR-only clean-up). */
export interface OcrPageResult {
  text: string;
  /** Mean word confidence 0..100 (0 for a page without words). */
  confidence: number;
  words: OcrWord[];
  width: number;
  height: number;
  dpi: number;
  /** Wall time of preparation + recognition. */
  ms: number;
  /** Clean-up steps and the worker's share of `ms` (not stored with the result; for logs and benchmarks). */
  timings?: WorkerTimings;
}

export type OcrJobStatus = 'pending' | 'running' | 'done' | 'failed';

/** Emitted for every page that changes state, so the UI can show "trang 3/7". */
export interface OcrProgressEvent {
  batchId: string;
  jobId: number;
  pageIndex: number;
  status: OcrJobStatus;
  /** Pages of the batch finished (done or failed) so far, and its page count. */
  finished: number;
  total: number;
  confidence?: number;
  /** English detail of a failure; clerkMessage is its Vietnamese counterpart. */
  error?: string;
  clerkMessage?: string;
}
