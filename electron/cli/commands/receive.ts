import { userInfo } from 'node:os';
import { join, resolve } from 'node:path';
import type { ClerkView } from '../../api/desk-api';
import { DeskError } from '../../api/errors';
import { format, vi } from '../../api/i18n';
import { ClerkError } from '../../services/clerks/errors';
import { loadConfig } from '../../services/config/config';
import { resolveDataDir } from '../../services/config/data-dir';
import { ScanLayout } from '../../services/desk/scan-layout';
import { parseCccdPayload } from '../../services/extract/cccd-payload';
import { ExtractError } from '../../services/extract/errors';
import { ImagingThread } from '../../services/imaging/imaging-thread';
import { silentLogger } from '../../services/logging/logger';
import { keptPageCount } from '../../services/reception/batch-parts';
import { createDeskReception } from '../../services/reception/desk-reception';
import { ReceptionError } from '../../services/reception/types';
import { ScanError } from '../../services/scan/errors';
import { HostedScanDriver } from '../../services/scan/host/hosted-driver';
import { readScanPageBytes } from '../../services/scan/page-image';
import { ScanService } from '../../services/scan/scan-service';
import { COLOR_MODES, type ScanSettings } from '../../services/scan/types';
import { writeFileAtomic } from '../../services/store/files';
import { openStore } from '../../services/store/store';
import { type Command, type CommandContext, EXIT_FAILURE, EXIT_OK, UsageError } from '../command';

const t = vi.reception.cli;

type ReceiveValues = {
  procedure?: string;
  'applicant-qr'?: string;
  'scan-device'?: string;
  out?: string;
  'pages-per-component'?: string;
  clerk?: string;
  resolution?: string;
  mode?: string;
  json?: boolean;
};

function parsePagesPerComponent(text: string | undefined): number[] | undefined {
  if (text === undefined) return undefined;
  const parts = text.split(',').map((p) => p.trim());
  if (parts.length === 0 || !parts.every((p) => /^[1-9]\d{0,3}$/.test(p)))
    throw new UsageError(t.badPagesPerComponent);
  return parts.map(Number);
}

function scanSettings(values: ReceiveValues): Partial<ScanSettings> {
  const settings: Partial<ScanSettings> = { source: 'adf' };
  if (values.resolution !== undefined) {
    const dpi = Number(values.resolution);
    if (!Number.isFinite(dpi) || dpi <= 0 || dpi > 4800)
      throw new UsageError(format(vi.scan.cli.badResolution, { value: values.resolution }));
    settings.resolution = dpi;
  }
  if (values.mode !== undefined) {
    if (!(COLOR_MODES as readonly string[]).includes(values.mode))
      throw new UsageError(format(vi.scan.cli.badMode, { value: values.mode }));
    settings.mode = values.mode as ScanSettings['mode'];
  }
  return settings;
}

/** The Vietnamese message of any error the services raise for the clerk; null for a real bug. */
function clerkMessage(error: unknown): string | null {
  if (error instanceof ClerkError || error instanceof ReceptionError) return error.clerkMessage;
  if (error instanceof ScanError || error instanceof ExtractError) return error.clerkMessage;
  if (error instanceof DeskError) return error.message;
  return null;
}

