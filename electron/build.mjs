// Bundles the Electron main process (ESM), libsane's worker thread, and the sandboxed preload (CommonJS:
// sandboxed preloads cannot be ESM).
import { build } from 'esbuild';

// Native addons and packages that load files relative to themselves stay outside the bundle.
const external = [
  'electron',
  'better-sqlite3',
  'koffi',
  'sharp',
  'tesseract.js',
  'zxing-wasm',
  '@tesseract.js-data/*',
];

const nodeBundle = (entry, outfile) =>
  build({
    entryPoints: [entry],
    outfile,
    bundle: true,
    platform: 'node',
    format: 'esm',
    target: 'node20',
    external,
    sourcemap: true,
    // Bundled CommonJS dependencies call require(); give ESM one.
    banner: {
      js: "import { createRequire as __cr } from 'node:module'; const require = __cr(import.meta.url);",
    },
  });

await Promise.all([
  nodeBundle('electron/main/index.ts', 'dist/electron/main.mjs'),
  // libsane's owner thread: native/sane/client.ts looks for it next to the main bundle.
  nodeBundle('native/sane/worker.ts', 'dist/electron/sane-worker.mjs'),
  // The scanner host process (a utilityProcess in the app): runs the scanner back ends, killable.
  nodeBundle('electron/services/scan/host/host-main.ts', 'dist/electron/scanner-host.mjs'),
  // The QR decoder's thread (electron/services/extract/qr-decoder.ts loads it next to the main bundle).
  nodeBundle('electron/services/extract/qr-worker.mjs', 'dist/electron/qr-worker.mjs'),
  // Blank-page and separator detection, black-and-white encoding (electron/services/imaging/imaging-thread.ts).
  nodeBundle('electron/services/imaging/imaging-worker.ts', 'dist/electron/imaging-worker.mjs'),
  // The scan page writer's thread (electron/services/store/page-writer.ts).
  nodeBundle('electron/services/store/page-writer-worker.ts', 'dist/electron/page-writer-worker.mjs'),
  // The OCR threads: tesseract.js's worker wrapped with our page clean-up (electron/services/ocr/worker-protocol.ts).
  nodeBundle('electron/services/ocr/ocr-worker.ts', 'dist/electron/ocr-worker.mjs'),
  build({
    entryPoints: ['electron/preload/index.ts'],
    outfile: 'dist/electron/preload.cjs',
    bundle: true,
    platform: 'node',
    format: 'cjs',
    target: 'chrome120',
    external: ['electron'],
    sourcemap: true,
  }),
]);
console.log(
  'built dist/electron/{main,sane-worker,scanner-host,qr-worker,imaging-worker,page-writer-worker,ocr-worker}.mjs and preload.cjs',
);
