// Bundles the Electron main process (ESM) and the sandboxed preload (CommonJS: sandboxed preloads cannot be ESM).
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

await Promise.all([
  build({
    entryPoints: ['electron/main/index.ts'],
    outfile: 'dist/electron/main.mjs',
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
  }),
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
console.log('built dist/electron/main.mjs and dist/electron/preload.cjs');
