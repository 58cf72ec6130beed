import { ScanError } from './errors';
import type { ScannerDevice, ScannerDriver, ScannerSession } from './types';

/** A driver that claims some device ids by their name (eSCL: the `escl:` prefix). */
export interface RoutedDriver {
  driver: ScannerDriver & { available?: boolean };
  /** Whether this driver owns the id; the last driver given owns whatever no other claims. */
  handles?: (deviceId: string) => boolean;
  /** Whether it has any scanner to look for (a SANE library, eSCL addresses…); default true. */
  available?: () => boolean;
}

/**
 * Every scanner technology behind one driver: the devices of all (a technology that fails to list is
 * skipped while another answers), and each device opened by the driver its id names.
 */
export class CompositeDriver implements ScannerDriver {
  readonly name = 'composite';

  constructor(private readonly routes: RoutedDriver[]) {
    if (routes.length === 0) throw new RangeError('a composite driver needs at least one driver');
  }

  get available(): boolean {
    return this.routes.some((r) => (r.available ? r.available() : r.driver.available !== false));
  }

  private routeFor(deviceId: string): ScannerDriver {
    const claimed = this.routes.find((r) => r.handles?.(deviceId));
    return (claimed ?? (this.routes[this.routes.length - 1] as RoutedDriver)).driver;
  }

  async listDevices(): Promise<ScannerDevice[]> {
    const usable = this.routes.filter((r) => (r.available ? r.available() : r.driver.available !== false));
    const results = await Promise.allSettled(usable.map((r) => r.driver.listDevices()));
    const devices = results.flatMap((r) => (r.status === 'fulfilled' ? r.value : []));
    const failure = results.find((r): r is PromiseRejectedResult => r.status === 'rejected');
    // Only when no technology answered is the failure the caller's (e.g. SANE missing and no eSCL scanner).
    if (failure && results.every((r) => r.status === 'rejected')) throw failure.reason;
    if (usable.length === 0) throw new ScanError('driver-missing', 'no scanner driver available');
    return devices;
  }

  open(deviceId: string): Promise<ScannerSession> {
    return this.routeFor(deviceId).open(deviceId);
  }

  async dispose(): Promise<void> {
    await Promise.allSettled(this.routes.map((r) => r.driver.dispose()));
  }
}
