// Starts the page writer's thread from TypeScript source (dev, tests, CLI). A bundled build emits it as
// `page-writer-worker.mjs` next to the bundle instead (see page-writer.ts).
import { register } from 'tsx/esm/api';

register();
await import('./page-writer-worker.ts');
