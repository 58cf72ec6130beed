import { readFile } from 'node:fs/promises';
import { parentPort } from 'node:worker_threads';
import { type ClassifyOptions, classifyPage } from './classify';
import { decodeImageFile } from './decode';

/** Page classification off the main thread: ink measurement and barcode search are CPU-heavy on full pages. */
export interface ClassifyRequest {
  id: number;
  path: string;
  dpi: number;
  options: ClassifyOptions;
}

parentPort?.on('message', async (request: ClassifyRequest) => {
  try {
    const page = await decodeImageFile(await readFile(request.path), { dpi: request.dpi });
    parentPort?.postMessage({ id: request.id, result: await classifyPage(page, request.options) });
  } catch (error) {
    parentPort?.postMessage({ id: request.id, error: (error as Error).message });
  }
});
