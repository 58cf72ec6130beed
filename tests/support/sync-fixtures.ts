/**
 * Queued dossiers for the sync tests and benchmark: received dossiers with real multi-page PDFs (B/W pages
 * coded CCITT G4 and assembled by the imaging service, as reception does), written with the same rows as
 * reception writes (migrations 001 and 008) — dossier, components, files, outbox — one transaction per
 * dossier, bytes stored through the desk's blob store first. Everything is deterministic from the seed.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import BetterSqlite3 from 'better-sqlite3';
import { assemblePdf, type EncodedPage, encodeG4, type TextLayerWord } from '../../electron/services/imaging';
import { silentLogger } from '../../electron/services/logging/logger';
import { sha256Hex } from '../../electron/services/store/files';
import { openStore, type Store } from '../../electron/services/store/store';
import {
  type ProvincialServer,
  type ProvincialServerOptions,
  startProvincialServer,
} from '../provincial/server';
import { prng as seededRandom } from './prng';

export const FIXTURE_AGENCY = '000.17.22.H56';
export const FIXTURE_PROCEDURE = { code: '1.001193', name: 'Đăng ký khai sinh' } as const;
const COMPONENTS = [
  { code: 'TP1', name: 'Tờ khai đăng ký khai sinh' },
  { code: 'TP2', name: 'Giấy chứng sinh' },
  { code: 'TP3', name: 'Giấy tờ chứng minh nơi cư trú' },
] as const;
const FAMILY = ['Nguyễn', 'Trần', 'Lê', 'Phạm', 'Hoàng', 'Vũ', 'Đặng', 'Bùi', 'Đỗ', 'Ngô'];
const MIDDLE = ['Văn', 'Thị', 'Đức', 'Minh', 'Ngọc', 'Quốc', 'Thanh', 'Hữu'];
const GIVEN = ['An', 'Bình', 'Chi', 'Dũng', 'Hà', 'Hạnh', 'Hùng', 'Lan', 'Long', 'Mai', 'Nhung'];

export interface QueueOptions {
  /** Pages per component PDF. Default 3. */
  pages?: number;
  /** Component PDFs per dossier (1–3). Default 2. */
  components?: number;
  seed?: number;
  /**
   * 'a4': 300-dpi A4 text-like pages (G4, ~30–80 KB each); 'small': 150×210 px pages (a few hundred bytes)
   * for queues of thousands. Default 'a4'.
   */
  pageSize?: 'a4' | 'small';
  /** First NNNN of the dossier codes (desk slot 1 issues 1000–1999). Default 1000. */
  firstSequence?: number;
  /** Reception instant of the first dossier; the next ones follow one minute apart. */
  receivedAt?: Date;
}

export interface QueuedFile {
  id: string;
  componentCode: string;
  fileName: string;
  sha256: string;
  bytes: number;
  pageCount: number;
}

export interface QueuedDossier {
  id: string;
  code: string;
  outboxId: number;
  files: QueuedFile[];
}

/** Seeded, so the same seed gives the same pages and PDFs run after run. */
export { seededRandom };

const A4 = { width: 2480, height: 3508, dpi: 300 };
const SMALL = { width: 150, height: 210, dpi: 25 };

/**
 * A bilevel page that codes like printed text: margins, lines of words, each word a run of glyph-sized
 * cells with a few strokes. (Random noise would code far larger than any real scan; a blank page far smaller.)
 */
