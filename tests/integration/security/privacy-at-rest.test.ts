import { mkdtempSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DeskEvents, ScanSettingsView } from '../../../electron/api/desk-api';
import { Desk } from '../../../electron/services/desk/desk';
import { formatCccdPayload } from '../../../electron/services/extract/cccd-payload';
import { foldVietnamese } from '../../../electron/services/text/fold';
import { value } from '../../support/desk-call';

/**
 * Acceptance of issue #7: after a real flow (ID card QR, a full reception with a scan on libsane's test scanner,
 * component PDFs and a receipt, an imported PNG read by real OCR), no file under the data dir holds the ID number, the name (NFC, NFD, folded) or an image
 * or PDF signature in clear.
 */
const ID = '079188009876';
const NAME = 'Đặng Thị Thùy Dương';
const small: ScanSettingsView = { source: 'adf', resolution: 75, mode: 'gray', pageSize: 'A5' };

interface Finding {
  file: string;
  what: string;
}

const needles: [string, Buffer][] = [
  ['id-number', Buffer.from(ID)],
  ['name-nfc', Buffer.from(NAME.normalize('NFC'))],
  ['name-nfd', Buffer.from(NAME.normalize('NFD'))],
  ['name-folded', Buffer.from(foldVietnamese(NAME))],
  ['name-upper', Buffer.from(NAME.toUpperCase().normalize('NFC'))],
  ['png', Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a])],
  ['pdf', Buffer.from('%PDF-')],
  ['jfif', Buffer.from('JFIF\0')],
];

/** A PNM header ("P5\n75 106\n255\n") anywhere: 3 magic bytes followed by ASCII dimensions. */
function hasPnmHeader(bytes: Buffer): boolean {
  for (const magic of ['P4', 'P5', 'P6']) {
    let at = bytes.indexOf(magic);
    while (at !== -1) {
      const tail = bytes.subarray(at + 2, at + 24).toString('latin1');
      if (/^\s+(#[^\n]*\n\s*)?\d+\s+\d+\s/.test(tail)) return true;
      at = bytes.indexOf(magic, at + 1);
    }
  }
  return false;
}

function scan(dir: string, root = dir): Finding[] {
  const findings: Finding[] = [];
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) {
      findings.push(...scan(path, root));
      continue;
    }
    if (!statSync(path).isFile()) continue;
    const bytes = readFileSync(path);
    const file = relative(root, path);
    for (const [what, needle] of needles) if (bytes.includes(needle)) findings.push({ file, what });
    if (bytes.subarray(0, 3).equals(Buffer.from([0xff, 0xd8, 0xff]))) findings.push({ file, what: 'jpeg' });
    if (hasPnmHeader(bytes)) findings.push({ file, what: 'pnm' });
  }
  return findings;
}

function waitFor<E extends keyof DeskEvents>(desk: Desk, name: E, done: (p: DeskEvents[E]) => boolean) {
  return new Promise<void>((resolve) => {
    const off = desk.events.subscribe((event, payload) => {
      if (event === name && done(payload as DeskEvents[E])) {
        off();
        resolve();
      }
    });
  });
}

let dataDir: string;
let findings: Finding[];
let blobFiles: Set<string>;

