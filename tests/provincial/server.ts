/**
 * Reference provincial server, command line:
 *   npm run provincial-server -- --port PORT --data DIR [--faults SPEC] [--admin-token T] [--enrol-code C]
 *                                [--agency MaCoQuan] [--host 127.0.0.1]
 * Prints one JSON line `{ "url", "adminToken" }` on stdout once listening; logs (no personal data) go to stderr.
 * Library use: `startProvincialServer()` (re-exported here).
 */
import { realpathSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { startProvincialServer } from './app';

export { type ProvincialServer, type ProvincialServerOptions, startProvincialServer } from './app';
export { FaultController, parseFaultSpec } from './faults';

const USAGE =
  'usage: provincial-server --port PORT --data DIR [--faults SPEC] [--admin-token T] [--enrol-code C]... [--agency CODE] [--host H]';

async function main(argv: string[]): Promise<number> {
  let values: Record<string, string | string[] | boolean | undefined>;
  try {
    ({ values } = parseArgs({
      args: argv,
      options: {
        port: { type: 'string', default: '0' },
        data: { type: 'string' },
        faults: { type: 'string' },
        'admin-token': { type: 'string' },
        'enrol-code': { type: 'string', multiple: true },
        agency: { type: 'string' },
        host: { type: 'string', default: '127.0.0.1' },
        help: { type: 'boolean' },
      },
      strict: true,
      allowPositionals: false,
    }));
  } catch (error) {
    process.stderr.write(`${(error as Error).message}\n${USAGE}\n`);
    return 2;
  }
  if (values.help) {
    process.stdout.write(`${USAGE}\n`);
    return 0;
  }
  const port = Number(values.port);
  if (!values.data || !Number.isInteger(port) || port < 0 || port > 65535) {
    process.stderr.write(`--data DIR is required and --port must be 0..65535\n${USAGE}\n`);
    return 2;
  }
  let server: Awaited<ReturnType<typeof startProvincialServer>>;
  try {
    server = await startProvincialServer({
      port,
      dataDir: values.data as string,
      host: values.host as string,
      faults: values.faults as string | undefined,
      adminToken: values['admin-token'] as string | undefined,
      enrolCodes: (values['enrol-code'] as string[] | undefined) ?? [],
      agencyCode: values.agency as string | undefined,
    });
  } catch (error) {
    process.stderr.write(`cannot start: ${(error as Error).message}\n`);
    return 1;
  }
  process.stdout.write(`${JSON.stringify({ url: server.url, adminToken: server.adminToken })}\n`);
  await new Promise<void>((resolveStop) => {
    const stop = () => resolveStop();
    process.once('SIGINT', stop);
    process.once('SIGTERM', stop);
  });
  await server.close();
  return 0;
}

const invokedDirectly = (() => {
  try {
    return (
      !!process.argv[1] && realpathSync(process.argv[1]) === realpathSync(fileURLToPath(import.meta.url))
    );
  } catch {
    return false;
  }
})();
if (invokedDirectly) {
  main(process.argv.slice(2)).then((code) => process.exit(code));
}
