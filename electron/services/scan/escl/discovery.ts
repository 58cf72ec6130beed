/**
 * Finds eSCL scanners on the local network by DNS-SD: `_uscan._tcp` (http) and `_uscans._tcp` (https), through
 * bonjour-service. The browse is bounded in time; mDNS does not cross routers, so a scanner in another subnet
 * is added by its address instead (see `parseEsclRoot`). TXT keys read as sane-airscan does: `rs` (the root,
 * default `eSCL`), `ty` (the model's name), `uuid` (shared/design/SCANNERS.md §1.5).
 */
import { Bonjour, type Service } from 'bonjour-service';

export interface DiscoveredScanner {
  /** The eSCL root, e.g. `http://192.168.1.20:80/eSCL`. */
  root: string;
  /** The TXT `ty` (model name), or the service name. */
  name: string;
  uuid: string | null;
}

/** A 2 s browse finds devices that answer at once; mDNS responders answer within ~1 s (RFC 6762 §6). */
export const DEFAULT_BROWSE_MS = 2_000;

const txtValue = (txt: unknown, key: string): string | null => {
  const value = (txt as Record<string, unknown> | undefined)?.[key];
  if (typeof value === 'string') return value;
  if (value instanceof Uint8Array) return Buffer.from(value).toString('utf8');
  return null;
};

/** A resolved DNS-SD service → its eSCL root (IPv4 preferred: some devices send broken IPv6 links). */
export function scannerFromService(
  service: Pick<Service, 'addresses' | 'host' | 'port' | 'txt' | 'name'>,
  secure: boolean,
): DiscoveredScanner | null {
  const addresses = service.addresses ?? [];
  const ipv4 = addresses.find((a) => /^\d+\.\d+\.\d+\.\d+$/.test(a));
  const host = ipv4 ?? (addresses[0] ? `[${addresses[0]}]` : service.host);
  if (!host || !service.port) return null;
  const rs = (txtValue(service.txt, 'rs') ?? 'eSCL').replace(/^\/+|\/+$/g, '');
  const path = rs === '' ? '' : `/${rs}`;
  return {
    root: `${secure ? 'https' : 'http'}://${host}:${service.port}${path}`,
    name: txtValue(service.txt, 'ty') ?? service.name,
    uuid: txtValue(service.txt, 'uuid'),
  };
}

/** Browses both service types for `browseMs`, then stops; one entry per root (and per uuid when given). */
export async function discoverEsclScanners(
  options: { browseMs?: number; signal?: AbortSignal } = {},
): Promise<DiscoveredScanner[]> {
  const bonjour = new Bonjour();
  const found = new Map<string, DiscoveredScanner>();
  const add = (secure: boolean) => (service: Service) => {
    const scanner = scannerFromService(service, secure);
    if (!scanner) return;
    // The same device often announces both: keep its https entry.
    const key = scanner.uuid ?? scanner.root;
    if (secure || !found.has(key)) found.set(key, scanner);
  };
  const browsers = [bonjour.find({ type: 'uscan' }, add(false)), bonjour.find({ type: 'uscans' }, add(true))];
  try {
    await new Promise<void>((resolve) => {
      const timer = setTimeout(resolve, options.browseMs ?? DEFAULT_BROWSE_MS);
      options.signal?.addEventListener('abort', () => {
        clearTimeout(timer);
        resolve();
      });
    });
  } finally {
    for (const browser of browsers) browser.stop();
    bonjour.destroy();
  }
  return [...found.values()];
}
