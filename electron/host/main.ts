import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { resolveDataDir } from '../services/config/data-dir';
import { Desk } from '../services/desk/desk';
import { startupErrorMessage } from '../services/desk/startup-error';
import { endProcessAfterShutdown, runShutdown, SHUTDOWN_DEADLINE_MS } from '../services/lifecycle/shutdown';
import { createLogger } from '../services/logging/logger';
import { startWebHost } from './web-host';

/**
 * The browser build's back end: `npm run start:web` (or `tsx electron/host/main.ts --port 4310`).
 * Prints one JSON line `{ url, token, dataDir }` when it listens, so scripts and tests can find it.
 */
const { values } = parseArgs({
  options: {
    port: { type: 'string', default: '4310' },
    'renderer-dir': { type: 'string', default: join(import.meta.dirname, '..', '..', 'renderer', 'dist') },
  },
});

const dataDir = resolveDataDir();
const logger = createLogger({ dir: join(dataDir, 'logs'), echo: false });
let desk: Desk;
try {
  desk = new Desk({ dataDir, logger });
} catch (error) {
  const message = startupErrorMessage(error);
  if (!message) throw error;
  logger.error('host.cannot-open-data', { error: (error as Error).message });
  process.stderr.write(`${message}\n`);
  process.exit(1);
}
const host = await startWebHost({ desk, rendererDir: values['renderer-dir'], port: Number(values.port) });
logger.info('host.listening', { url: host.url });
process.stdout.write(`${JSON.stringify({ url: host.url, token: host.token, dataDir })}\n`);

let closing = false;
const shutdown = async () => {
  if (closing) return;
  closing = true;
  const steps = [{ name: 'web-host', run: () => host.close() }, ...desk.shutdownSteps()];
  endProcessAfterShutdown(await runShutdown(steps, logger, SHUTDOWN_DEADLINE_MS), logger);
};
process.on('SIGINT', shutdown);
process.on('SIGTERM', shutdown);
