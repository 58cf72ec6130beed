export {
  type EsclCapabilities,
  parseCapabilities,
  toScannerCapabilities,
} from './capabilities';
export { addStoredEsclAddress, storedEsclAddresses, storePins } from './desk-storage';
export { discoverEsclScanners, scannerFromService } from './discovery';
export { EsclClient, parseEsclRoot, scanSettingsXml } from './escl-client';
export {
  ESCL_PREFIX,
  EsclDriver,
  type EsclDriverOptions,
  esclDeviceId,
  esclRoute,
  isEsclDeviceId,
} from './escl-driver';
export { DEFAULT_RETRY, type EsclRetryPolicy, EsclSession } from './escl-session';
export { type CertificatePins, DEFAULT_TIMEOUTS, type EsclTimeouts, memoryPins } from './http';
