import { join } from 'node:path';
import { format, vi } from '../../api/i18n';
import { loadConfig } from '../../services/config/config';
import { resolveDataDir } from '../../services/config/data-dir';
import { createLogger } from '../../services/logging/logger';
import { openStore, type Store } from '../../services/store/store';
import { syncEngineFromConfig } from '../../services/sync/engine-from-config';
import type { SyncEngine, SyncState } from '../../services/sync/sync-engine';

/** Opens the data dir's store and a sync engine on it; `close` releases both. */
export function openSyncEngine(env: NodeJS.ProcessEnv): {
  dataDir: string;
  store: Store;
  engine: SyncEngine;
  config: ReturnType<typeof loadConfig>;
  close: () => Promise<void>;
} {
  const dataDir = resolveDataDir(env);
  const config = loadConfig(dataDir, env);
  const store = openStore(dataDir);
  const logger = createLogger({ dir: join(dataDir, 'logs'), echo: false }).child('sync');
  const engine = syncEngineFromConfig(store, config, logger, { env });
  return {
    dataDir,
    store,
    engine,
    config,
    close: async () => {
      await engine.stop();
      store.close();
    },
  };
}

export function formatBytes(bytes: number): string {
  if (bytes < 1024) return `${bytes} B`;
  if (bytes < 1024 * 1024) return `${(bytes / 1024).toFixed(1)} KB`;
  return `${(bytes / 1024 / 1024).toFixed(1)} MB`;
}

export function queueLine(state: SyncState): string {
  return format(vi.sync.queueSummary, {
    pending: state.pending,
    bytes: formatBytes(state.bytesPending),
    parked: state.parked,
    last: state.lastSuccessAt ?? vi.sync.never,
  });
}
