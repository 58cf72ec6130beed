/** The engine as the desk's config sets it up: one place, used by the Desk and by the CLI. */
import {
  type DeskConfig,
  deskConfigSchema,
  loadConfig,
  provincialUrlOverride,
  readDeskConfigFile,
  saveDeskConfigFile,
} from '../config/config';
import type { Logger } from '../logging/logger';
import { readExtraCaCertificates } from '../security/network-path';
import { createSyncFetch } from '../security/provincial-fetch';
import type { Store } from '../store/store';
import { SyncEngine, type SyncEngineOptions } from './sync-engine';

export function syncEngineFromConfig(
  store: Store,
  config: DeskConfig,
  logger: Logger,
  { env, ...extra }: Partial<SyncEngineOptions> & { env?: NodeJS.ProcessEnv | undefined } = {},
): SyncEngine {
  return new SyncEngine({
    store,
    logger,
    chunkBytes: config.sync.chunkBytes,
    maxBytesPerSecond: config.sync.maxBytesPerSecond,
    deskName: config.agencyName,
    // Fail fast when a proxy accepts the connection for a server that is down: seconds, not the 60 s transfer.
    fetchImpl: createSyncFetch({
      pinnedSpkiSha256: config.security.pinnedSpkiSha256,
      connectTimeoutMs: config.sync.connectTimeoutMs,
      firstByteTimeoutMs: config.sync.firstByteTimeoutMs,
      // The provincial intranet's own CA (network.extraCaFiles), trusted beside the system roots.
      ...extraCaOption(config.network.extraCaFiles),
    }),
    // As the README says: the environment's address wins, also after enrolment (a bad one is a ConfigError).
    serverUrlOverride: provincialUrlOverride(env ?? process.env),
    retry: {
      baseMs: config.sync.retryBaseMs,
      maxMs: Math.max(config.sync.retryBaseMs, config.sync.retryMaxMs),
      giveUpAfter: config.sync.giveUpAfter,
    },
    ...extra,
  });
}

/**
 * After enrolment the desk issues codes for the agency the province named, and probes the server it enrolled
 * with. Written to config.json (read at the next start); values an IT officer set by hand are kept.
 */
export function applyEnrolmentToConfig(dataDir: string, serverUrl: string, agencyCode: string): void {
  const config = loadConfig(dataDir, {});
  const defaults = loadConfigDefaults();
  const next: DeskConfig = {
    ...config,
    provincialServerUrl: config.provincialServerUrl ?? new URL(serverUrl).origin,
    agencyCode: config.agencyCode === defaults.agencyCode ? agencyCode : config.agencyCode,
  };
  if (next.provincialServerUrl !== config.provincialServerUrl || next.agencyCode !== config.agencyCode) {
    // Only the two keys go into config.json: writing every default there would hide the machine policy's.
    const own = readDeskConfigFile(dataDir);
    own.provincialServerUrl = next.provincialServerUrl;
    own.agencyCode = next.agencyCode;
    saveDeskConfigFile(dataDir, own);
  }
}

function loadConfigDefaults(): DeskConfig {
  return deskConfigSchema.parse({});
}

function extraCaOption(files: readonly string[]): { ca?: string[] } {
  const { pems } = readExtraCaCertificates(files);
  return pems.length > 0 ? { ca: pems } : {};
}
