import { format, vi } from '../../api/i18n';
import { ScanError } from '../../services/scan/errors';
import { EsclDriver, esclDeviceId, isEsclDeviceId } from '../../services/scan/escl';
import { HostedScanDriver } from '../../services/scan/host/hosted-driver';
import { PAGE_SIZE_NAMES } from '../../services/scan/page-sizes';
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
import { type Command, type CommandContext, EXIT_FAILURE, EXIT_OK, UsageError } from '../command';
import { type CliDesk, gatedCommand } from '../desk-session';

const t = vi.scan.cli;
const kb = (bytes: number) => Math.round(bytes / 1024);

/** `motcua scanners` lists SANE's devices (in a scanner host process the watchdog can kill), or `--escl`'s. */
function driverFor(env: NodeJS.ProcessEnv): ScannerDriver {
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

async function runScan(context: CommandContext, desk: CliDesk): Promise<number> {
  const { stdout } = context;
  const values = context.values as ScanValues;
  if (!values.device) throw new UsageError(t.deviceRequired);
  const settings = parseSettings(values);
  const result = await desk.call('scanTest', {
    // An eSCL root is written many ways (trailing slash, no path): the device id is its normal form.
    deviceId: isEsclDeviceId(values.device) ? esclDeviceId(values.device) : values.device,
    settings,
    ...(values.profile ? { profileName: values.profile } : {}),
    ...(values['save-profile'] ? { saveProfile: values['save-profile'] } : {}),
    pdf: Boolean(values.out),
  });
  const pdf = result.pdf && values.out ? { path: values.out, bytes: result.pdf.bytes } : null;
  if (pdf && result.pdf) writeFileAtomic(pdf.path, Buffer.from(result.pdf.base64, 'base64'));
  if (values.json) {
    const { pdf: _bytes, ...rest } = result;
    stdout(`${JSON.stringify({ ...rest, pdf }, null, 2)}\n`);
    return EXIT_OK;
  }
  for (const { seq, width, height, bytes } of result.pages)
    stdout(`${format(t.pageStored, { page: seq, width, height, kb: kb(bytes) })}\n`);
  const line = result.endedBy === 'completed' ? t.batchDone : t.batchStopped;
  stdout(`${format(line, { pages: result.pages.length, batch: result.batchId })}\n`);
  if (pdf) stdout(`${format(t.pdfWritten, { path: pdf.path, kb: kb(pdf.bytes) })}\n`);
  if (values['save-profile'])
    stdout(
      `${format(t.profileSaved, { name: values['save-profile'], vendor: result.device.vendor, model: result.device.model })}\n`,
    );
  return EXIT_OK;
}

export const scanCommand = gatedCommand({
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
});
