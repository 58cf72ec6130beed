import { readFile } from 'node:fs/promises';
import { parsePnm } from '../../../native/sane/pnm';
import type { RawPage } from '../imaging/raw-page';
import type { BlobStore } from '../store/files';
import type { ScanPageRecord } from './scan-repository';

/**
 * A stored page (lossless PNM) as the imaging pipeline's RawPage. Grey and RGB pages share the file's
 * memory; black-and-white pages are unpacked to grey 0/255 (PBM: a set bit is black).
 */
export function pnmToRawPage(bytes: Uint8Array, dpi: number): RawPage {
  const info = parsePnm(bytes);
  const { width, height, channels } = info;
  if (info.depth === 8) {
    const data = bytes.subarray(info.dataOffset, info.dataOffset + width * height * channels);
    return { width, height, channels, dpi, data };
  }
  const data = new Uint8Array(width * height);
  for (let y = 0; y < height; y++) {
    const row = info.dataOffset + y * info.rowBytes;
    const out = y * width;
    for (let x = 0; x < width; x++) {
      const bit = ((bytes[row + (x >> 3)] as number) >> (7 - (x & 7))) & 1;
      data[out + x] = bit ? 0 : 255;
    }
  }
  return { width, height, channels: 1, dpi, data };
}

export function scanPagePath(blobs: BlobStore, page: Pick<ScanPageRecord, 'sha256' | 'fileExt'>): string {
  return blobs.pathFor(page.sha256, page.fileExt);
}

/** Reads a recorded page back from the blob store as a RawPage. */
export async function readScanPage(blobs: BlobStore, page: ScanPageRecord): Promise<RawPage> {
  return pnmToRawPage(await readFile(scanPagePath(blobs, page)), page.dpi);
}