beforeAll(async () => {
  dataDir = mkdtempSync(join(tmpdir(), 'motcua-privacy-'));
  writeFileSync(
    join(dataDir, 'config.json'),
    JSON.stringify({
      agencyCode: '000.17.22.H56',
      agencyName: 'UBND xã Tân Định',
      deskSlot: 0,
      scan: { removeBlankPages: false },
    }),
  );
  const desk = new Desk({ dataDir, networkPollMs: 0 });
  try {
    const qr = formatCccdPayload({
      idNumber: ID,
      oldIdNumber: null,
      fullName: NAME,
      dateOfBirth: '1988-03-14',
      sex: 'Nữ',
      address: 'Tổ 5, phường Bến Thành, TP. Hồ Chí Minh',
      issueDate: '2021-07-01',
    } as Parameters<typeof formatCccdPayload>[0]);
    await value(desk.call('setupFirstAdmin', { name: 'Nguyễn Văn An', pin: '2468' }));
    const card = await value(desk.call('readCccdQr', { payload: qr }));
    expect(JSON.stringify(card)).toContain(ID);
    // A full reception: the applicant from the card, a scan on the test ADF attached to the
    // required components (PDFs assembled and stored), completed with a code, receipt, audit and outbox row.
    const draft = await value(
      desk.call('startReception', {
        procedureCode: '1.001193',
        applicant: {
          fullName: NAME,
          idNumber: ID,
          dateOfBirth: '1988-03-14',
          sex: 'Nữ',
          address: 'Tổ 5, phường Bến Thành, TP. Hồ Chí Minh',
        },
        prefill: { prefilled: 5, typed: 0 },
      }),
    );
    const { batchId: scanBatch } = await value(
      desk.call('startScan', { deviceId: 'test:0', settings: small }),
    );
    await waitFor(desk, 'scanEnded', (e) => e.batchId === scanBatch);
    for (const componentCode of ['KS-01', 'KS-02'])
      await value(desk.call('attachScan', { dossierId: draft.dossierId, componentCode, batchId: scanBatch }));
    const completed = await value(desk.call('completeReception', { dossierId: draft.dossierId }));
    expect(Buffer.from(completed.receiptPdfBase64, 'base64').subarray(0, 5).toString()).toBe('%PDF-');
    const files = desk.store.db
      .prepare('SELECT count(*) AS n FROM dossier_files WHERE dossier_id = ?')
      .get(draft.dossierId) as { n: number };
    expect(files.n).toBeGreaterThan(0);

    const svg = `<svg xmlns="http://www.w3.org/2000/svg" width="1400" height="300"><rect width="100%" height="100%" fill="white"/>
      <text x="40" y="120" font-family="DejaVu Sans" font-size="56">Họ và tên: ${NAME}</text>
      <text x="40" y="220" font-family="DejaVu Sans" font-size="56">Số CCCD: ${ID}</text></svg>`;
    const png = await sharp(Buffer.from(svg)).png().toBuffer();
    const ocrDone = new Promise<string>((resolve) => {
      const off = desk.events.subscribe((event, payload) => {
        const p = payload as DeskEvents['ocrProgress'];
        if (
          event === 'ocrProgress' &&
          p.finished === p.total &&
          p.status !== 'running' &&
          p.batchId !== scanBatch
        ) {
          off();
          resolve(p.batchId);
        }
      });
    });
    const { batchId: importBatch } = await value(
      desk.call('importPages', { files: [{ name: 'to-khai.png', base64: png.toString('base64') }] }),
    );
    expect(await ocrDone).toBe(importBatch);
    const text = await value(desk.call('getPageText', { batchId: importBatch, seq: 1 }));
    // The OCR really read the personal data, so the database holds it (encrypted).
    expect(JSON.stringify(text)).toContain(ID);
    blobFiles = new Set(
      (
        desk.store.db.prepare('SELECT sha256, file_ext FROM scan_pages').all() as {
          sha256: string;
          file_ext: string;
        }[]
      ).map((p) => relative(dataDir, desk.store.blobs.pathFor(p.sha256, p.file_ext))),
    );
  } finally {
    await desk.close();
  }
  findings = scan(dataDir);
}, 240_000);

afterAll(() => {
  if (findings.length) console.info('privacy findings', JSON.stringify(findings));
});

describe('privacy at rest after a real flow', () => {
  it('the database, WAL, logs, config and key material hold no personal data or page image in clear', () => {
    expect(findings.filter((f) => !f.file.startsWith('files/'))).toEqual([]);
    // The scan did leave page files to look at, and the flow did write logs (searched above like every file).
    expect(blobFiles.size).toBeGreaterThan(0);
    const logs = readdirSync(join(dataDir, 'logs')).map((f) =>
      readFileSync(join(dataDir, 'logs', f), 'utf8'),
    );
    expect(logs.join('').split('\n').length).toBeGreaterThan(3);
  });

  // Scanned and imported pages go through the sealing BlobStore (putBlobDurably/adoptFileDurably).
  it('page files under files/ are sealed', () => {
    expect(findings.filter((f) => f.file.startsWith('files/'))).toEqual([]);
  });
});