async function runReceive({ values: raw, env, stdout, stderr }: CommandContext): Promise<number> {
  const values = raw as ReceiveValues;
  if (!values.procedure) throw new UsageError(t.procedureRequired);
  if (!values['applicant-qr']) throw new UsageError(t.applicantRequired);
  if (!values['scan-device']) throw new UsageError(t.deviceRequired);
  const pagesPerPart = parsePagesPerComponent(values['pages-per-component']);
  const settings = scanSettings(values);
  const pin = env.MOTCUA_CLERK_PIN;
  if (values.clerk && !pin) throw new UsageError(t.clerkPinMissing);

  const dataDir = resolveDataDir(env);
  const config = loadConfig(dataDir, env);
  const store = openStore(dataDir);
  const scanDriver = new HostedScanDriver({ env });
  const scans = new ScanService(store, scanDriver);
  const imaging = new ImagingThread();
  try {
    const desk = createDeskReception({ store, scans, config, imaging, logger: silentLogger });
    const card = parseCccdPayload(values['applicant-qr']);
    // A named clerk proves it with the PIN (lockout applies); otherwise the OS account is the recorded actor.
    const actor: ClerkView = values.clerk
      ? await desk.clerks.verify(values.clerk, pin ?? '')
      : { id: `cli:${userInfo().username}`, name: userInfo().username, role: 'clerk' };
    const applicant = {
      fullName: card.fullName,
      idNumber: card.idNumber,
      dateOfBirth: card.dateOfBirth,
      sex: card.sex,
      address: card.address,
    };
    const reception = desk.reception;
    let view = await reception.start(
      {
        procedureCode: values.procedure,
        applicant,
        prefill: { prefilled: Object.keys(applicant).length, typed: 0 },
      },
      actor,
    );
    // Once-only first: what this desk already digitized for the applicant is reused, never scanned again.
    for (const component of view.components) {
      const doc = view.reusable.find((d) => d.componentCode === component.code && d.source === 'desk');
      if (doc) view = await reception.reuseDocument(view.dossierId, component.code, doc.documentId, actor);
    }

    const outcome = await scans.startBatch({
      deviceId: values['scan-device'],
      settings,
      dossierId: view.dossierId,
    });
    const batchId = outcome.batch.id;
    const layout = new ScanLayout(store);
    for (const page of scans.pages(batchId)) {
      const kind = await imaging.classify(await readScanPageBytes(store.blobs, page), page.dpi, {
        blankThreshold: config.scan.removeBlankPages ? config.scan.blankThreshold : null,
        detectSeparators: config.scan.detectSeparators,
      });
      if (kind.kind !== 'page') layout.classify(batchId, page.seq, kind.kind);
    }
    const kept = keptPageCount(store, scans, batchId);
    if (kept === 0) {
      stderr(`${t.noPages}\n`);
      return EXIT_FAILURE;
    }
    if (pagesPerPart) {
      const expected = pagesPerPart.reduce((a, b) => a + b, 0);
      if (expected !== kept) {
        stderr(`${format(t.pagesMismatch, { pages: kept, expected })}\n`);
        return EXIT_FAILURE;
      }
    }
    const missing = view.components.filter((c) => c.status === 'missing');
    const parts =
      pagesPerPart?.length ??
      new Set(layout.arrange(batchId, scans.pages(batchId)).map((p) => p.component)).size;
    // One part goes to the first missing required component; several fill the missing ones in order.
    const start = parts > 1 ? missing[0] : (missing.find((c) => c.required) ?? missing[0]);
    if (start) view = await reception.attachScan(view.dossierId, start.code, batchId, actor, pagesPerPart);
    const uncovered = view.components.find((c) => c.required && c.status === 'missing');
    if (uncovered) {
      stderr(`${format(t.requiredNotCovered, { name: uncovered.name, dossier: view.dossierId })}\n`);
      return EXIT_FAILURE;
    }
    const { view: received, receiptPdf } = await reception.complete(view.dossierId, actor);
    const file = join(resolve(values.out ?? '.'), `giay-tiep-nhan-${received.code}.pdf`);
    writeFileAtomic(file, receiptPdf);
    const components = received.components.map((c) => ({
      code: c.code,
      name: c.name,
      required: c.required,
      status: c.status,
      pageCount: c.pageCount,
    }));
    if (values.json) {
      stdout(
        `${JSON.stringify({ code: received.code, dossierId: received.dossierId, dueAt: received.dueAt, receiptPdf: file, components }, null, 2)}\n`,
      );
    } else {
      const due = new Date(received.dueAt).toLocaleString('vi-VN', { timeZone: 'Asia/Ho_Chi_Minh' });
      stdout(`${format(t.received, { code: received.code ?? '', due, file })}\n`);
    }
    return EXIT_OK;
  } catch (error) {
    const message = clerkMessage(error);
    if (message === null) throw error;
    stderr(`${message}\n`);
    return EXIT_FAILURE;
  } finally {
    await imaging.close();
    store.close();
    await scanDriver.dispose();
  }
}

export const receiveCommand: Command = {
  name: 'receive',
  summary: t.receiveSummary,
  usage: [
    'motcua receive --procedure MÃ_TTHC --applicant-qr "NỘI_DUNG_QR_CCCD" --scan-device TÊN_MÁY_QUÉT',
    '       [--out THƯ_MỤC] [--pages-per-component 1,1,1] [--resolution DPI] [--mode color|gray|bw]',
    '       [--clerk MÃ_CÁN_BỘ] [--json]',
    '',
    'Quét một lượt khay nạp (ADF) vào các thành phần hồ sơ của thủ tục: tờ phân cách chia lô theo thứ tự thành',
    'phần; không có tờ phân cách thì --pages-per-component chia theo số trang; không có cả hai thì mọi trang vào',
    'thành phần bắt buộc đầu tiên và các thành phần bắt buộc khác phải dùng lại được giấy tờ đã số hóa tại bàn.',
    'Không in ra máy in: giấy tiếp nhận được ghi thành tệp PDF trong --out (mặc định thư mục hiện tại).',
    'Người thực hiện ghi vào nhật ký: --clerk MÃ_CÁN_BỘ với mã PIN trong biến môi trường MOTCUA_CLERK_PIN;',
    'không có --clerk thì ghi là “cli:<tài khoản hệ điều hành>”.',
  ].join('\n'),
  options: {
    procedure: { type: 'string' },
    'applicant-qr': { type: 'string' },
    'scan-device': { type: 'string' },
    out: { type: 'string' },
    'pages-per-component': { type: 'string' },
    clerk: { type: 'string' },
    resolution: { type: 'string' },
    mode: { type: 'string' },
  },
  positionals: { min: 0, max: 0 },
  run: runReceive,
};
