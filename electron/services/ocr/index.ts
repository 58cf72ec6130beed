/**
 * The OCR service: a pool of tesseract.js workers (Vietnamese by default), page clean-up inside those workers
 * that removes seal and signature colours and photo noise, a durable page queue in SQLite, and searchable PDFs.
 */
export { characterErrorRate, levenshtein, normalizeForCer } from './cer';
export { OcrError, type OcrErrorCode, ocrClerkMessage } from './errors';
export {
  DEFAULT_LEASE_MS,
  DEFAULT_MAX_ATTEMPTS,
  type OcrBatchProgress,
  type OcrJob,
  OcrJobQueue,
  type OcrPageRef,
} from './job-queue';
export {
  blobPageReader,
  type OcrRunOptions,
  type OcrRunSummary,
  type PageReader,
  readPageFile,
  runOcrJobs,
} from './job-runner';
export {
  assetsTessdataDir,
  fileSha256,
  type LanguageDataSource,
  type LanguageModel,
  languageDataCandidates,
  languageDataDir,
  languageModel,
  locateLanguageData,
  missingLanguages,
  NPM_DATA_VARIANT,
  type OcrLanguage,
} from './language-data';
export { languageFolder } from './language-folder';
export {
  downscaleArea,
  INK_CHROMA_WEIGHT,
  laplacianDeviation,
  median3,
  NOISY_SHARPNESS,
  OCR_MAX_DPI,
  type OcrImage,
  prepareForOcr,
  suppressInkColours,
} from './preprocess';
export { recognizeImageBytes, recognizeRawPage } from './recognize-page';
export { batchSearchablePdf, buildSearchablePdf, type SearchablePage } from './searchable-pdf';
export type { OcrJobStatus, OcrPageResult, OcrProgressEvent, OcrWord, PixelBox } from './types';
export {
  DEFAULT_LANGUAGES,
  DEFAULT_PAGE_TIMEOUT_MS,
  DEFAULT_RECYCLE_AFTER_PAGES,
  OcrPool,
  type OcrPoolOptions,
  type OcrPoolStats,
  type RecognizedPage,
  resolvePoolSize,
  scaleWords,
} from './worker-pool';
export type { OcrImageSize, WorkerTimings } from './worker-protocol';
