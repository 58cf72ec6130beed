import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { prepareZXingModule, readBarcodes } from 'zxing-wasm/reader';

export { pdfPagePng, pdfText, pdfWords, type WordBox } from '../../support/poppler';

let prepared = false;

/** Decodes the QR codes in a PNG with ZXing, from the package's own .wasm (no network). */
export async function readQrCodes(png: Uint8Array<ArrayBuffer>): Promise<string[]> {
  if (!prepared) {
    const wasmPath = createRequire(import.meta.url).resolve('zxing-wasm/reader/zxing_reader.wasm');
    const wasmModule = new WebAssembly.Module(readFileSync(wasmPath));
    prepareZXingModule({
      overrides: {
        locateFile: () => wasmPath,
        instantiateWasm(
          imports: WebAssembly.Imports,
          receive: (i: WebAssembly.Instance, m: WebAssembly.Module) => void,
        ) {
          WebAssembly.instantiate(wasmModule, imports).then((instance) => receive(instance, wasmModule));
          return {};
        },
      },
    });
    prepared = true;
  }
  const results = await readBarcodes(new Blob([png]), { formats: ['QRCode'] });
  return results.map((r) => r.text);
}
