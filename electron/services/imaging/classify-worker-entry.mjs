// Starts the page-classification worker from TypeScript source (dev, tests, CLI). A bundled build emits it
// as `classify-worker.mjs` next to the bundle instead (see page-classifier.ts).
import { register } from 'tsx/esm/api';

register();
await import('./classify-worker.ts');
