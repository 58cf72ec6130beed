/**
 * Reception building blocks, each against a peer measured in the same run on the same machine:
 *  - issuing a dossier code (range lookup + insert + audit entry, one durable transaction) vs the cheapest
 *    durable write: a one-row INSERT in its own transaction (WAL, synchronous FULL);
 *  - verifying the audit chain vs only reading the same rows;
 *  - catalog search over 2,000 procedures vs reading them with a plain SELECT;
 *  - rendering a receipt (A5, QR, table) vs a one-line PDF with the same two embedded font subsets.
 * Run: npx tsx tests/bench/reception.bench.ts
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { AuditLog, verifyAuditChain } from '../../electron/services/audit';
import { ProcedureCatalog } from '../../electron/services/catalog';
import { vietnamDayStamp } from '../../electron/services/dossier/dossier-code';
import { DossierCodeIssuer } from '../../electron/services/dossier/dossier-code-issuer';
import { FormLayout, renderReceipt } from '../../electron/services/forms';
import { openStore } from '../../electron/services/store/store';

async function time<T>(label: string, runs: number, work: (i: number) => T | Promise<T>): Promise<number> {
  await work(-1); // warm-up
  const start = performance.now();
  for (let i = 0; i < runs; i += 1) await work(i);
  const ms = (performance.now() - start) / runs;
  console.log(`${label.padEnd(58)} ${ms.toFixed(3).padStart(9)} ms/op (${runs} runs)`);
  return ms;
}

const ratio = (label: string, ours: number, peer: number) =>
  console.log(`  → ${label}: ${(ours / peer).toFixed(2)}× the peer\n`);

const dir = mkdtempSync(join(tmpdir(), 'motcua-bench-reception-'));
const store = openStore(dir);
const { db } = store;
try {
  // 1. Codes.
  db.exec('CREATE TABLE bench_peer (id INTEGER PRIMARY KEY, v TEXT)');
  const peerInsert = db.prepare('INSERT INTO bench_peer (v) VALUES (?)');
  const audit = new AuditLog(db);
  const issuer = new DossierCodeIssuer(db, { agencyCode: '000.17.22.H56', audit });
  const today = vietnamDayStamp(new Date());
  for (let d = 0; d < 10; d += 1)
    issuer.grantRange({ grantId: `g${d}`, day: today, first: 1 + d * 900, last: 900 + d * 900 });
  // Interleaved, one of each per round, so both meet the same disk weather (fsync time drifts with load).
  let peer = 0;
  let issue = 0;
  const rounds = 2000;
  for (let i = 0; i < rounds; i += 1) {
    const t0 = performance.now();
    db.transaction(() => peerInsert.run(`row ${i}`)).immediate();
    const t1 = performance.now();
    issuer.issue({ clerkId: 'bench' });
    const t2 = performance.now();
    peer += t1 - t0;
    issue += t2 - t1;
  }
  peer /= rounds;
  issue /= rounds;
  console.log(
    `${'peer: one-row INSERT, own transaction'.padEnd(58)} ${peer.toFixed(3).padStart(9)} ms/op (${rounds} runs)`,
  );
  console.log(
    `${'ours: issue a dossier code + audit entry'.padEnd(58)} ${issue.toFixed(3).padStart(9)} ms/op (${rounds} runs)`,
  );
  ratio('code issue', issue, peer);

  // 2. Audit verification (the chain now holds one entry per code issued above).
  const entries = db.prepare('SELECT COUNT(*) FROM audit_log').pluck().get() as number;
  const read = await time(`peer: read ${entries} audit rows`, 5, () =>
    db.prepare('SELECT * FROM audit_log ORDER BY seq').all(),
  );
  const verify = await time(`ours: verify a chain of ${entries} entries`, 5, () => {
    if (!verifyAuditChain(db).ok) throw new Error('chain broken');
  });
  ratio('audit verify', verify, read);

  // 3. Catalog search.
  const catalog = new ProcedureCatalog(db);
  const words = ['đăng ký', 'cấp', 'xác nhận', 'chứng thực', 'thay đổi', 'cải chính', 'giấy phép', 'hỗ trợ'];
  const objects = [
    'khai sinh',
    'kết hôn',
    'hộ kinh doanh',
    'đất đai',
    'cư trú',
    'giám hộ',
    'nuôi con nuôi',
    'bảo trợ xã hội',
  ];
  catalog.importFeed({
    source: 'bench',
    procedures: Array.from({ length: 2000 }, (_, i) => ({
      code: `1.${String(100000 + i).padStart(6, '0')}`,
      version: 'v1',
      effectiveFrom: '2025-07-01',
      name: `${words[i % words.length]} ${objects[(i >> 3) % objects.length]} trường hợp ${i}`,
      field: { name: 'Lĩnh vực thử' },
      level: 'commune',
      processingTime: { amount: 3, unit: 'working-days' },
      components: [{ code: 'TP1', name: 'Tờ khai', originals: 1, copies: 0 }],
    })),
  });
  const select = await time('peer: SELECT the 2,000 catalog rows', 50, () =>
    db.prepare('SELECT code, name, search_text FROM catalog_procedures').all(),
  );
  const search = await time('ours: search "dang ky ket hon" (in force today)', 50, () =>
    catalog.search('dang ky ket hon', { on: '2026-05-22' }),
  );
  ratio('catalog search', search, select);

  // 4. Receipt rendering.
  const baseline = await time('peer: one-line A5 PDF with both font subsets', 20, async () => {
    const layout = await FormLayout.create({ size: 'A5', margin: 28, fontSize: 10 });
    layout.paragraph([{ text: 'Giấy tiếp nhận hồ sơ', bold: true }, { text: 'và hẹn trả kết quả' }]);
    return layout.save();
  });
  const receipt = await time('ours: receipt (header, QR, 6 components, signatures)', 20, () =>
    renderReceipt({
      agencyName: 'UBND xã Quảng Phú',
      place: 'Quảng Phú',
      dossierCode: '000.17.22.H56-260522-0001',
      applicant: { name: 'Lê Thị Hồng Nhung', address: 'Thôn Đông Hải, xã Quảng Phú, tỉnh Thanh Hóa' },
      procedure: {
        code: '1.001193',
        name: 'Đăng ký khai sinh',
        processingTime: { amount: 1, unit: 'working-days' },
      },
      components: Array.from({ length: 6 }, (_, i) => ({
        name: `Thành phần hồ sơ số ${i + 1}`,
        originals: 1,
        copies: 1,
      })),
      receivedAt: new Date('2026-05-22T02:15:00Z'),
      dueAt: new Date('2026-05-25T02:15:00Z'),
      collectAt: 'Bộ phận Một cửa UBND xã Quảng Phú',
      officer: { name: 'Trần Văn Đức' },
    }),
  );
  ratio('receipt render', receipt, baseline);
} finally {
  store.close();
  rmSync(dir, { recursive: true, force: true });
}
