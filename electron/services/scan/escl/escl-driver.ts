/**
 * Network scanners over eSCL (AirScan), in TypeScript: the same code on Windows, macOS and Linux. A device's
 * id is its eSCL root behind the `escl:` prefix (`escl:http://192.168.1.20/eSCL`), so the CLI and a composite
 * driver can route by name. Scanners come from the addresses the desk was given and, when enabled, a bounded
 * DNS-SD browse.
 */
import { type Logger, silentLogger } from '../../logging/logger';
import type { RoutedDriver } from '../composite-driver';
import { ScanError } from '../errors';
import type { ScannerDevice, ScannerDriver } from '../types';
import type { EsclCapabilities } from './capabilities';
import { EsclClient, parseEsclRoot } from './escl-client';
import { DEFAULT_RETRY, type EsclRetryPolicy, EsclSession } from './escl-session';
import type { CertificatePins, EsclTimeouts } from './http';
import { PAGE_FIRST_BYTE_MS } from './http';

export const ESCL_PREFIX = 'escl:';

export const isEsclDeviceId = (id: string): boolean => id.toLowerCase().startsWith(ESCL_PREFIX);

/** `escl:` + the normalised root, e.g. `escl:http://127.0.0.1:8080/eSCL`. */
export const esclDeviceId = (address: string | URL): string =>
  `${ESCL_PREFIX}${(typeof address === 'string' ? parseEsclRoot(address) : address).href}`;

export interface EsclDriverOptions {
  /** Scanners added by IP address or URL (eSCL roots). */
  addresses?: string[];
  /** More addresses, read at each listing (the desk's stored list, which a clerk may extend). */
  storedAddresses?: () => string[];
  /** Browse DNS-SD for more (multicast on the LAN): the function to call, or none. */
  discover?: () => Promise<{ root: string; name: string }[]>;
  pins?: CertificatePins;
  timeouts?: Partial<EsclTimeouts>;
  /** Time a device may take before the first byte of a page (see http.ts). */
  pageFirstByteMs?: number;
  retry?: EsclRetryPolicy;
  logger?: Logger;
}

/** The driver as one route of a `CompositeDriver`: it owns the `escl:` ids. */
export function esclRoute(driver: EsclDriver): RoutedDriver {
  return { driver, handles: isEsclDeviceId, available: () => driver.hasSources };
}

export class EsclDriver implements ScannerDriver {
  readonly name = 'escl';
  private readonly addresses = new Set<string>();
  private readonly logger: Logger;

  constructor(private readonly options: EsclDriverOptions = {}) {
    this.logger = options.logger ?? silentLogger;
    for (const address of options.addresses ?? []) this.addAddress(address);
  }

  /** Whether there is any scanner to look for: an address given, or discovery on. */
  get hasSources(): boolean {
    return (
      this.addresses.size > 0 ||
      (this.options.storedAddresses?.().length ?? 0) > 0 ||
      this.options.discover !== undefined
    );
  }

  /** Adds a scanner by IP address or URL; returns its device id. Throws `escl-bad-address`. */
  addAddress(address: string): string {
    const id = esclDeviceId(address);
    this.addresses.add(id);
    return id;
  }

  private client(deviceId: string): EsclClient {
    if (!isEsclDeviceId(deviceId)) throw new ScanError('escl-bad-address', 'not an escl: device id');
    return new EsclClient(parseEsclRoot(deviceId), {
      ...(this.options.pins ? { pins: this.options.pins } : {}),
      ...(this.options.timeouts ? { timeouts: this.options.timeouts } : {}),
    });
  }

  private describe(id: string, caps: EsclCapabilities): ScannerDevice {
    const vendor = caps.manufacturer || 'eSCL';
    return {
      id,
      driver: this.name,
      vendor,
      model: caps.makeAndModel.replace(new RegExp(`^${escapeRegExp(vendor)}\\s+`, 'i'), '') || 'eSCL scanner',
      type: 'network scanner',
    };
  }

  /** Every known scanner that answers its capabilities; one that does not is left out (and logged). */
  async listDevices(): Promise<ScannerDevice[]> {
    const ids = new Set(this.addresses);
    for (const address of this.options.storedAddresses?.() ?? []) {
      try {
        ids.add(esclDeviceId(address));
      } catch {
        this.logger.warn('escl.bad-stored-address', {});
      }
    }
    if (this.options.discover) {
      try {
        for (const found of await this.options.discover()) ids.add(esclDeviceId(found.root));
      } catch (error) {
        this.logger.warn('escl.discovery-failed', { error: (error as Error).message });
      }
    }
    const answers = await Promise.all(
      [...ids].map(async (id) => {
        try {
          return this.describe(id, await this.client(id).capabilities());
        } catch (error) {
          this.logger.warn('escl.device-unavailable', { device: id, code: (error as ScanError).code });
          return null;
        }
      }),
    );
    return answers.filter((d): d is ScannerDevice => d !== null);
  }

  async open(deviceId: string): Promise<EsclSession> {
    const client = this.client(deviceId);
    const caps = await client.capabilities();
    const id = esclDeviceId(client.root);
    this.logger.info('escl.device-opened', { device: id, inputs: Object.keys(caps.inputs).join(',') });
    return new EsclSession(
      client,
      this.describe(id, caps),
      caps,
      this.options.retry ?? DEFAULT_RETRY,
      this.logger,
      this.options.pageFirstByteMs ?? PAGE_FIRST_BYTE_MS,
    );
  }

  async dispose(): Promise<void> {
    // Stateless over HTTP: nothing held between calls.
  }
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}
