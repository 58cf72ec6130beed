import { type Logger, silentLogger } from '../logging/logger';
import type { Store } from '../store/store';
import { CompositeDriver } from './composite-driver';
import { storedEsclAddresses, storePins } from './escl/desk-storage';
import { discoverEsclScanners } from './escl/discovery';
import { EsclDriver, esclRoute } from './escl/escl-driver';
import { SaneDriver } from './sane-driver';
import type { ScannerDriver } from './types';

/**
 * The desk's scanners: SANE (USB, and the libsane test device) and eSCL network scanners — those added by
 * address, with their certificate pins in the store — behind one driver that routes by device name.
 * DNS-SD discovery sends multicast on the LAN, so it is on only where asked (`MOTCUA_ESCL_DISCOVERY=1`).
 */
export function createDeskScanDriver(options: {
  store: Store;
  logger?: Logger;
  env?: NodeJS.ProcessEnv;
  sane?: ScannerDriver & { available?: boolean };
}): CompositeDriver {
  const logger = options.logger ?? silentLogger;
  const escl = new EsclDriver({
    storedAddresses: () => storedEsclAddresses(options.store),
    pins: storePins(options.store),
    logger,
    ...(options.env?.MOTCUA_ESCL_DISCOVERY === '1' ? { discover: () => discoverEsclScanners() } : {}),
  });
  return new CompositeDriver([
    esclRoute(escl),
    { driver: options.sane ?? new SaneDriver(undefined, logger) },
  ]);
}
