// Worker thread that runs the ZXing QR reader (WebAssembly). A decode of a card photo takes 10–700 ms of
// CPU; doing it here keeps the app's main process responsive. Plain JavaScript so that Node can start it
// without a TypeScript loader. Protocol: { id, width, height, grey: ArrayBuffer, options } in,
// { id, results: [{ bytes, text, format }] } or { id, error } out.
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { parentPort } from 'node:worker_threads';
import { prepareZXingModule, readBarcodes } from 'zxing-wasm/reader';

// This thread never needs the network. Should a library default ever reach for it (zxing-wasm's default
// is a CDN), the attempt fails loudly here instead of leaking a request from an offline desk.
globalThis.fetch = () => Promise.reject(new Error('network access is disabled in the QR worker'));

const require = createRequire(import.meta.url);
const wasmPath = require.resolve('zxing-wasm/reader/zxing_reader.wasm');
// The library's default fetches the .wasm from a CDN; the desk is offline-first, so compile the
// package's own copy and hand the instance over ourselves. No network is ever touched.
const wasmModule = new WebAssembly.Module(readFileSync(wasmPath));
prepareZXingModule({
  overrides: {
    locateFile: () => wasmPath,
    instantiateWasm(imports, receiveInstance) {
      WebAssembly.instantiate(wasmModule, imports).then((instance) => receiveInstance(instance, wasmModule));
      return {};
    },
  },
});

/** ZXing takes RGBA (it converts to luminance itself); the caller sends one grey byte per pixel. */
function greyToRgba(grey) {
  const rgba = new Uint8ClampedArray(grey.length * 4);
  for (let i = 0, j = 0; i < grey.length; i++, j += 4) {
    const v = grey[i];
    rgba[j] = v;
    rgba[j + 1] = v;
    rgba[j + 2] = v;
    rgba[j + 3] = 255;
  }
  return rgba;
}

parentPort.on('message', async ({ id, width, height, grey, options }) => {
  try {
    const data = greyToRgba(new Uint8Array(grey));
    const found = await readBarcodes({ data, width, height }, options);
    const results = found
      .filter((r) => r.isValid)
      .map((r) => ({ bytes: r.bytes, text: r.text, format: r.format }));
    parentPort.postMessage({ id, results });
  } catch (error) {
    parentPort.postMessage({ id, error: String(error?.message ?? error) });
  }
});