function textLikePage(random: () => number, geometry: { width: number; height: number; dpi: number }) {
  const { width, height } = geometry;
  const scale = geometry.dpi / 300;
  const pixels = new Uint8Array(width * height).fill(255);
  const margin = Math.round(230 * scale);
  const lineHeight = Math.max(3, Math.round(58 * scale));
  const glyphHeight = Math.max(2, Math.round(30 * scale));
  const glyphWidth = Math.max(1, Math.round(22 * scale));
  const stroke = Math.max(1, Math.round(3 * scale));
  const ink = (x0: number, y0: number, w: number, h: number) => {
    for (let y = y0; y < Math.min(height, y0 + h); y++) {
      pixels.fill(0, y * width + x0, y * width + Math.min(width, x0 + w));
    }
  };
  const lines = Math.floor((height - 2 * margin) / lineHeight);
  const filledLines = Math.floor(lines * (0.45 + 0.4 * random()));
  for (let line = 0; line < filledLines; line++) {
    if (random() < 0.08) continue; // paragraph break
    const top = margin + line * lineHeight;
    let x = margin + (random() < 0.15 ? Math.round(90 * scale) : 0);
    const right = width - margin - Math.round(random() < 0.2 ? 600 * random() * scale : 0);
    while (x + glyphWidth < right) {
      const letters = 1 + Math.floor(random() * 8);
      for (let i = 0; i < letters && x + glyphWidth < right; i++) {
        // A glyph: one to three vertical stems and sometimes a bar, like most Latin letters.
        const stems = 1 + Math.floor(random() * 3);
        for (let s = 0; s < stems; s++) {
          ink(x + Math.floor(random() * (glyphWidth - stroke)), top, stroke, glyphHeight);
        }
        if (random() < 0.5) ink(x, top + Math.floor(random() * glyphHeight), glyphWidth - stroke, stroke);
        if (random() < 0.2) ink(x + Math.floor(glyphWidth / 3), top - 2 * stroke, stroke * 2, stroke); // a diacritic
        x += glyphWidth + Math.max(1, Math.round(4 * scale));
      }
      x += Math.round(18 * scale); // space between words
    }
  }
  return pixels;
}

function encodedPage(seed: number, size: 'a4' | 'small'): EncodedPage {
  const geometry = size === 'a4' ? A4 : SMALL;
  const pixels = textLikePage(seededRandom(seed), geometry);
  return {
    format: 'ccitt-g4',
    bytes: encodeG4(pixels, geometry.width, geometry.height),
    ...geometry,
    channels: 1,
  };
}

/** A4 pages are costly to code (~0.1 s each): a pool per seed, each PDF picks its pages from it. */
const A4_POOL_SIZE = 10;
const pools = new Map<number, EncodedPage[]>();
function a4Pool(seed: number): EncodedPage[] {
  let pool = pools.get(seed);
  if (!pool) {
    pool = Array.from({ length: A4_POOL_SIZE }, (_, i) => encodedPage(seed * 1000 + i + 1, 'a4'));
    pools.set(seed, pool);
  }
  return pool;
}

/**
 * One component's PDF. The invisible text layer (as OCR leaves it) names the dossier and page, so no two
 * files are byte-identical even when they share page images.
 */
async function componentPdf(
  random: () => number,
  seed: number,
  options: { pages: number; size: 'a4' | 'small'; label: string },
): Promise<{ pdf: Uint8Array; pages: number }> {
  const pages: EncodedPage[] = [];
  const layers: TextLayerWord[][] = [];
  for (let i = 0; i < options.pages; i++) {
    if (options.size === 'a4') {
      const pool = a4Pool(seed);
      pages.push(pool[Math.floor(random() * pool.length)] as EncodedPage);
      layers.push([
        { text: `${options.label} trang ${i + 1}`, bbox: { x0: 230, y0: 150, x1: 1400, y1: 190 } },
      ]);
    } else {
      pages.push(encodedPage(Math.floor(random() * 2 ** 31), 'small'));
    }
  }
  // Small pages are already unique (each is drawn from the generator); text layers cost a font embed each.
  const pdf = await assemblePdf(pages, options.size === 'a4' ? { textLayers: layers } : {});
  return { pdf, pages: pages.length };
}

const pad = (n: number, width: number) => String(n).padStart(width, '0');

/** YYMMDD on Vietnam's calendar (UTC+7). */
function dayStamp(instant: Date): string {
  const local = new Date(instant.getTime() + 7 * 3_600_000);
  return `${pad(local.getUTCFullYear() % 100, 2)}${pad(local.getUTCMonth() + 1, 2)}${pad(local.getUTCDate(), 2)}`;
}

/** An 12-digit CCCD number shaped like a real one (province 038, sex/century digit, year, serial). */
function idNumber(random: () => number): string {
  return `038${random() < 0.5 ? 1 : 0}9${pad(Math.floor(random() * 10_000_000), 7)}`;
}

/**
 * Creates n received dossiers, each queued for sync, in `dataDir`'s store (opened with the desk's own
 * `openStore`). Returns what was written, including every file's SHA-256 and size, in outbox order.
 */
export async function queueDossiers(
  dataDir: string,
  n: number,
  options: QueueOptions = {},
): Promise<QueuedDossier[]> {
  const store = openStore(dataDir);
  try {
    return await queueInto(store, n, options);
  } finally {
    store.close();
  }
}

