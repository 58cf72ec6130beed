import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { DeskCallName, DeskCalls } from '../../../electron/api/desk-api';
import { hashPin, verifyPin } from '../../../electron/services/clerks/pin';
import { Desk } from '../../../electron/services/desk/desk';
import { silentLogger } from '../../../electron/services/logging/logger';
import { value } from '../../support/desk-call';

/** Clerk sign-in, lockout, idle lock and roles through the desk API: real SQLite, real scrypt, a hand-moved clock. */
const opened: { desk: Desk; dir: string }[] = [];
afterEach(async () => {
  for (const { desk, dir } of opened.splice(0)) {
    await desk.close();
    rmSync(dir, { recursive: true, force: true });
  }
});

function openDesk(security: Record<string, number> = {}) {
  const dir = mkdtempSync(join(tmpdir(), 'motcua-clerks-'));
  writeFileSync(join(dir, 'config.json'), JSON.stringify({ security }));
  // 14:00 in Vietnam, so the lockout's end reads 14:05.
  let now = Date.parse('2026-05-20T07:00:00Z');
  const clock = Object.assign(() => new Date(now), { advance: (ms: number) => (now += ms) });
  const desk = new Desk({ dataDir: dir, networkPollMs: 0, clock, logger: silentLogger });
  opened.push({ desk, dir });
  return { desk, clock, dir };
}

async function failure<K extends DeskCallName>(desk: Desk, name: K, input: DeskCalls[K]['input']) {
  const result = await desk.call(name, input);
  if (result.ok) throw new Error(`${name} succeeded`);
  return result.error;
}

describe('PIN hashing', () => {
  it('stores scrypt parameters and salt with the hash; the same PIN hashes differently each time', async () => {
    const a = await hashPin('123456');
    const b = await hashPin('123456');
    expect(a).toMatch(/^scrypt\$32768\$8\$1\$[A-Za-z0-9+/]{22}==\$[A-Za-z0-9+/]{43}=$/);
    expect(a).not.toBe(b);
    expect(await verifyPin('123456', a)).toBe(true);
    expect(await verifyPin('123457', a)).toBe(false);
    expect(await verifyPin('123456', 'scrypt$0$8$1$x$y')).toBe(false);
  });
});

