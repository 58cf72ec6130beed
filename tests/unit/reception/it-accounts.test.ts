import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import BetterSqlite3 from 'better-sqlite3';
import { afterEach, describe, expect, it } from 'vitest';
import { vi } from '../../../electron/api/i18n';
import { Desk } from '../../../electron/services/desk/desk';
import { silentLogger } from '../../../electron/services/logging/logger';
import { migrate } from '../../../electron/services/store/migrate';
import { migrations } from '../../../electron/services/store/migrations';
import { value } from '../../support/desk-call';

/** The `it` role (issue #16) through the desk's gate: desk operations yes, dossiers never; real SQLite and scrypt. */
const opened: { desk: Desk; dir: string }[] = [];
afterEach(async () => {
  for (const { desk, dir } of opened.splice(0)) {
    await desk.close();
    rmSync(dir, { recursive: true, force: true });
  }
});

function openDesk(dir = mkdtempSync(join(tmpdir(), 'motcua-it-'))) {
  const desk = new Desk({ dataDir: dir, networkPollMs: 0, logger: silentLogger, background: false });
  opened.push({ desk, dir });
  return desk;
}

describe('IT accounts', () => {
  it('reach desk operations and the sync queue, never a dossier; clerks do not reach desk operations', async () => {
    const desk = openDesk();
    await value(desk.call('setupFirstAdmin', { name: 'Nguyễn Văn An', pin: '2468' }));
    const it = await value(desk.call('createClerk', { name: 'Phạm Minh Đức', pin: '1357', role: 'it' }));
    const clerk = await value(
      desk.call('createClerk', { name: 'Trần Thị Bích', pin: '9753', role: 'clerk' }),
    );
    expect(it.role).toBe('it');

    await value(desk.call('signIn', { clerkId: it.id, pin: '1357' }));
    expect(await value(desk.call('getSyncState', undefined))).toMatchObject({ enrolled: false, pending: 0 });
    expect(await value(desk.call('verifyAuditLog', undefined))).toMatchObject({ ok: true });
    expect(await value(desk.call('purgeExpired', { dryRun: true }))).toMatchObject({
      dryRun: true,
      dossiers: 0,
    });
    expect(await value(desk.call('prefillReport', {}))).toEqual([]);
    for (const refused of [
      desk.call('listDossiers', {}),
      desk.call('searchDocuments', { query: 'Nhung' }),
      desk.call('startReception', { procedureCode: '1.001193', applicant: { fullName: 'A', idNumber: '1' } }),
      desk.call('createClerk', { name: 'Ai Đó', pin: '1111', role: 'admin' }),
    ])
      expect((await refused).ok).toBe(false);
    const dossiers = await desk.call('listDossiers', {});
    expect(dossiers).toEqual({ ok: false, error: { code: 'forbidden', message: vi.gate.clerkWorkOnly } });

    await value(desk.call('signIn', { clerkId: clerk.id, pin: '9753' }));
    expect(await value(desk.call('listDossiers', {}))).toEqual([]);
    expect(await desk.call('purgeExpired', { dryRun: true })).toEqual({
      ok: false,
      error: { code: 'forbidden', message: vi.gate.itWorkOnly },
    });
  });

  it('migration 013 keeps the clerks of a desk from before IT accounts', () => {
    // A database at schema 12 (before IT accounts) with a clerk who is mid-backoff, then the 013 rebuild.
    const db = new BetterSqlite3(':memory:');
    db.function('motcua_fold', { deterministic: true }, (text: unknown) => String(text ?? ''));
    migrate(db, migrations.slice(0, 12));
    db.prepare(
      `INSERT INTO clerks (id, name, role, pin_hash, failed_attempts, created_at, next_attempt_at, lockouts)
       VALUES ('c1', 'Nguyễn Văn An', 'admin', 'scrypt$x', 2, '2026-12-01T00:00:00Z', '2026-12-01T00:00:05Z', 1)`,
    ).run();
    migrate(db, migrations.slice(0, 13));
    expect(db.prepare('SELECT * FROM clerks').all()).toEqual([
      expect.objectContaining({ id: 'c1', role: 'admin', failed_attempts: 2, lockouts: 1 }),
    ]);
    db.prepare(
      `INSERT INTO clerks (id, name, role, pin_hash, created_at) VALUES ('c2', 'IT', 'it', 'scrypt$y', 'now')`,
    ).run();
    db.close();
  });
});
