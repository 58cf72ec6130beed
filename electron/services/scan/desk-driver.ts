import { type Logger, silentLogger } from '../logging/logger';
import type { Store } from '../store/store';
import { CompositeDriver } from './composite-driver';
import { storedEsclAddresses, storePins } from './escl/desk-storage';
import { discoverEsclScanners } from './escl/discovery';
import { EsclDriver, esclRoute } from './escl/escl-driver';
import { HostedScanDriver, type HostedScanDriverOptions } from './host/hosted-driver';
import type { HostLauncher } from './host/protocol';
import { storedPins } from './host/stored-pins';
import type { ScannerDriver } from './types';

/**
 * The desk's scanners: SANE (USB, and the libsane test device) and eSCL network scanners — those added by
 * address, with their certificate pins in the store. By default they run in a scanner host process
 * (host/hosted-driver.ts), which the desk kills when a driver stops answering. Passing `sane` keeps them in
 * this process (tests of the in-process drivers). DNS-SD discovery sends multicast on the LAN, so it is on
 * only where asked (`MOTCUA_ESCL_DISCOVERY=1`).
 */
export function createDeskScanDriver(options: {
  store: Store;
  logger?: Logger;
  env?: NodeJS.ProcessEnv;
  sane?: ScannerDriver & { available?: boolean };
  /** How the host process is started (Electron passes a utilityProcess launcher); default child_process.fork. */
  launchHost?: HostLauncher;
  host?: Pick<HostedScanDriverOptions, 'watchdogMs' | 'requestTimeoutMs' | 'shutdownGraceMs'>;
}): ScannerDriver & { available?: boolean } {
  const logger = options.logger ?? silentLogger;
  if (!options.sane) {
    const pins = storePins(options.store);
    return new HostedScanDriver({
      ...options.host,
      ...(options.launchHost ? { launch: options.launchHost } : {}),
      env: options.env ?? process.env,
      context: () => ({
        esclAddresses: storedEsclAddresses(options.store),
        pins: storedPins(options.store),
      }),
      onPin: (origin, sha256) => pins.set(origin, sha256),
      logger,
    });
  }
  const escl = new EsclDriver({
    storedAddresses: () => storedEsclAddresses(options.store),
    pins: storePins(options.store),
    logger,
    ...(options.env?.MOTCUA_ESCL_DISCOVERY === '1' ? { discover: () => discoverEsclScanners() } : {}),
  });
  return new CompositeDriver([esclRoute(escl), { driver: options.sane }]);
}