export async function queueInto(
  store: Store,
  n: number,
  options: QueueOptions = {},
): Promise<QueuedDossier[]> {
  const pagesPerPdf = options.pages ?? 3;
  const componentCount = Math.min(Math.max(options.components ?? 2, 1), COMPONENTS.length);
  const seed = options.seed ?? 1;
  const size = options.pageSize ?? 'a4';
  const random = seededRandom(seed);
  const firstReceived = options.receivedAt ?? new Date();
  const firstSequence = options.firstSequence ?? 1000;
  const { db, blobs } = store;

  const insertDossier = db.prepare(
    `INSERT INTO dossiers (id, code, procedure_code, procedure_name, applicant_name, status, created_at, updated_at,
       applicant_id_number, applicant_json, received_at, due_at, clerk_id)
     VALUES (@id, @code, @procedureCode, @procedureName, @applicantName, 'received', @now, @now,
       @idNumber, @applicantJson, @receivedAt, @dueAt, @clerkId)`,
  );
  const insertComponent = db.prepare(
    `INSERT INTO dossier_components (dossier_id, component_code, name, required, position, status)
     VALUES (?, ?, ?, ?, ?, ?)`,
  );
  const insertFile = db.prepare(
    `INSERT INTO dossier_files (id, dossier_id, component_code, file_name, mime_type, blob_sha256, blob_ext, bytes,
       page_count, source, source_batch_id, created_at)
     VALUES (@id, @dossierId, @componentCode, @fileName, 'application/pdf', @sha256, '.pdf', @bytes, @pages,
       'scan', @batchId, @now)`,
  );
  const insertOutbox = db.prepare(
    `INSERT INTO outbox (dossier_id, kind, created_at, updated_at) VALUES (?, 'dossier', ?, ?)`,
  );

  const queued: QueuedDossier[] = [];
  for (let index = 0; index < n; index++) {
    const id = randomUUID();
    const received = new Date(firstReceived.getTime() + index * 60_000);
    const code = `${FIXTURE_AGENCY}-${dayStamp(received)}-${pad(firstSequence + index, 4)}`;
    const files: (QueuedFile & { data: Uint8Array })[] = [];
    for (let c = 0; c < componentCount; c++) {
      const component = COMPONENTS[c] as (typeof COMPONENTS)[number];
      const { pdf, pages } = await componentPdf(random, seed, {
        pages: pagesPerPdf,
        size,
        label: `${code} ${component.code}`,
      });
      files.push({
        id: randomUUID(),
        componentCode: component.code,
        fileName: `${component.code}-${component.name}.pdf`,
        sha256: '',
        bytes: pdf.byteLength,
        pageCount: pages,
        data: pdf,
      });
    }
    // Bytes durable first; the rows that point at them commit after (ARCHITECTURE: data and durability).
    for (const file of files) file.sha256 = blobs.put(file.data, '.pdf').sha256;

    const now = received.toISOString();
    const name = `${FAMILY[index % FAMILY.length]} ${MIDDLE[(index * 7) % MIDDLE.length]} ${GIVEN[(index * 3) % GIVEN.length]}`;
    const outboxId = db.transaction(() => {
      insertDossier.run({
        id,
        code,
        procedureCode: FIXTURE_PROCEDURE.code,
        procedureName: FIXTURE_PROCEDURE.name,
        applicantName: name,
        now,
        idNumber: idNumber(random),
        applicantJson: JSON.stringify({
          dateOfBirth: '2026-01-15',
          sex: 'Nữ',
          address: 'Thôn Đông Hải, xã Quảng Phú, tỉnh Thanh Hóa',
          phone: '0912 345 678',
        }),
        receivedAt: now,
        dueAt: new Date(received.getTime() + 3 * 86_400_000).toISOString(),
        clerkId: 'fixture-clerk',
      });
      COMPONENTS.forEach((component, position) => {
        const attached = position < componentCount;
        insertComponent.run(
          id,
          component.code,
          component.name,
          attached ? 1 : 0,
          position,
          attached ? 'scanned' : 'missing',
        );
      });
      for (const file of files) {
        insertFile.run({
          id: file.id,
          dossierId: id,
          componentCode: file.componentCode,
          fileName: file.fileName,
          sha256: file.sha256,
          bytes: file.bytes,
          pages: file.pageCount,
          batchId: null,
          now,
        });
      }
      return Number(insertOutbox.run(id, now, now).lastInsertRowid);
    })();
    queued.push({ id, code, outboxId, files: files.map(({ data: _data, ...file }) => file) });
  }
  return queued;
}

