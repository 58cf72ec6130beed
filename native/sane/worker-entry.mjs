// Starts the libsane worker from TypeScript source (dev, tests, CLI): tsx compiles worker.ts on the fly.
// A bundled build emits the worker as `sane-worker.mjs` next to the bundle instead (see client.ts).
import { register } from 'tsx/esm/api';

register();
await import('./worker.ts');
