// Starts the OCR worker thread from TypeScript source (dev, tests, CLI). A bundled build emits it as
// `ocr-worker.mjs` next to the bundle instead (see worker-protocol.ts).
import { register } from 'tsx/esm/api';

register();
await import('./ocr-worker.ts');