/** Total bytes of every file of the queued dossiers. */
export function payloadBytes(dossiers: QueuedDossier[]): number {
  return dossiers.reduce((sum, d) => sum + d.files.reduce((s, f) => s + f.bytes, 0), 0);
}

// ---------------------------------------------------------------------------------------------------------
// Harness: the reference server, the real `motcua` CLI as a child process, and checks of what arrived
// ---------------------------------------------------------------------------------------------------------

const ROOT = join(import.meta.dirname, '..', '..');
export const MOTCUA_BIN = join(ROOT, 'bin', 'motcua.mjs');

export interface SyncTestServer extends ProvincialServer {
  dataDir: string;
  /** Closes the server and keeps its data (restart with `restartSyncServer`). */
  close(): Promise<void>;
  /** Closes the server and removes its data. */
  stop(): Promise<void>;
}

export async function startSyncServer(
  options: Partial<ProvincialServerOptions> & { dataDir?: string } = {},
): Promise<SyncTestServer> {
  const dataDir = options.dataDir ?? mkdtempSync(join(tmpdir(), 'motcua-province-'));
  const server = await startProvincialServer({ logger: silentLogger, ...options, dataDir });
  return {
    ...server,
    dataDir,
    close: () => server.close(),
    stop: async () => {
      await server.close();
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

export async function adminCall<T>(
  server: { url: string; adminToken: string },
  method: string,
  path: string,
  body?: unknown,
): Promise<T> {
  const response = await fetch(`${server.url}${path}`, {
    method,
    headers: { authorization: `Bearer ${server.adminToken}`, 'content-type': 'application/json' },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await response.text();
  if (!response.ok) throw new Error(`admin ${method} ${path}: ${response.status} ${text.slice(0, 300)}`);
  return JSON.parse(text) as T;
}

export async function issueEnrolCode(server: { url: string; adminToken: string }): Promise<string> {
  return (await adminCall<{ code: string }>(server, 'POST', '/v1/admin/enrolment-codes', {})).code;
}

export function setFaults(server: { url: string; adminToken: string }, spec: string): Promise<unknown> {
  return adminCall(server, 'PUT', '/v1/admin/faults', { spec });
}

export interface ServerDossier {
  DeskUuid: string;
  MaHoSo: string;
  committed: boolean;
  createdAt: string;
  revision: number;
  deviceId: string;
  files: { TepDinhKemId: string; Sha256: string; Bytes: number; received: boolean }[];
}

export async function serverDossiers(server: { url: string; adminToken: string }): Promise<ServerDossier[]> {
  return (await adminCall<{ dossiers: ServerDossier[] }>(server, 'GET', '/v1/admin/dossiers')).dossiers;
}

export interface RequestLogRow {
  id: number;
  method: string;
  path: string;
  status: number | null;
  faults: string[];
  requestBytes: number;
  uploadOffset: number | null;
}

export async function serverRequests(
  server: { url: string; adminToken: string },
  after = 0,
): Promise<RequestLogRow[]> {
  return (await adminCall<{ requests: RequestLogRow[] }>(server, 'GET', `/v1/admin/requests?after=${after}`))
    .requests;
}

/**
 * Everything that is wrong with what the server holds, compared with what the desk queued (empty = all
 * good): each dossier exactly once, committed, every file declared with the desk's SHA-256 and size, received,
 * and the bytes the server stored hash to that SHA-256.
 */
export async function arrivalProblems(server: SyncTestServer, queued: QueuedDossier[]): Promise<string[]> {
  const problems: string[] = [];
  const held = await serverDossiers(server);
  const byUuid = new Map<string, ServerDossier[]>();
  for (const d of held) byUuid.set(d.DeskUuid, [...(byUuid.get(d.DeskUuid) ?? []), d]);
  const codes = new Map<string, number>();
  for (const d of held) codes.set(d.MaHoSo, (codes.get(d.MaHoSo) ?? 0) + 1);
  for (const [code, count] of codes) if (count > 1) problems.push(`${code} held ${count} times`);
  if (held.length !== queued.length)
    problems.push(`server holds ${held.length} dossiers, desk queued ${queued.length}`);
  const db = new BetterSqlite3(join(server.dataDir, 'provincial.sqlite'), {
    readonly: true,
    fileMustExist: true,
  });
  try {
    const storedPath = db.prepare(
      'SELECT stored_path FROM dossier_files WHERE desk_uuid = ? AND file_id = ? AND received_at IS NOT NULL',
    );
    for (const dossier of queued) {
      const copies = byUuid.get(dossier.id) ?? [];
      if (copies.length !== 1) {
        problems.push(`${dossier.code}: on the server ${copies.length} times`);
        continue;
      }
      const record = copies[0] as ServerDossier;
      if (record.MaHoSo !== dossier.code) problems.push(`${dossier.code}: server has code ${record.MaHoSo}`);
      if (!record.committed) problems.push(`${dossier.code}: not committed`);
      if (record.files.length !== dossier.files.length) {
        problems.push(
          `${dossier.code}: ${record.files.length} files on the server, ${dossier.files.length} on the desk`,
        );
      }
      for (const file of dossier.files) {
        const onServer = record.files.find((f) => f.TepDinhKemId === file.id);
        if (!onServer) {
          problems.push(`${dossier.code}/${file.componentCode}: file missing`);
          continue;
        }
        if (onServer.Sha256 !== file.sha256 || onServer.Bytes !== file.bytes) {
          problems.push(
            `${dossier.code}/${file.componentCode}: declared ${onServer.Sha256}/${onServer.Bytes}`,
          );
        }
        if (!onServer.received) problems.push(`${dossier.code}/${file.componentCode}: not received`);
        const row = storedPath.get(dossier.id, file.id) as { stored_path: string | null } | undefined;
        if (!row?.stored_path) {
          problems.push(`${dossier.code}/${file.componentCode}: no stored bytes`);
          continue;
        }
        const bytes = readFileSync(row.stored_path);
        if (bytes.length !== file.bytes || sha256Hex(bytes) !== file.sha256) {
          problems.push(`${dossier.code}/${file.componentCode}: stored bytes differ (${bytes.length} B)`);
        }
      }
    }
  } finally {
    db.close();
  }
  return problems;
}

export interface OutboxRow {
  id: number;
  dossier_id: string;
  status: string;
}

/** The desk's outbox, in sending order, read through the desk's own store. */
export function outboxRows(dataDir: string): OutboxRow[] {
  const store = openStore(dataDir);
  try {
    return store.db.prepare('SELECT id, dossier_id, status FROM outbox ORDER BY id').all() as OutboxRow[];
  } finally {
    store.close();
  }
}

export interface CliResult {
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
  ms: number;
}

export interface RunningCli {
  child: ChildProcess;
  done: Promise<CliResult>;
}

/** Starts `node bin/motcua.mjs ARGS` on the data dir; `done` settles when it exits (or is killed). */
export function spawnMotcua(args: string[], dataDir: string, env: Record<string, string> = {}): RunningCli {
  const started = performance.now();
  const child = spawn(process.execPath, [MOTCUA_BIN, ...args], {
    cwd: ROOT,
    env: { ...process.env, ...env, MOTCUA_DATA_DIR: dataDir },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stdout = '';
  let stderr = '';
  child.stdout?.setEncoding('utf8').on('data', (text: string) => {
    stdout += text;
  });
  child.stderr?.setEncoding('utf8').on('data', (text: string) => {
    stderr += text;
  });
  const done = new Promise<CliResult>((resolve) => {
    child.once('close', (code, signal) =>
      resolve({ code, signal, stdout, stderr, ms: Math.round(performance.now() - started) }),
    );
  });
  return { child, done };
}

/** Runs a command to its end; kills it (and says so) after `timeoutMs`. */
export async function runMotcua(
  args: string[],
  dataDir: string,
  options: { timeoutMs?: number; env?: Record<string, string> } = {},
): Promise<CliResult> {
  const running = spawnMotcua(args, dataDir, options.env);
  const timer = setTimeout(() => running.child.kill('SIGKILL'), options.timeoutMs ?? 120_000);
  try {
    return await running.done;
  } finally {
    clearTimeout(timer);
  }
}

/** Parses the last JSON line a `--json` command printed. */
export function lastJson<T = Record<string, unknown>>(stdout: string): T {
  const lines = stdout
    .trim()
    .split('\n')
    .filter((line) => line.trim().startsWith('{'));
  const last = lines.at(-1);
  if (!last) throw new Error(`no JSON in output: ${stdout.slice(0, 300)}`);
  return JSON.parse(last) as T;
}
