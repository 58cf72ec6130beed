import sharp from 'sharp';
import { decodeImageFile } from '../imaging/decode';
import { encodePage } from '../imaging/encode';
import type { EncodedPage, TextLayerWord } from '../imaging/encoded-page';
import { assemblePdf } from '../imaging/pdf';
import type { RawPage } from '../imaging/raw-page';
import type { OcrJobQueue } from './job-queue';
import { type PageReader, readPageFile } from './job-runner';
import type { OcrWord } from './types';

export interface SearchablePage {
  /** The page image file as stored (JPEG is embedded as it is; other formats are re-encoded). */
  bytes: Uint8Array;
  /** The decoded page, when the caller already has it (saves decoding again). */
  page?: RawPage;
  /** OCR words in the page's pixels; none = an image-only page. */
  words?: readonly OcrWord[];
}

const isJpeg = (bytes: Uint8Array) => bytes[0] === 0xff && bytes[1] === 0xd8 && bytes[2] === 0xff;

async function encodeForPdf(source: SearchablePage): Promise<EncodedPage> {
  const page = source.page ?? (await decodeImageFile(source.bytes));
  // A scanner's JPEG goes in untouched: no second generation of compression, no CPU spent.
  // (Only when no EXIF rotation applies: the PDF would show the stored, unrotated pixels.)
  if (isJpeg(source.bytes) && ((await sharp(source.bytes).metadata()).orientation ?? 1) === 1) {
    return {
      format: 'jpeg',
      bytes: source.bytes,
      width: page.width,
      height: page.height,
      dpi: page.dpi,
      channels: page.channels,
    };
  }
  return encodePage(page, page.channels === 3 ? 'color' : 'gray');
}

/**
 * A searchable PDF for one component: each page image with an invisible text layer at the OCR word boxes,
 * so `pdftotext` and any PDF viewer's search find the words where they are printed.
 */
export async function buildSearchablePdf(pages: readonly SearchablePage[]): Promise<Uint8Array> {
  const encoded: EncodedPage[] = [];
  const textLayers: (TextLayerWord[] | undefined)[] = [];
  for (const source of pages) {
    encoded.push(await encodeForPdf(source));
    textLayers.push(source.words?.map((word) => ({ text: word.text, bbox: word.bbox })));
  }
  return assemblePdf(encoded, { textLayers });
}

/**
 * The searchable PDF of a queued batch, pages in order; pages without a finished OCR are image-only. Pages
 * kept in a BlobStore are read with `blobPageReader(blobs)`.
 */
export async function batchSearchablePdf(
  queue: OcrJobQueue,
  batchId: string,
  readPage: PageReader = readPageFile,
): Promise<Uint8Array> {
  const pages: SearchablePage[] = [];
  for (const job of queue.batchJobs(batchId)) {
    pages.push({ bytes: await readPage(job), words: job.result?.words });
  }
  return buildSearchablePdf(pages);
}
