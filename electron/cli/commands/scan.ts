import { format, vi } from '../../api/i18n';
import { resolveDataDir } from '../../services/config/data-dir';
import { assemblePdf, type EncodedPage, processScannedPage } from '../../services/imaging';
import { ScanError } from '../../services/scan/errors';
import { EsclDriver, esclDeviceId, isEsclDeviceId, storePins } from '../../services/scan/escl';
import { HostedScanDriver } from '../../services/scan/host/hosted-driver';
import { readScanPage } from '../../services/scan/page-image';
import { PAGE_SIZE_NAMES } from '../../services/scan/page-sizes';
import { ScanService } from '../../services/scan/scan-service';
import {
  COLOR_MODES,
  type PageSizeName,
  SCAN_SOURCES,
  type ScannerCapabilities,
  type ScannerDriver,
  type ScanSettings,
  type ScanSource,
} from '../../services/scan/types';
import { writeFileAtomic } from '../../services/store/files';
import { openStore, type Store } from '../../services/store/store';
import { type Command, type CommandContext, EXIT_FAILURE, EXIT_OK, UsageError } from '../command';

const t = vi.scan.cli;
const kb = (bytes: number) => Math.round(bytes / 1024);

/** A device named `escl:<root>` is a network scanner (eSCL); any other name is SANE's. */
function driverFor(env: NodeJS.ProcessEnv, device?: string, store?: Store): ScannerDriver {
  if (device && isEsclDeviceId(device))
    return new EsclDriver({ addresses: [device], ...(store ? { pins: storePins(store) } : {}) });
  // SANE runs in a scanner host process: a stuck driver is killed by the watchdog, not the CLI with it.
  return new HostedScanDriver({ env });
}

/** Prints the clerk's message for a device error and returns the failure exit code. */
function reportScanError(error: unknown, stderr: (text: string) => void): number {
  if (!(error instanceof ScanError)) throw error;
  stderr(`${error.clerkMessage}\n`);
  return EXIT_FAILURE;
}

function describeCapabilities(caps: ScannerCapabilities): string {
  return format(t.capabilities, {
    sources: caps.sources.map((s) => vi.scan.sources[s]).join(', '),
    modes: caps.modes.map((m) => vi.scan.modes[m]).join(', '),
    resolutions: caps.resolutions.join(', '),
    sizes: caps.pageSizes.join(', '),
  });
}

export const scannersCommand: Command = {
  name: 'scanners',
  summary: 'Liệt kê máy quét và khả năng của từng máy (nguồn giấy, chế độ màu, độ phân giải, khổ giấy)',
  usage: 'motcua scanners [--escl URL]... [--json]',
  options: { escl: { type: 'string', multiple: true } },
  positionals: { min: 0, max: 0 },
  async run({ values, env, stdout, stderr }) {
    const escl = (values.escl as string[] | undefined) ?? [];
    let driver: ScannerDriver | null = null;
    try {
      // --escl names network scanners by their eSCL root: those are listed instead of SANE's.
      driver = escl.length > 0 ? new EsclDriver({ addresses: escl }) : driverFor(env);
      const devices = await driver.listDevices();
      if (devices.length === 0) throw new ScanError('no-scanner', 'no scanner listed');
      const described = [];
      for (const device of devices) {
        const session = await driver.open(device.id);
        try {
          described.push({ ...device, capabilities: await session.capabilities() });
        } finally {
          await session.close();
        }
      }
      if (values.json) stdout(`${JSON.stringify({ devices: described }, null, 2)}\n`);
      else {
        stdout(`${t.scannersTitle}:\n`);
        for (const d of described) {
          stdout(
            `  ${format(t.scannerLine, { id: d.id, vendor: d.vendor, model: d.model, type: d.type })}\n`,
          );
          stdout(`    ${describeCapabilities(d.capabilities)}\n`);
        }
      }
      return EXIT_OK;
    } catch (error) {
      return reportScanError(error, stderr);
    } finally {
      await driver?.dispose();
    }
  },
};

type ScanValues = {
  device?: string;
  source?: string;
  resolution?: string;
  mode?: string;
  'page-size'?: string;
  out?: string;
  profile?: string;
  'save-profile'?: string;
  json?: boolean;
};

function parseSettings(values: ScanValues): Partial<ScanSettings> {
  const settings: Partial<ScanSettings> = {};
  if (values.source !== undefined) {
    if (!SCAN_SOURCES.includes(values.source as ScanSource))
      throw new UsageError(format(t.badSource, { value: values.source }));
    settings.source = values.source as ScanSource;
  }
  if (values.mode !== undefined) {
    const mode = values.mode === 'grey' ? 'gray' : values.mode;
    if (!(COLOR_MODES as readonly string[]).includes(mode))
      throw new UsageError(format(t.badMode, { value: values.mode }));
    settings.mode = mode as ScanSettings['mode'];
  }
  if (values.resolution !== undefined) {
    const dpi = Number(values.resolution);
    if (!Number.isFinite(dpi) || dpi <= 0 || dpi > 4800)
      throw new UsageError(format(t.badResolution, { value: values.resolution }));
    settings.resolution = dpi;
  }
  if (values['page-size'] !== undefined) {
    const size = PAGE_SIZE_NAMES.find((s) => s.toLowerCase() === values['page-size']?.toLowerCase());
    if (!size) throw new UsageError(format(t.badPageSize, { value: values['page-size'] }));
    settings.pageSize = size as PageSizeName;
  }
  return settings;
}

