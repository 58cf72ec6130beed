// Starts the scanner host process from TypeScript source (dev, tests, CLI, web host). A bundled build emits
// it as `scanner-host.mjs` next to the bundle instead (see fork-host.ts).
import { register } from 'tsx/esm/api';

register();
await import('./host-main.ts');
