/**
 * Scan benchmark (npm run bench:scan): a 10-page ADF batch, A4, 300 dpi, grey, on the libsane `test` device,
 * against `scanimage --batch` on the same device in the same run. Prints a table; asserts nothing.
 *
 * Note: the test device feeds instantly and every page is identical, so capture here measures pure software
 * overhead (FFI, worker hand-off, hashing, fsync) — on a real scanner the paper feed dominates both sides.
 * scanimage leaves its pages in the page cache; ours are content-addressed, sealed (AES-GCM) and fsync'd one
 * by one before they are recorded, as the desk requires. So the table compares the capture itself, and the
 * whole batch against scanimage with its pages made durable too (`sync`), as well as the plain ratio.
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import sharp from 'sharp';
import {
  assemblePdf,
  decodeImageFile,
  type EncodedPage,
  processScannedPage,
} from '../../electron/services/imaging';
import type { RawPage } from '../../electron/services/imaging/raw-page';
import { HostedScanDriver } from '../../electron/services/scan/host/hosted-driver';
import { readScanPage } from '../../electron/services/scan/page-image';
import { SaneDriver } from '../../electron/services/scan/sane-driver';
import { ScanService } from '../../electron/services/scan/scan-service';
import type { ScanSettings } from '../../electron/services/scan/types';
import type { BlobStore } from '../../electron/services/store/files';
import { openStore } from '../../electron/services/store/store';
import { SaneClient } from '../../native/sane/client';

process.env.SANE_CONFIG_DIR ??= join(import.meta.dirname, '..', 'fixtures', 'sane');
const RUNS = Number(process.env.BENCH_RUNS ?? 3);
const PAGES = 10;
const KB = 1024;
const REPO_ROOT = join(import.meta.dirname, '..', '..');
/** Real office scans of Vietnamese administrative text (the OCR corpus), one page each. */
const CORPUS_OCR = join(REPO_ROOT, '..', 'shared', 'corpus', 'ocr');

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)] as number;
const temp = (p: string) => mkdtempSync(join(tmpdir(), p));

/**
 * Runs the peer from one shell started before anything is measured. Spawning scanimage from this process
 * would fork it every run, and a fork makes every page of this process copy-on-write: the next batch here
 * then paid ~300 ms of page faults that a desk, which starts no child processes, never pays. The shell
 * times scanimage itself ($EPOCHREALTIME, no fork of its own), so pipe hand-offs are not counted either.
 */
class PeerShell {
  private readonly shell = spawn('bash', ['--norc', '--noprofile'], {
    env: process.env,
    stdio: ['pipe', 'pipe', 'pipe'],
  });
  private output = '';
  private errors = '';
  constructor() {
    this.shell.stdout.setEncoding('utf8').on('data', (chunk: string) => {
      this.output += chunk;
    });
    this.shell.stderr.setEncoding('utf8').on('data', (chunk: string) => {
      this.errors += chunk;
    });
  }

  /** Runs `script` and resolves with the line it prints last. */
  async run(script: string): Promise<string> {
    this.output = '';
    this.errors = '';
    const done = new Promise<string>((resolve, reject) => {
      const check = () => {
        const end = this.output.indexOf('\n__done\n');
        if (end >= 0) return resolve(this.output.slice(0, end).trim().split('\n').at(-1) ?? '');
        if (this.shell.exitCode !== null) return reject(new Error(`peer shell ended: ${this.errors}`));
        setTimeout(check, 2);
      };
      check();
    });
    this.shell.stdin.write(`${script}\necho; echo __done\n`);
    return done;
  }

  stderr(): string {
    return this.errors;
  }

  close(): void {
    this.shell.stdin.end();
  }
}
const peer = new PeerShell();