describe('clerks and the desk session', () => {
  it('creates the first admin once, with a PIN of 4–8 digits', async () => {
    const { desk } = openDesk();
    const short = await failure(desk, 'setupFirstAdmin', { name: 'Nguyễn Văn An', pin: '12a' });
    expect(short).toEqual({ code: 'invalid-input', message: 'Mã PIN phải gồm từ 4 đến 8 chữ số.' });
    const session = await value(desk.call('setupFirstAdmin', { name: 'Nguyễn Văn An', pin: '2468' }));
    expect(session).toMatchObject({ clerk: { name: 'Nguyễn Văn An', role: 'admin' }, needsSetup: false });
    const again = await failure(desk, 'setupFirstAdmin', { name: 'Kẻ Khác', pin: '1111' });
    expect(again.code).toBe('conflict');
  });

  it('admins create clerks; clerks cannot; the PIN never reaches the database or the audit log', async () => {
    const { desk } = openDesk();
    await value(desk.call('setupFirstAdmin', { name: 'Nguyễn Văn An', pin: '2468' }));
    const clerk = await value(
      desk.call('createClerk', { name: 'Trần Thị Bích', pin: '97531', role: 'clerk' }),
    );
    expect((await value(desk.call('listClerks', null))).map((c) => c.name)).toEqual([
      'Nguyễn Văn An',
      'Trần Thị Bích',
    ]);
    await value(desk.call('signIn', { clerkId: clerk.id, pin: '97531' }));
    const denied = await failure(desk, 'createClerk', { name: 'Ai Đó', pin: '1234', role: 'admin' });
    expect(denied).toEqual({
      code: 'forbidden',
      message: 'Chỉ quản trị viên của bàn mới làm được thao tác này.',
    });
    const rows = desk.store.db.prepare('SELECT * FROM clerks').all() as Record<string, unknown>[];
    expect(rows).toHaveLength(2);
    for (const row of rows) expect(String(row.pin_hash)).toMatch(/^scrypt\$/);
    expect(JSON.stringify(rows)).not.toMatch(/97531|2468/);
    const audit = desk.reception.audit.recent(20).map(({ clerkId, action, objects, details }) => ({
      clerkId,
      action,
      objects,
      details,
    }));
    expect(audit.map((e) => e.action)).toEqual([
      'session.replaced',
      'session.sign-in',
      'clerk.create',
      'clerk.setup-first-admin',
    ]);
    expect(JSON.stringify(audit)).not.toMatch(/97531|2468|Trần|Nguyễn/);
  });

  it('answers no data call before sign-in or while locked; only an admin or IT account enrols the desk', async () => {
    const { desk, clock } = openDesk({ idleLockMinutes: 5 });
    for (const [name, input] of [
      ['listDossiers', {}],
      ['listScanners', null],
      ['searchDocuments', { query: 'nguyen' }],
      ['getSyncState', null],
    ] as const) {
      expect(await failure(desk, name, input as never)).toEqual({
        code: 'forbidden',
        message: 'Hãy đăng nhập bằng tài khoản cán bộ trước khi làm việc.',
      });
    }
    await value(desk.call('getStatus', null));
    await value(desk.call('setupFirstAdmin', { name: 'Nguyễn Văn An', pin: '2468' }));
    await value(desk.call('listDossiers', {}));
    const clerk = await value(
      desk.call('createClerk', { name: 'Trần Thị Bích', pin: '97531', role: 'clerk' }),
    );
    await value(desk.call('signIn', { clerkId: clerk.id, pin: '97531' }));
    const enrol = { serverUrl: 'https://127.0.0.1:1/', code: 'ABCD-EFGH' };
    // Enrolment is desk operations: an admin or an IT account (issue #16), not a clerk.
    expect((await failure(desk, 'enrolDesk', enrol)).message).toBe(
      'Việc này chỉ dành cho tài khoản CNTT hoặc quản trị viên.',
    );
    // A list reloaded on a background event is not the clerk at work: it does not hold the idle lock off.
    clock.advance(4 * 60_000);
    await value(desk.call('listDossiers', {}));
    clock.advance(2 * 60_000);
    expect((await failure(desk, 'listDossiers', {})).message).toBe(
      'Phiên làm việc đã tạm khóa do lâu không thao tác. Hãy nhập lại mã PIN.',
    );
  });

  it('counts wrong PINs down, locks for 5 minutes after the fifth, and audits by clerk id only', async () => {
    const { desk, clock } = openDesk();
    const { clerk } = await value(desk.call('setupFirstAdmin', { name: 'Nguyễn Văn An', pin: '2468' }));
    const id = clerk?.id ?? '';
    await value(desk.call('signOut', null));
    for (let left = 4; left >= 1; left--) {
      const wrong = await failure(desk, 'signIn', { clerkId: id, pin: '0000' });
      expect(wrong).toEqual({ code: 'invalid-input', message: `Mã PIN không đúng. Còn ${left} lần thử.` });
      // The backoff doubles with each wrong PIN (1, 2, 4, 8 s): the next try comes right after it.
      const backoff = 1000 * 2 ** (4 - left);
      clock.advance(backoff - 1);
      expect((await failure(desk, 'signIn', { clerkId: id, pin: '2468' })).message).toMatch(
        /Vui lòng đợi 1 giây/,
      );
      clock.advance(1);
    }
    const locked = await failure(desk, 'signIn', { clerkId: id, pin: '0000' });
    expect(locked).toEqual({
      code: 'forbidden',
      message: 'Đã nhập sai mã PIN quá nhiều lần. Tài khoản tạm khóa đến 14:05.',
    });
    // Even the right PIN waits out the lockout.
    expect((await failure(desk, 'signIn', { clerkId: id, pin: '2468' })).code).toBe('forbidden');
    clock.advance(5 * 60_000);
    expect((await value(desk.call('signIn', { clerkId: id, pin: '2468' }))).clerk?.id).toBe(id);
    const entries = desk.reception.audit.recent(20);
    expect(entries.filter((e) => e.action === 'session.wrong-pin')).toHaveLength(4);
    expect(entries.filter((e) => e.action === 'session.locked-out')).toHaveLength(1);
    expect(entries.every((e) => e.clerkId === id)).toBe(true);
    const facts = entries.map(({ clerkId, action, objects, details }) => ({
      clerkId,
      action,
      objects,
      details,
    }));
    expect(JSON.stringify(facts)).not.toMatch(/2468|0000|Nguyễn/);
  });

  it('holds the lockout under a burst of parallel sign-ins: at most 5 PINs are ever evaluated', async () => {
    const { desk } = openDesk();
    const { clerk } = await value(desk.call('setupFirstAdmin', { name: 'Nguyễn Văn An', pin: '2468' }));
    const id = clerk?.id ?? '';
    await value(desk.call('signOut', null));
    const pins = Array.from({ length: 40 }, (_, i) => (i === 39 ? '2468' : String(1000 + i)));
    const answers = await Promise.all(pins.map((pin) => desk.call('signIn', { clerkId: id, pin })));
    expect(answers.filter((a) => a.ok)).toHaveLength(0);
    const evaluated = desk.reception.audit
      .recent(100)
      .filter((e) => ['session.wrong-pin', 'session.locked-out', 'session.sign-in'].includes(e.action));
    expect(evaluated.length).toBeGreaterThanOrEqual(1);
    expect(evaluated.length).toBeLessThanOrEqual(5);
    expect((await value(desk.call('getSession', null))).clerk).toBeNull();
  });

  it('locks out for twice as long on each repeated lockout, and a good PIN resets it', async () => {
    const { desk, clock } = openDesk();
    const { clerk } = await value(desk.call('setupFirstAdmin', { name: 'Nguyễn Văn An', pin: '2468' }));
    const id = clerk?.id ?? '';
    await value(desk.call('signOut', null));
    const lockOut = async () => {
      for (let i = 0; i < 5; i++) {
        await failure(desk, 'signIn', { clerkId: id, pin: '0000' });
        clock.advance(30_000);
      }
    };
    await lockOut();
    clock.advance(5 * 60_000);
    await lockOut();
    // The second lockout lasts 10 minutes: 5 are not enough.
    clock.advance(5 * 60_000);
    expect((await failure(desk, 'signIn', { clerkId: id, pin: '2468' })).message).toMatch(/tạm khóa/);
    clock.advance(5 * 60_000);
    expect((await value(desk.call('signIn', { clerkId: id, pin: '2468' }))).clerk?.id).toBe(id);
  });

  it('locks after the idle time; only the same PIN reopens it; any call refreshes the timer', async () => {
    const { desk, clock } = openDesk({ idleLockMinutes: 2 });
    const { clerk } = await value(desk.call('setupFirstAdmin', { name: 'Nguyễn Văn An', pin: '2468' }));
    clock.advance(90_000);
    await value(desk.call('searchProcedures', { query: 'khai sinh' }));
    clock.advance(90_000);
    // 3 minutes since sign-in but only 1.5 since the last call: still open.
    expect((await value(desk.call('getSession', null))).locked).toBe(false);
    clock.advance(30_000);
    expect(await value(desk.call('getSession', null))).toMatchObject({
      clerk: null,
      locked: true,
      idleLockSeconds: 120,
      lockedClerk: { id: clerk?.id, name: 'Nguyễn Văn An', role: 'admin' },
    });
    const refused = await failure(desk, 'searchProcedures', { query: 'khai sinh' });
    expect(refused.code).toBe('forbidden');
    expect(refused.message).toMatch(/tạm khóa/);
    await value(desk.call('signIn', { clerkId: clerk?.id ?? '', pin: '2468' }));
    expect((await value(desk.call('searchProcedures', { query: 'khai sinh' })))[0]?.code).toBe('1.001193');
    await value(desk.call('lockSession', null));
    expect(
      (
        await failure(desk, 'startReception', {
          procedureCode: '1.001193',
          applicant: { fullName: 'Lê Thị Hồng Nhung', idNumber: '038192004517' },
        })
      ).code,
    ).toBe('forbidden');
    const actions = desk.reception.audit.recent(20).map((e) => e.action);
    expect(actions).toEqual(expect.arrayContaining(['session.idle-lock', 'session.unlock', 'session.lock']));
  });
});
