import { join, resolve } from 'node:path';
import type { DeskEvents, ScanSettingsView } from '../../api/desk-api';
import { format, vi } from '../../api/i18n';
import { COLOR_MODES, type ScanSettings } from '../../services/scan/types';
import { writeFileAtomic } from '../../services/store/files';
import { type CommandContext, EXIT_FAILURE, EXIT_OK, UsageError } from '../command';
import { CallRefused, type CliDesk, gatedCommand } from '../desk-session';

const t = vi.reception.cli;

type ReceiveValues = {
  procedure?: string;
  'applicant-qr'?: string;
  'scan-device'?: string;
  out?: string;
  'pages-per-component'?: string;
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

/** The settings a headless feeder scan uses: the scanner's defaults (its default profile) with the flags on top. */
async function feederSettings(
  desk: CliDesk,
  deviceId: string,
  flags: Partial<ScanSettings>,
): Promise<ScanSettingsView> {
  const scanner = (await desk.call('listScanners')).find((s) => s.id === deviceId);
  const defaults: ScanSettingsView = scanner?.defaults ?? {
    source: 'adf',
    resolution: 300,
    mode: 'color',
    pageSize: 'A4',
  };
  return { ...defaults, ...flags } as ScanSettingsView;
}

/** A feeder batch can take minutes (100 sheets); past this the command gives up and the batch stays resumable. */
const SCAN_WAIT_MS = 15 * 60_000;

/** Starts a scan through the desk and waits for its end, as the app's scan panel does (scanEnded). */
async function scanBatch(desk: CliDesk, deviceId: string, settings: ScanSettingsView) {
  const ended = new Map<string, DeskEvents['scanEnded']>();
  let wake: () => void = () => {};
  const unsubscribe = desk.on('scanEnded', (event) => {
    ended.set(event.batchId, event);
    wake();
  });
  try {
    const { batchId } = await desk.call('startScan', { deviceId, settings });
    const deadline = Date.now() + SCAN_WAIT_MS;
    while (!ended.has(batchId)) {
      const left = deadline - Date.now();
      if (left <= 0)
        throw new CallRefused({
          code: 'unavailable',
          message: format(vi.gate.scanNotFinished, { seconds: Math.round(SCAN_WAIT_MS / 1000) }),
        });
      await new Promise<void>((done) => {
        const timer = setTimeout(done, Math.min(left, 1000));
        wake = () => {
          clearTimeout(timer);
          done();
        };
      });
    }
    return ended.get(batchId) as DeskEvents['scanEnded'];
  } finally {
    unsubscribe();
  }
}

/**
 * Headless reception through the desk's calls, as the app's reception screen makes them: read the card,
 * start the dossier, reuse what the desk digitized, scan the feeder (the desk's scan workspace classifies
 * blanks and separators), attach, complete. Every action is the signed-in clerk's in the audit log.
 */
async function runReceive(context: CommandContext, desk: CliDesk): Promise<number> {
  const { stdout, stderr } = context;
  const values = context.values as ReceiveValues;
  if (!values.procedure) throw new UsageError(t.procedureRequired);
  if (!values['applicant-qr']) throw new UsageError(t.applicantRequired);
  if (!values['scan-device']) throw new UsageError(t.deviceRequired);
  const pagesPerPart = parsePagesPerComponent(values['pages-per-component']);
  const flags = scanSettings(values);

  const card = await desk.call('readCccdQr', { payload: values['applicant-qr'] });
  const applicant = {
    fullName: card.fullName,
    idNumber: card.idNumber,
    dateOfBirth: card.dateOfBirth,
    sex: card.sex,
    address: card.address,
  };
  let view = await desk.call('startReception', {
    procedureCode: values.procedure,
    applicant,
    prefill: { prefilled: Object.keys(applicant).length, typed: 0 },
  });
  const dossierId = view.dossierId;
  // Once-only first: what this desk already digitized for the applicant is reused, never scanned again.
  for (const component of view.components) {
    const doc = view.reusable.find((d) => d.componentCode === component.code && d.source === 'desk');
    if (doc)
      view = await desk.call('reuseDocument', {
        dossierId,
        componentCode: component.code,
        documentId: doc.documentId,
      });
  }

  const deviceId = values['scan-device'];
  const ended = await scanBatch(desk, deviceId, await feederSettings(desk, deviceId, flags));
  if (ended.endedBy === 'failed' && ended.message) {
    stderr(`${ended.message}\n`);
    return EXIT_FAILURE;
  }
  const { pages } = await desk.call('getScanBatch', { batchId: ended.batchId });
  if (pages.length === 0) {
    stderr(`${t.noPages}\n`);
    return EXIT_FAILURE;
  }
  if (pagesPerPart) {
    const expected = pagesPerPart.reduce((a, b) => a + b, 0);
    if (expected !== pages.length) {
      stderr(`${format(t.pagesMismatch, { pages: pages.length, expected })}\n`);
      return EXIT_FAILURE;
    }
  }
  const missing = view.components.filter((c) => c.status === 'missing');
  const parts = pagesPerPart?.length ?? new Set(pages.map((p) => p.component)).size;
  // One part goes to the first missing required component; several fill the missing ones in order.
  const start = parts > 1 ? missing[0] : (missing.find((c) => c.required) ?? missing[0]);
  if (start)
    view = await desk.call('attachScan', {
      dossierId,
      componentCode: start.code,
      batchId: ended.batchId,
      ...(pagesPerPart ? { pagesPerComponent: pagesPerPart } : {}),
    });
  const uncovered = view.components.find((c) => c.required && c.status === 'missing');
  if (uncovered) {
    stderr(`${format(t.requiredNotCovered, { name: uncovered.name, dossier: dossierId })}\n`);
    return EXIT_FAILURE;
  }
  const { view: received, receiptPdfBase64 } = await desk.call('completeReception', { dossierId });
  const file = join(resolve(values.out ?? '.'), `giay-tiep-nhan-${received.code}.pdf`);
  writeFileAtomic(file, Buffer.from(receiptPdfBase64, 'base64'));
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
}

export const receiveCommand = gatedCommand({
  name: 'receive',
  summary: t.receiveSummary,
  usage: [
    'motcua receive --procedure MÃ_TTHC --applicant-qr "NỘI_DUNG_QR_CCCD" --scan-device TÊN_MÁY_QUÉT',
    '       [--out THƯ_MỤC] [--pages-per-component 1,1,1] [--resolution DPI] [--mode color|gray|bw]',
    '       --clerk MÃ_HOẶC_TÊN [--json]',
    '',
    'Quét một lượt khay nạp (ADF) vào các thành phần hồ sơ của thủ tục: tờ phân cách chia lô theo thứ tự thành',
    'phần; không có tờ phân cách thì --pages-per-component chia theo số trang; không có cả hai thì mọi trang vào',
    'thành phần bắt buộc đầu tiên và các thành phần bắt buộc khác phải dùng lại được giấy tờ đã số hóa tại bàn.',
    'Không in ra máy in: giấy tiếp nhận được ghi thành tệp PDF trong --out (mặc định thư mục hiện tại).',
    'Người thực hiện ghi vào nhật ký là cán bộ đăng nhập bằng --clerk.',
  ].join('\n'),
  options: {
    procedure: { type: 'string' },
    'applicant-qr': { type: 'string' },
    'scan-device': { type: 'string' },
    out: { type: 'string' },
    'pages-per-component': { type: 'string' },
    resolution: { type: 'string' },
    mode: { type: 'string' },
  },
  positionals: { min: 0, max: 0 },
  run: runReceive,
});