async function scanimageBatch(): Promise<{
  ms: number;
  durableMs: number;
  cpuMs: number;
  bytesPerPage: number;
}> {
  const dir = temp('bench-scanimage-');
  const args = [
    '-d test',
    "--source 'Automatic Document Feeder'",
    '--mode Gray',
    '--resolution 300',
    '-x 210',
    '-y 297',
    '--test-picture Grid',
    `'--batch=${join(dir, 'p%d.pnm')}'`,
  ].join(' ');
  // The same pages made durable, as ours are: scanimage's batch plus flushing its files to the disk. Its
  // CPU time (user + system) comes from bash's `time`, written to a file and read back without a fork.
  const cpuFile = join(dir, 'cpu');
  const times = await peer.run(
    `TIMEFORMAT='%3U %3S'; t0=$EPOCHREALTIME; { time scanimage ${args} 2>/dev/null; } 2>'${cpuFile}'; ` +
      `t1=$EPOCHREALTIME; sync; t2=$EPOCHREALTIME; read -r u s < '${cpuFile}'; echo "$t0 $t1 $t2 $u $s"`,
  );
  rmSync(cpuFile);
  const [t0, t1, t2, user, system] = times.split(' ').map(Number) as [number, number, number, number, number];
  const files = readdirSync(dir);
  if (files.length !== PAGES) throw new Error(`scanimage gave ${files.length} pages: ${peer.stderr()}`);
  const bytes = files.reduce((sum, f) => sum + statSync(join(dir, f)).size, 0);
  // Deleted at the end, not now: this disk is mounted with `discard`, so freeing 85 MB here would make the
  // next journal commit (our first fsync) pay for trimming scanimage's blocks.
  scanimageDirs.push(dir);
  return {
    ms: (t1 - t0) * 1000,
    durableMs: (t2 - t0) * 1000,
    cpuMs: (user + system) * 1000,
    bytesPerPage: bytes / PAGES,
  };
}
const scanimageDirs: string[] = [];

const client = SaneClient.shared();
// One long-lived store and service, as on a desk: the database and its file tree already exist.
const storeDir = temp('bench-scan-');
const store = openStore(storeDir);
// As on a desk: the back end runs in the scanner host process (MOTCUA_BENCH_IN_PROCESS=1: the old
// in-process worker thread, to compare). With the host, cpuMs counts the desk process only.
const inProcess = process.env.MOTCUA_BENCH_IN_PROCESS === '1';
const hosted = inProcess ? null : new HostedScanDriver();
const service = new ScanService(store, hosted ?? new SaneDriver(client));
console.log(`scan back end: ${inProcess ? 'in-process worker thread' : 'scanner host process'}`);
async function ourBatch(settings: ScanSettings) {
  const s = service;
  const cpu0 = process.cpuUsage();
  const t0 = performance.now();
  const outcome = await s.startBatch({ deviceId: 'test:0', settings });
  const ms = performance.now() - t0;
  const cpu = process.cpuUsage(cpu0);
  if (outcome.pagesThisRun !== PAGES) throw new Error(`got ${outcome.pagesThisRun} pages`);
  return {
    ms,
    // Every thread of this process: libsane's, the scan worker, the page writer, the main thread.
    cpuMs: (cpu.user + cpu.system) / 1000,
    deviceMs: outcome.captureMs,
    service: s,
    store,
    batchId: outcome.batch.id,
  };
}

async function pdfOf(s: ScanService, blobs: BlobStore, batchId: string, mode: ScanSettings['mode']) {
  const encoded: EncodedPage[] = [];
  let pngBytes = 0;
  // Only our pipeline is timed (read the stored page, process, encode, assemble), not the PNG made to compare.
  let ms = 0;
  for (const page of s.pages(batchId)) {
    const t0 = performance.now();
    const raw = await readScanPage(blobs, page);
    const processed = await processScannedPage(raw, { mode, blankThreshold: null });
    if (processed.kind === 'page') encoded.push(processed.encoded);
    ms += performance.now() - t0;
    const png = await sharp(raw.data, {
      raw: { width: raw.width, height: raw.height, channels: raw.channels },
    })
      .png()
      .toBuffer();
    pngBytes += png.byteLength;
  }
  const t0 = performance.now();
  const pdf = await assemblePdf(encoded);
  ms += performance.now() - t0;
  return {
    ms,
    pdfBytesPerPage: pdf.byteLength / PAGES,
    pngBytesPerPage: pngBytes / PAGES,
  };
}

