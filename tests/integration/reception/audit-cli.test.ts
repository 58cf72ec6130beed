import { spawnSync } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { AuditLog } from '../../../electron/services/audit/audit-log';
import { openStore } from '../../../electron/services/store/store';
import { createItAccount } from '../../support/cli-accounts';

const ROOT = join(import.meta.dirname, '..', '..', '..');

type Account = Awaited<ReturnType<typeof createItAccount>>;

/** `motcua audit verify` as the IT account; its sign-in is one more entry in the chain it then checks. */
function auditVerify(dataDir: string, account: Account, json = false) {
  const result = spawnSync(
    process.execPath,
    [join(ROOT, 'bin/motcua.mjs'), 'audit', 'verify', ...(json ? ['--json'] : []), ...account.args],
    { env: { ...process.env, MOTCUA_DATA_DIR: dataDir, ...account.env }, encoding: 'utf8' },
  );
  return { code: result.status, stdout: result.stdout, stderr: result.stderr };
}

function withStore<T>(dataDir: string, work: (store: ReturnType<typeof openStore>) => T): T {
  const store = openStore(dataDir);
  try {
    return work(store);
  } finally {
    store.close();
  }
}

describe('motcua audit verify', () => {
  it('exits 0 on an intact chain and 1 naming the first broken entry', async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'motcua-audit-cli-'));
    const ids = withStore(dataDir, (store) => {
      const audit = new AuditLog(store.db);
      return Array.from(
        { length: 4 },
        (_, i) =>
          audit.append({ clerkId: 'clerk-1', action: 'dossier.receive', objects: { dossierId: `d-${i}` } })
            .id,
      );
    });

    // Entries 5 and 6: the first admin and the IT account; each run below adds its sign-in before it checks.
    const account = await createItAccount(dataDir);
    const ok = auditVerify(dataDir, account);
    expect(ok.code, ok.stderr).toBe(0);
    expect(ok.stdout).toContain('Nhật ký thao tác nguyên vẹn: 7 bản ghi');
    expect(JSON.parse(auditVerify(dataDir, account, true).stdout)).toMatchObject({
      ok: true,
      entries: 8,
      headSeq: 8,
    });

    withStore(dataDir, (store) =>
      store.db.prepare(`UPDATE audit_log SET objects = '{"dossierId":"d-x"}' WHERE seq = 3`).run(),
    );
    const tampered = auditVerify(dataDir, account);
    expect(tampered.code).toBe(1);
    expect(tampered.stderr).toContain(`tại bản ghi số 3 (mã ${ids[2]}): nội dung bản ghi đã bị sửa`);
    const json = auditVerify(dataDir, account, true);
    expect(json.code).toBe(1);
    expect(JSON.parse(json.stdout)).toMatchObject({
      ok: false,
      firstBad: { seq: 3, id: ids[2], reason: 'content' },
    });

    withStore(dataDir, (store) =>
      store.db.prepare('DELETE FROM audit_log WHERE seq >= 2 AND seq <= 3').run(),
    );
    const deleted = auditVerify(dataDir, account);
    expect(deleted.code).toBe(1);
    expect(deleted.stderr).toContain(`tại bản ghi số 4 (mã ${ids[3]}): thiếu bản ghi số 2`);
  });

  it('exits 1 when entries were reordered', async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'motcua-audit-cli-'));
    withStore(dataDir, (store) => {
      const audit = new AuditLog(store.db);
      for (let i = 0; i < 3; i += 1) audit.append({ clerkId: 'clerk-1', action: 'dossier.receive' });
      store.db.transaction(() => {
        store.db.prepare('UPDATE audit_log SET seq = 0 WHERE seq = 1').run();
        store.db.prepare('UPDATE audit_log SET seq = 1 WHERE seq = 2').run();
        store.db.prepare('UPDATE audit_log SET seq = 2 WHERE seq = 0').run();
      })();
    });
    const reordered = auditVerify(dataDir, await createItAccount(dataDir));
    expect(reordered.code).toBe(1);
    expect(reordered.stderr).toContain('tại bản ghi số 1');
  });
});
