// Starts the imaging worker from TypeScript source (dev, tests, CLI). A bundled build emits it as
// `imaging-worker.mjs` next to the bundle instead (see imaging-thread.ts).
import { register } from 'tsx/esm/api';

register();
await import('./imaging-worker.ts');
