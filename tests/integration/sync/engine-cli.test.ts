/** `motcua enroll`, `motcua queue --json`, `motcua sync --once --json`, `motcua sync`: the real CLI as a process. */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createItAccount } from '../../support/cli-accounts';
import {
  arrivalProblems,
  issueEnrolCode,
  lastJson,
  outboxRows,
  type QueuedDossier,
  queueDossiers,
  runMotcua,
  type SyncTestServer,
  startSyncServer,
} from '../../support/sync-fixtures';

let server: SyncTestServer;
let dataDir: string;
let queued: QueuedDossier[];
let account: Awaited<ReturnType<typeof createItAccount>>;
/** Every command here changes the desk's data or reads its queue: the IT account signs in (issue #16). */
const asIt = (args: string[]) => runMotcua([...args, ...account.args], dataDir, { env: account.env });

beforeAll(async () => {
  server = await startSyncServer();
  dataDir = mkdtempSync(join(tmpdir(), 'motcua-sync-cli-'));
  queued = await queueDossiers(dataDir, 2, { pages: 2, components: 2, pageSize: 'small', seed: 21 });
  account = await createItAccount(dataDir);
});

afterAll(async () => {
  await server?.stop();
  rmSync(dataDir, { recursive: true, force: true });
});

describe('motcua enroll / queue / sync', () => {
  it('refuses to sync before enrolment with a Vietnamese message and exit 1', {
    timeout: 60_000,
  }, async () => {
    const result = await asIt(['sync', '--once']);
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(/chưa được đăng ký/);
  });

  // Eight CLI processes: generous for a loaded 2-core machine.
  it('enrols, shows the queue, sends it once, and drains', { timeout: 240_000 }, async () => {
    const usage = await asIt(['enroll', '--server', server.url]);
    expect(usage.code).toBe(2);

    const bad = await asIt(['enroll', '--server', server.url, '--code', 'KHONG-DUNG-MA', '--json']);
    expect(bad.code).toBe(1);
    expect(bad.stderr).toMatch(/Mã đăng ký không đúng/);

    const code = await issueEnrolCode(server);
    const enrolled = await asIt(['enroll', '--server', server.url, '--code', code, '--json']);
    expect(enrolled.code).toBe(0);
    expect(lastJson(enrolled.stdout)).toMatchObject({ ok: true, agencyCode: '000.17.22.H56' });
    // The desk now issues codes for the agency the province named and probes the server it enrolled with.
    expect(JSON.parse(readFileSync(join(dataDir, 'config.json'), 'utf8'))).toMatchObject({
      agencyCode: '000.17.22.H56',
      provincialServerUrl: server.url,
    });

    const queue = await asIt(['queue', '--json']);
    expect(queue.code).toBe(0);
    const before = lastJson<Record<string, unknown>>(queue.stdout);
    expect(before).toMatchObject({
      pending: 2,
      parked: 0,
      enrolled: true,
      lastSuccessAt: null,
      lastError: null,
    });
    expect(before.bytesPending).toBe(queued.flatMap((d) => d.files).reduce((s, f) => s + f.bytes, 0));

    const once = await asIt(['sync', '--once', '--json']);
    expect(once.code).toBe(0);
    const report = lastJson<{ ok: boolean; report: { pushed: number }; state: { pending: number } }>(
      once.stdout,
    );
    expect(report).toMatchObject({ ok: true, report: { pushed: 2 }, state: { pending: 0 } });
    expect(await arrivalProblems(server, queued)).toEqual([]);
    expect(outboxRows(dataDir).map((r) => r.status)).toEqual(['done', 'done']);

    const drained = await asIt(['sync']);
    expect(drained.code).toBe(0);
    expect(drained.stdout).toMatch(/Đã gửi hết hồ sơ lên tỉnh/);

    const after = lastJson<Record<string, unknown>>((await asIt(['queue', '--json'])).stdout);
    expect(after).toMatchObject({ pending: 0, bytesPending: 0, parked: 0, lastError: null });
    expect(after.lastSuccessAt).toEqual(expect.any(String));
  });
});
