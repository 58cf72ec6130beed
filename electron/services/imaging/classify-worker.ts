import { parentPort } from 'node:worker_threads';
import { type ClassifyOptions, classifyPage } from './classify';
import { decodeImageFile } from './decode';

/** Page classification off the main thread: ink measurement and barcode search are CPU-heavy on full pages. */
export interface ClassifyRequest {
  id: number;
  /** The page file's bytes (PNM, PNG, JPEG, TIFF…), already opened from the blob store. */
  bytes: Uint8Array;
  dpi: number;
  options: ClassifyOptions;
}

parentPort?.on('message', async (request: ClassifyRequest) => {
  try {
    const page = await decodeImageFile(request.bytes, { dpi: request.dpi });
    parentPort?.postMessage({ id: request.id, result: await classifyPage(page, request.options) });
  } catch (error) {
    parentPort?.postMessage({ id: request.id, error: (error as Error).message });
  }
});
