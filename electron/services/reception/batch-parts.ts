import sharp from 'sharp';
import { assemblePdf, type EncodedPage } from '../imaging';
import type { ImagingThread } from '../imaging/imaging-thread';
import type { ColorMode, RawPage } from '../imaging/raw-page';
import { readScanPage } from '../scan/page-image';
import { ScanLayout } from '../scan/scan-layout';
import type { ScanBatch } from '../scan/scan-repository';
import type { ScanService } from '../scan/scan-service';
import type { Store } from '../store/store';

/** One component's share of a scan batch: its pages, in the clerk's order, assembled into one PDF. */
export interface BatchPart {
  /** 1-based part of the batch (separator sheets start the next part). */
  part: number;
  seqs: number[];
  pdf: Uint8Array;
}

/** Turns the page the clerk's quarter turns (sharp runs it on libvips threads, off the event loop). */
async function rotated(page: RawPage, rotation: number): Promise<RawPage> {
  if (rotation === 0) return page;
  const { data, info } = await sharp(page.data, {
    raw: { width: page.width, height: page.height, channels: page.channels },
  })
    .rotate(rotation)
    .raw()
    .toBuffer({ resolveWithObject: true });
  return {
    ...page,
    width: info.width,
    height: info.height,
    data: new Uint8Array(data.buffer, data.byteOffset, data.byteLength),
  };
}

/**
 * The batch's kept pages (blank backs and separator sheets left out, the clerk's order, turns and removals
 * applied), split into parts at separator sheets — or, when `pagesPerPart` is given, into runs of those sizes
 * — each part one PDF in the batch's colour mode. Each page is straightened (auto-deskew, after the clerk's
 * quarter turns) and encoded on the imaging thread.
 */
export async function batchParts(
  store: Store,
  scans: ScanService,
  batch: ScanBatch,
  imaging: ImagingThread,
  pagesPerPart?: readonly number[],
): Promise<BatchPart[]> {
  const laidOut = new ScanLayout(store).arrange(batch.id, scans.pages(batch.id));
  const groups = new Map<number, typeof laidOut>();
  if (pagesPerPart) {
    let index = 0;
    pagesPerPart.forEach((count, i) => {
      groups.set(i + 1, laidOut.slice(index, index + count));
      index += count;
    });
  } else {
    for (const page of laidOut) groups.set(page.component, [...(groups.get(page.component) ?? []), page]);
  }
  const mode: ColorMode = batch.settings.mode;
  const parts: BatchPart[] = [];
  for (const [part, pages] of [...groups.entries()].sort((a, b) => a[0] - b[0])) {
    if (pages.length === 0) continue;
    const encoded: EncodedPage[] = [];
    for (const page of pages) {
      const raw = await rotated(await readScanPage(store.blobs, page.record), page.rotation);
      encoded.push((await imaging.preparePage(raw, mode, { deskew: true })).encoded);
    }
    parts.push({ part, seqs: pages.map((p) => p.record.seq), pdf: await assemblePdf(encoded) });
  }
  return parts;
}

/** Kept pages of a batch (what `batchParts` would assemble), without reading any image. */
export function keptPageCount(store: Store, scans: ScanService, batchId: string): number {
  return new ScanLayout(store).arrange(batchId, scans.pages(batchId)).length;
}
