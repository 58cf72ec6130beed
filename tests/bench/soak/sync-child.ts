/**
 * Soak child "sync": the desk's sync engine (as the config sets it up) drains the outbox into the reference
 * server through the parent's dropping proxy. Prints `ready` once the store is open and `synced <code>` for every
 * dossier whose outbox row turned 'done' during this run (the server committed it and the desk recorded that).
 * The parent kills it with SIGKILL at a random moment; a run that is not killed drains to the end.
 * Usage: sync-child.ts DATA_DIR TIMEOUT_MS
 */
import { loadConfig } from '../../../electron/services/config/config';
import { silentLogger } from '../../../electron/services/logging/logger';
import { openStore } from '../../../electron/services/store/store';
import { syncEngineFromConfig } from '../../../electron/services/sync/engine-from-config';

const [dataDir = '', timeoutText = '60000'] = process.argv.slice(2);
if (!dataDir) throw new Error('usage: sync-child.ts DATA_DIR TIMEOUT_MS');

const store = openStore(dataDir);
const engine = syncEngineFromConfig(store, loadConfig(dataDir, {}), silentLogger, {
  // Short steps: the link drops connections, and each cycle is only a few seconds long.
  retry: { baseMs: 50, maxMs: 400, giveUpAfter: 50 },
  requestTimeoutMs: 5000,
});
const doneCodes = store.db.prepare(
  `SELECT d.code FROM outbox o JOIN dossiers d ON d.id = o.dossier_id WHERE o.status = 'done' AND d.code IS NOT NULL`,
);
const reported = new Set((doneCodes.all() as { code: string }[]).map((r) => r.code));
const report = () => {
  for (const { code } of doneCodes.all() as { code: string }[]) {
    if (reported.has(code)) continue;
    reported.add(code);
    process.stdout.write(`synced ${code}\n`);
  }
};
process.stdout.write('ready\n');
const poll = setInterval(report, 50);
try {
  const result = await engine.drain(AbortSignal.timeout(Number(timeoutText)));
  report();
  process.stdout.write(`finished ${JSON.stringify(result)}\n`);
} finally {
  clearInterval(poll);
  await engine.stop();
  store.close();
}