/** An A4 page of Vietnamese text at 300 dpi, rendered (the test device cannot print text). */
async function textPage(seed: number): Promise<RawPage> {
  const line = 'Cộng hòa xã hội chủ nghĩa Việt Nam — Độc lập, Tự do, Hạnh phúc. Giấy khai sinh số';
  const rows = Array.from(
    { length: 48 },
    (_, i) =>
      `<text x="150" y="${260 + i * 64}" font-family="DejaVu Serif" font-size="40">${line} ${seed * 100 + i}</text>`,
  ).join('');
  const svg = `<svg xmlns="http://www.w3.org/2000/svg" width="2480" height="3508"><rect width="100%" height="100%" fill="white"/>${rows}</svg>`;
  const { data, info } = await sharp(Buffer.from(svg))
    .greyscale()
    .raw()
    .toBuffer({ resolveWithObject: true });
  return { width: info.width, height: info.height, channels: 1, dpi: 300, data: new Uint8Array(data) };
}

/** The corpus's `*.scan.jpg` pages through the desk's b&w pipeline (deskew on), as one PDF. */
async function realTextPdf(): Promise<{ pages: number; bytesPerPage: number; msPerPage: number }> {
  const files = readdirSync(CORPUS_OCR)
    .filter((f) => f.endsWith('.scan.jpg'))
    .sort();
  if (files.length === 0) throw new Error(`no *.scan.jpg in ${CORPUS_OCR}`);
  const t0 = performance.now();
  const encoded: EncodedPage[] = [];
  for (const file of files) {
    const page = await decodeImageFile(readFileSync(join(CORPUS_OCR, file)));
    const processed = await processScannedPage(page, { mode: 'bw', deskew: true, blankThreshold: null });
    if (processed.kind !== 'page') throw new Error(`${file}: not a page (${processed.kind})`);
    encoded.push(processed.encoded);
  }
  const pdf = await assemblePdf(encoded);
  return {
    pages: encoded.length,
    bytesPerPage: pdf.byteLength / encoded.length,
    msPerPage: (performance.now() - t0) / encoded.length,
  };
}

