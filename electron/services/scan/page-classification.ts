/**
 * The one rule for what a scanned sheet is, shared by the desk and the CLI: a separator sheet starts the next
 * component; a blank back side is dropped on feeder batches only (a flatbed page is always meant). The
 * pixels are looked at on the imaging thread.
 */
import type { ScanSource } from '../../api/desk-api';
import type { PageKind } from '../imaging/classify';
import type { ImagingThread } from '../imaging/imaging-thread';
import type { BlobStore } from '../store/files';
import { readScanPageBytes } from './page-image';
import type { ScanPageRecord } from './scan-repository';

export interface PageClassificationRules {
  removeBlankPages: boolean;
  blankThreshold: number;
  detectSeparators: boolean;
}

/** What the page is; the caller records anything but 'page' in the batch layout. */
export async function classifyScanPage(
  imaging: ImagingThread,
  blobs: BlobStore,
  record: ScanPageRecord,
  source: ScanSource,
  rules: PageClassificationRules,
): Promise<PageKind> {
  const result = await imaging.classify(await readScanPageBytes(blobs, record), record.dpi, {
    blankThreshold: rules.removeBlankPages && source !== 'flatbed' ? rules.blankThreshold : null,
    detectSeparators: rules.detectSeparators,
  });
  return result.kind;
}
