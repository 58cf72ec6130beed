/**
 * Search benchmark (npm run bench:search): 100,000 dossiers in the real store, searched the way the clerk
 * types (without diacritics), through the FTS5 index vs a peer measured in the same run: a LIKE scan over a
 * folded copy of the same text (what the desk did before the index). Prints a table; asserts nothing.
 */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DossierRepository } from '../../electron/services/dossier/dossier-repository';
import { openStore } from '../../electron/services/store/store';
import { foldVietnamese } from '../../electron/services/text/fold';

const COUNT = Number(process.env.BENCH_DOSSIERS ?? 100_000);
const FAMILY = [
  'Nguyễn',
  'Trần',
  'Lê',
  'Phạm',
  'Hoàng',
  'Vũ',
  'Đặng',
  'Bùi',
  'Đỗ',
  'Hồ',
  'Ngô',
  'Dương',
  'Lý',
];
const MIDDLE = ['Văn', 'Thị', 'Đức', 'Minh', 'Ngọc', 'Quốc', 'Thanh', 'Hữu', 'Xuân', 'Thu'];
const GIVEN = [
  'An',
  'Bình',
  'Chi',
  'Dũng',
  'Hà',
  'Hạnh',
  'Hùng',
  'Lan',
  'Long',
  'Mai',
  'Nam',
  'Phúc',
  'Quang',
  'Tâm',
  'Tuyết',
  'Vinh',
];
const PROCEDURES = [
  'Đăng ký khai sinh',
  'Đăng ký kết hôn',
  'Đăng ký khai tử',
  'Chứng thực bản sao từ bản chính',
  'Xác nhận thông tin về cư trú',
  'Xác nhận tình trạng hôn nhân',
];
const pick = <T>(xs: T[], i: number) => xs[i % xs.length] as T;

const store = openStore(mkdtempSync(join(tmpdir(), 'bench-search-')));
const repo = new DossierRepository(store);
let t0 = performance.now();
store.db.transaction(() => {
  for (let i = 0; i < COUNT; i++) {
    repo.create({
      procedureName: pick(PROCEDURES, i * 7),
      applicantName: `${pick(FAMILY, i)} ${pick(MIDDLE, i * 3)} ${pick(GIVEN, i * 11)} ${i}`,
    });
  }
})();
const loadMs = performance.now() - t0;

// The peer: the same text folded into a plain column, searched with LIKE '%…%' (a full scan).
store.db.exec('CREATE TEMP TABLE plain (id TEXT, created_at TEXT, folded TEXT)');
store.db
  .prepare(
    "INSERT INTO plain SELECT id, created_at, motcua_fold(procedure_name || ' ' || applicant_name) FROM dossiers",
  )
  .run();
const like = store.db.prepare(
  `SELECT d.* FROM plain p JOIN dossiers d ON d.id = p.id WHERE p.folded LIKE ? ORDER BY p.created_at DESC LIMIT 200`,
);

const queries = ['nguyen van an', 'dang thi', 'tuyet', 'ket hon vu', 'xac nhan cu tru hoang', 'lan 4242'];
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)] as number;
const time = (run: () => unknown, rounds = 15) => {
  const samples: number[] = [];
  for (let r = 0; r < rounds; r++) {
    t0 = performance.now();
    run();
    samples.push(performance.now() - t0);
  }
  return median(samples);
};

console.log(
  `search bench — ${COUNT.toLocaleString('en')} dossiers (insert with index: ${Math.round(loadMs)} ms)`,
);
console.log('  query                      hits   FTS5 ms   LIKE ms   LIKE/FTS');
for (const q of queries) {
  const hits = repo.list({ query: q, limit: 200 }).length;
  const likeHits = like.all(`%${foldVietnamese(q).split(' ').join('%')}%`).length;
  const fts = time(() => repo.list({ query: q, limit: 200 }));
  const scan = time(() => like.all(`%${foldVietnamese(q).split(' ').join('%')}%`), 5);
  console.log(
    `  ${q.padEnd(26)} ${String(hits).padStart(4)}/${String(likeHits).padEnd(4)} ${fts.toFixed(2).padStart(7)} ${scan.toFixed(2).padStart(9)} ${(scan / fts).toFixed(1).padStart(9)}×`,
  );
}
store.close();
