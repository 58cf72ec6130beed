import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import BetterSqlite3 from 'better-sqlite3';
import { afterEach, describe, expect, it } from 'vitest';
import { vi } from '../../../electron/api/i18n';
import { Desk } from '../../../electron/services/desk/desk';
import { silentLogger } from '../../../electron/services/logging/logger';
import { resolveDataKey } from '../../../electron/services/store/data-key';
import { DATABASE_FILE_NAME } from '../../../electron/services/store/store';
import { applyDatabaseKey } from '../../../electron/services/store/subkeys';
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

  it('migration 012 keeps the clerks of a desk from before IT accounts', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'motcua-it-'));
    const first = openDesk(dir);
    const admin = await value(first.call('setupFirstAdmin', { name: 'Nguyễn Văn An', pin: '2468' }));
    await first.close();
    opened.pop();
    // As the desk was at schema 11: the clerks table rebuilt by 012 runs again over the same rows.
    const db = new BetterSqlite3(join(dir, DATABASE_FILE_NAME));
    applyDatabaseKey(db, resolveDataKey(dir).key);
    db.pragma('user_version = 11');
    db.close();
    const again = openDesk(dir);
    expect(await value(again.call('listClerks', undefined))).toEqual([admin.clerk]);
    expect(
      (await value(again.call('signIn', { clerkId: admin.clerk?.id ?? '', pin: '2468' }))).clerk,
    ).toEqual(admin.clerk);
  });
});