async function main() {
  const grey: ScanSettings = {
    source: 'adf',
    resolution: 300,
    mode: 'gray',
    pageSize: 'A4',
    deviceOptions: { 'test-picture': 'Grid' },
  };
  await ourBatch({ ...grey, resolution: 75 }); // warm the worker and tsx's compile cache

  const theirs: number[] = [];
  const theirsDurable: number[] = [];
  const ours: number[] = [];
  const theirsCpu: number[] = [];
  const oursCpu: number[] = [];
  const oursDevice: number[] = [];
  let scanimageBytes = 0;
  let last: Awaited<ReturnType<typeof ourBatch>> | null = null;
  for (let i = 0; i < RUNS; i++) {
    const s = await scanimageBatch();
    theirs.push(s.ms);
    theirsDurable.push(s.durableMs);
    theirsCpu.push(s.cpuMs);
    scanimageBytes = s.bytesPerPage;
    last = await ourBatch(grey);
    ours.push(last.ms);
    oursCpu.push(last.cpuMs);
    oursDevice.push(last.deviceMs);
  }
  if (!last) throw new Error('no runs');
  const greyPdf = await pdfOf(last.service, last.store.blobs, last.batchId, 'gray');

  const bw = await ourBatch({ ...grey, mode: 'bw' });
  const bwPdf = await pdfOf(bw.service, bw.store.blobs, bw.batchId, 'bw');

  const t0 = performance.now();
  const textEncoded: EncodedPage[] = [];
  for (let i = 0; i < 3; i++) {
    const processed = await processScannedPage(await textPage(i), {
      mode: 'bw',
      blankThreshold: null,
      deskew: false,
    });
    if (processed.kind === 'page') textEncoded.push(processed.encoded);
  }
  const textPdf = await assemblePdf(textEncoded);
  const textMs = performance.now() - t0;
  const realText = await realTextPdf();

  const rows: [string, string][] = [
    ['scanimage --batch: 10 pages into the page cache (ms, median)', median(theirs).toFixed(0)],
    ['scanimage --batch + sync: the same pages made durable (ms, median)', median(theirsDurable).toFixed(0)],
    [
      'ours: whole batch, each page captured, hashed, sealed, fsync’d, recorded (ms, median)',
      median(ours).toFixed(0),
    ],
    ['ours: of which the capture, waiting for the device (ms, median)', median(oursDevice).toFixed(0)],
    ['ratio capture: ours / scanimage (goal <= 1.5)', (median(oursDevice) / median(theirs)).toFixed(2)],
    [
      'ratio whole batch, same durability: ours / scanimage + sync (goal <= 1.5)',
      (median(ours) / median(theirsDurable)).toFixed(2),
    ],
    [
      'ratio whole batch: ours / scanimage (which neither syncs, hashes nor encrypts)',
      (median(ours) / median(theirs)).toFixed(2),
    ],
    ['CPU per batch, all threads: scanimage (ms, median)', median(theirsCpu).toFixed(0)],
    ['CPU per batch, all threads: ours (ms, median)', median(oursCpu).toFixed(0)],
    ['ours: grey PDF pipeline for 10 pages, deskew on (ms)', greyPdf.ms.toFixed(0)],
    ['ratio whole batch + grey PDF / scanimage', ((median(ours) + greyPdf.ms) / median(theirs)).toFixed(2)],
    ['scanimage PNM per page (KB)', (scanimageBytes / KB).toFixed(0)],
    ['plain PNG per page (KB)', (greyPdf.pngBytesPerPage / KB).toFixed(0)],
    ['our grey PDF per page (KB)', (greyPdf.pdfBytesPerPage / KB).toFixed(1)],
    ['PDF / PNM', (greyPdf.pdfBytesPerPage / scanimageBytes).toFixed(3)],
    ['PDF / PNG', (greyPdf.pdfBytesPerPage / greyPdf.pngBytesPerPage).toFixed(3)],
    ['b&w grid pages from the scanner, PDF per page (KB)', (bwPdf.pdfBytesPerPage / KB).toFixed(1)],
    [
      'b&w synthetic dense text (worst case), PDF per page (KB, goal <= 80)',
      (textPdf.byteLength / textEncoded.length / KB).toFixed(1),
    ],
    ['b&w synthetic text pipeline per page (ms)', (textMs / textEncoded.length).toFixed(0)],
    [
      `b&w real text pages (${realText.pages} corpus scans), PDF per page (KB, goal <= 80)`,
      (realText.bytesPerPage / KB).toFixed(1),
    ],
    ['b&w real text pipeline per page, deskew on (ms)', realText.msPerPage.toFixed(0)],
  ];
  const width = Math.max(...rows.map(([k]) => k.length));
  console.log(`scan bench — ${PAGES}-page ADF batch, A4 300 dpi grey, libsane test device, ${RUNS} runs`);
  for (const [k, v] of rows) console.log(`  ${k.padEnd(width)}  ${v}`);
  console.log(
    `  runs ms: scanimage ${theirs.map((x) => x.toFixed(0)).join(' ')} | + sync ${theirsDurable.map((x) => x.toFixed(0)).join(' ')} | ours ${ours.map((x) => x.toFixed(0)).join(' ')}`,
  );
  peer.close();
  await SaneClient.shutdownShared();
  await hosted?.dispose();
  store.close();
  rmSync(storeDir, { recursive: true, force: true });
  rmSync(`${storeDir}.key`, { force: true }); // the data key lives next to the data folder
  for (const dir of scanimageDirs) rmSync(dir, { recursive: true, force: true });
}

await main();
