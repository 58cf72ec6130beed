/**
 * What encryption at rest costs, against the clear peer measured in the same run:
 *  - blobs: sealed `putAsync` + `read` of scan-sized pages (A4 gray 300 dpi ≈ 8.7 MB, colour ≈ 26 MB) vs the same
 *    store without a key (clear write + hash-checked read);
 *  - database: 2,000 dossier inserts (one transaction each, synchronous=FULL) and a full-text search, encrypted
 *    (SQLCipher) vs a plain SQLite file with the same schema and pragmas; and the open time.
 * Run: flock /tmp/motcua-bench.lock npx tsx tests/bench/security.bench.ts
 */
import { randomBytes, randomUUID } from 'node:crypto';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import BetterSqlite3 from 'better-sqlite3';
import { BlobStore } from '../../electron/services/store/files';
import { migrate } from '../../electron/services/store/migrate';
import { migrations } from '../../electron/services/store/migrations';
import { openStore } from '../../electron/services/store/store';
import { foldVietnamese } from '../../electron/services/text/fold';

const dir = () => mkdtempSync(join(tmpdir(), 'motcua-bench-sec-'));

async function blobRound(label: string, blobs: BlobStore, pages: Uint8Array[]) {
  const start = performance.now();
  const stored = [];
  for (const page of pages) stored.push(await blobs.putAsync(page, '.pgm'));
  const wrote = performance.now() - start;
  const readStart = performance.now();
  for (const s of stored) await blobs.read(s.sha256, '.pgm');
  const read = performance.now() - readStart;
  const mb = pages.reduce((n, p) => n + p.byteLength, 0) / 1024 / 1024;
  console.log(
    `${label.padEnd(34)} write ${(mb / (wrote / 1000)).toFixed(0).padStart(5)} MB/s   read ${(mb / (read / 1000)).toFixed(0).padStart(5)} MB/s`,
  );
  return { wrote, read };
}

function dbRound(label: string, db: BetterSqlite3.Database) {
  const insert = db.prepare(
    `INSERT INTO dossiers (id, procedure_name, applicant_name, applicant_id_number, status, created_at, updated_at)
     VALUES (?, 'Đăng ký khai sinh', ?, ?, 'draft', 'now', 'now')`,
  );
  const start = performance.now();
  for (let i = 0; i < 2000; i++)
    db.transaction(() => insert.run(randomUUID(), `Nguyễn Văn ${i}`, String(1e11 + i)))();
  const ins = performance.now() - start;
  const qStart = performance.now();
  for (let i = 0; i < 200; i++)
    db.prepare('SELECT count(*) FROM dossier_search WHERE dossier_search MATCH ?').get(`nguyen ${i}`);
  const q = performance.now() - qStart;
  console.log(
    `${label.padEnd(34)} 2000 inserts ${ins.toFixed(0).padStart(6)} ms   200 searches ${q.toFixed(1).padStart(6)} ms`,
  );
  return { ins, q };
}

const gray = Array.from({ length: 4 }, () => randomBytes(2480 * 3508));
const colour = Array.from({ length: 2 }, () => randomBytes(2480 * 3508 * 3));
const key = randomBytes(32);
console.log('— blobs (scan pages) —');
const g1 = await blobRound('sealed, 4 gray A4 pages', new BlobStore(dir(), key), gray);
const g0 = await blobRound('clear,  4 gray A4 pages', new BlobStore(dir()), gray);
const c1 = await blobRound('sealed, 2 colour A4 pages', new BlobStore(dir(), key), colour);
const c0 = await blobRound('clear,  2 colour A4 pages', new BlobStore(dir()), colour);
console.log(
  `ratio sealed/clear: gray write ${(g1.wrote / g0.wrote).toFixed(2)} read ${(g1.read / g0.read).toFixed(2)}; colour write ${(c1.wrote / c0.wrote).toFixed(2)} read ${(c1.read / c0.read).toFixed(2)}`,
);

console.log('— database —');
const openStart = performance.now();
const encrypted = openStore(dir(), { key });
const openMs = performance.now() - openStart;
const plainDb = new BetterSqlite3(join(dir(), 'plain.db'));
plainDb.pragma('journal_mode = WAL');
plainDb.pragma('synchronous = FULL');
plainDb.pragma('secure_delete = ON');
plainDb.function('motcua_fold', { deterministic: true }, (t: unknown) => foldVietnamese(String(t ?? '')));
const plainOpen = performance.now();
migrate(plainDb, migrations);
const plainMigrate = performance.now() - plainOpen;
const e = dbRound('encrypted (SQLCipher)', encrypted.db);
const p = dbRound('plain SQLite', plainDb);
console.log(
  `open + migrate: encrypted ${openMs.toFixed(1)} ms (plain migrate ${plainMigrate.toFixed(1)} ms)`,
);
console.log(
  `ratio encrypted/plain: inserts ${(e.ins / p.ins).toFixed(2)}, searches ${(e.q / p.q).toFixed(2)}`,
);
encrypted.close();
plainDb.close();