async function runScan({ values: raw, env, stdout, stderr }: CommandContext): Promise<number> {
  const values = raw as ScanValues;
  if (!values.device) throw new UsageError(t.deviceRequired);
  const settings = parseSettings(values);
  const store = openStore(resolveDataDir(env));
  let deviceId = values.device;
  let driver: ScannerDriver;
  try {
    // An eSCL root is written many ways (trailing slash, no path): the device id is its normal form.
    if (isEsclDeviceId(deviceId)) deviceId = esclDeviceId(deviceId);
    driver = driverFor(env, deviceId, store);
  } catch (error) {
    store.close();
    return reportScanError(error, stderr);
  }
  const service = new ScanService(store, driver);
  try {
    if (values.profile) {
      const device = (await service.listScanners()).find((d) => d.id === deviceId);
      if (device && !service.profiles.find(device, values.profile)) {
        throw new UsageError(
          format(t.unknownProfile, { name: values.profile, vendor: device.vendor, model: device.model }),
        );
      }
    }
    const outcome = await service.startBatch({
      deviceId,
      settings,
      ...(values.profile ? { profileName: values.profile } : {}),
      onEvent: (event) => {
        if (event.type !== 'page-stored' || values.json) return;
        const { seq, width, height, bytes } = event.page;
        stdout(`${format(t.pageStored, { page: seq, width, height, kb: kb(bytes) })}\n`);
      },
    });
    const { batch } = outcome;
    const pages = service.pages(batch.id);

    let pdf: { path: string; bytes: number; ms: number } | null = null;
    if (values.out && pages.length > 0) {
      const t0 = performance.now();
      const encoded: EncodedPage[] = [];
      for (const page of pages) {
        // The CLI keeps every page the clerk fed: no blank-page dropping here.
        const processed = await processScannedPage(await readScanPage(store.blobs, page), {
          mode: outcome.effective.mode,
          blankThreshold: null,
        });
        if (processed.kind === 'page') encoded.push(processed.encoded);
      }
      const bytes = await assemblePdf(encoded);
      writeFileAtomic(values.out, bytes);
      pdf = { path: values.out, bytes: bytes.byteLength, ms: Math.round(performance.now() - t0) };
    }

    if (values['save-profile']) {
      service.profiles.save(
        { vendor: batch.deviceVendor, model: batch.deviceModel, id: batch.deviceId },
        values['save-profile'],
        outcome.effective,
        { isDefault: true },
      );
    }

    if (values.json) {
      stdout(
        `${JSON.stringify(
          {
            batchId: batch.id,
            device: { id: batch.deviceId, vendor: batch.deviceVendor, model: batch.deviceModel },
            status: batch.status,
            endedBy: outcome.endedBy,
            profile: outcome.profile?.name ?? null,
            settings: outcome.effective,
            pages: pages.map((p) => ({
              seq: p.seq,
              width: p.width,
              height: p.height,
              channels: p.channels,
              depth: p.depth,
              dpi: p.dpi,
              bytes: p.bytes,
              sha256: p.sha256,
              captureMs: p.captureMs,
            })),
            timings: {
              elapsedMs: Math.round(outcome.elapsedMs),
              captureMs: Math.round(outcome.captureMs),
              ...(pdf ? { pdfMs: pdf.ms } : {}),
            },
            pdf: pdf ? { path: pdf.path, bytes: pdf.bytes } : null,
          },
          null,
          2,
        )}\n`,
      );
    } else {
      const line = outcome.endedBy === 'completed' ? t.batchDone : t.batchStopped;
      stdout(`${format(line, { pages: pages.length, batch: batch.id })}\n`);
      if (pdf) stdout(`${format(t.pdfWritten, { path: pdf.path, kb: kb(pdf.bytes) })}\n`);
      if (values['save-profile'])
        stdout(
          `${format(t.profileSaved, { name: values['save-profile'], vendor: batch.deviceVendor, model: batch.deviceModel })}\n`,
        );
    }
    return EXIT_OK;
  } catch (error) {
    return reportScanError(error, stderr);
  } finally {
    store.close();
    await driver.dispose();
  }
}

export const scanCommand: Command = {
  name: 'scan',
  summary: 'Quét một lô giấy (đến khi khay nạp hết giấy), lưu từng trang bền vững; tùy chọn xuất PDF',
  usage:
    'motcua scan --device TÊN|escl:URL [--source flatbed|adf|duplex] [--resolution DPI] [--mode color|gray|bw] ' +
    '[--page-size A4|A5|Letter] [--profile TÊN] [--save-profile TÊN] [--out TỆP.pdf] [--json]',
  options: {
    device: { type: 'string' },
    source: { type: 'string' },
    resolution: { type: 'string' },
    mode: { type: 'string' },
    'page-size': { type: 'string' },
    profile: { type: 'string' },
    'save-profile': { type: 'string' },
    out: { type: 'string' },
  },
  positionals: { min: 0, max: 0 },
  run: runScan,
};
