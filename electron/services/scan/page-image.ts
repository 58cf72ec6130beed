import { pnmToRawPage } from '../imaging/pnm';
import type { RawPage } from '../imaging/raw-page';
import type { BlobStore } from '../store/files';
import type { ScanPageRecord } from './scan-repository';

export { pnmToRawPage } from '../imaging/pnm';

export function scanPagePath(blobs: BlobStore, page: Pick<ScanPageRecord, 'sha256' | 'fileExt'>): string {
  return blobs.pathFor(page.sha256, page.fileExt);
}

/** A recorded page's file bytes (PNM), opened from the blob store (which may hold it sealed). */
export function readScanPageBytes(
  blobs: BlobStore,
  page: Pick<ScanPageRecord, 'sha256' | 'fileExt'>,
): Promise<Uint8Array> {
  return blobs.read(page.sha256, page.fileExt);
}

/** Reads a recorded page back from the blob store as a RawPage. */
export async function readScanPage(blobs: BlobStore, page: ScanPageRecord): Promise<RawPage> {
  return pnmToRawPage(await readScanPageBytes(blobs, page), page.dpi);
}
