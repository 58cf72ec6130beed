export { CompositeDriver, type RoutedDriver } from './composite-driver';
export { putBlobDurably } from './durable-file';
export { ScanError, type ScanErrorCode, scanErrorCodeForSaneStatus, scanErrorMessage } from './errors';
export { pnmToRawPage, readScanPage, scanPagePath } from './page-image';
export { PAGE_SIZE_NAMES, PAGE_SIZES, pageSizesWithin } from './page-sizes';
export { modelKey, type ScanProfile, ScanProfiles } from './profiles';
export { capabilitiesFromOptions, SaneDriver, toScanError } from './sane-driver';
export {
  type BatchStatus,
  type ScanBatch,
  type ScanPageRecord,
  ScanRepository,
} from './scan-repository';
export {
  defaultSettings,
  type ScanEvent,
  type ScannerProbeResult,
  type ScanOutcome,
  type ScanRunOptions,
  ScanService,
  type StartBatchRequest,
} from './scan-service';
export { parseScanSettings, partialScanSettingsSchema, scanSettingsSchema } from './settings';
export { type SweepResult, sweepScanTemps } from './temp-files';
export * from './types';
