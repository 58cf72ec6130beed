import { randomUUID } from 'node:crypto';
import { DeskError } from '../../api/errors';
import { decodeImageFile } from '../imaging/decode';
import { ImagingError } from '../imaging/errors';
import { encodePnm } from '../imaging/pnm';
import type { Logger } from '../logging/logger';
import { putBlobDurably } from '../scan/durable-file';
import type { ScanService } from '../scan/scan-service';
import type { ScannerDevice } from '../scan/types';
import type { Store } from '../store/store';

/** Imported files are recorded as a batch of this pseudo-scanner, so they flow on like scanned pages. */
const IMPORT_DEVICE: ScannerDevice = {
  id: 'import',
  driver: 'import',
  vendor: 'Tệp ảnh',
  model: 'nhập từ máy',
  type: 'file',
};

/**
 * Pages from image files (PNG, JPEG, TIFF): every file is decoded first, so one bad file rejects the import
 * with its name and nothing half-recorded; then each page is stored durably like a scanned one.
 */
export async function importPages(
  store: Store,
  scans: ScanService,
  files: { name: string; base64: string }[],
  logger: Logger,
): Promise<{ batchId: string }> {
  const pages = [];
  for (const [index, file] of files.entries()) {
    try {
      pages.push(await decodeImageFile(Buffer.from(file.base64, 'base64')));
    } catch (error) {
      if (error instanceof ImagingError) {
        // The file's name is the clerk's own label for it; it goes to the clerk, never to the log.
        logger.warn('import.rejected', { file: index + 1, code: error.messageKey });
        throw new DeskError('invalid-input', error.message, `${file.name}: ${error.clerkMessage}`);
      }
      throw error;
    }
  }
  const batchId = randomUUID();
  const first = pages[0];
  if (!first) throw new DeskError('invalid-input', 'no files');
  scans.repository.createBatch({
    id: batchId,
    device: IMPORT_DEVICE,
    settings: {
      source: 'flatbed',
      resolution: first.dpi,
      mode: first.channels === 3 ? 'color' : 'gray',
      pageSize: 'A4',
    },
  });
  for (const [index, page] of pages.entries()) {
    const bytes = encodePnm(page.data, page.width, page.height, page.channels);
    const ext = page.channels === 3 ? '.ppm' : '.pgm';
    const file = await putBlobDurably(store.blobs, { bytes }, ext);
    scans.repository.addPage({
      batchId,
      seq: index + 1,
      sha256: file.sha256,
      fileExt: ext,
      bytes: file.bytes,
      width: page.width,
      height: page.height,
      channels: page.channels,
      depth: 8,
      dpi: page.dpi,
      captureMs: null,
    });
  }
  scans.completeBatch(batchId);
  logger.info('import.done', { batch: batchId, pages: pages.length });
  return { batchId };
}
