import { describe, expect, it } from 'vitest';
import { AuditLog } from '../../../electron/services/audit/audit-log';
import {
  formatDossierCode,
  parseDossierCode,
  vietnamDayStamp,
} from '../../../electron/services/dossier/dossier-code';
import { DossierCodeError } from '../../../electron/services/dossier/dossier-code-errors';
import { DossierCodeIssuer } from '../../../electron/services/dossier/dossier-code-issuer';
import { manualClock, scratchStores } from './helpers';

const newStore = scratchStores();

describe('dossier code format', () => {
  it('formats <agency>-<YYMMDD>-<NNNN>', () => {
    expect(
      formatDossierCode({ agencyCode: '000.17.22.H56', year: 2021, month: 5, day: 31, sequence: 1 }),
    ).toBe('000.17.22.H56-210531-0001');
  });

  it('parses real codes, province-first codes and sloppy input', () => {
    expect(parseDossierCode('000.00.14.H56-200203-0118')).toMatchObject({
      agencyCode: '000.00.14.H56',
      year: 2020,
      month: 2,
      day: 3,
      sequence: 118,
      code: '000.00.14.H56-200203-0118',
    });
    expect(parseDossierCode('H15.50.05.13-261008-0975')).toMatchObject({
      agencyCode: 'H15.50.05.13',
      sequence: 975,
    });
    for (const sloppy of [
      '  000.17.22.h56-210531-0001 ',
      '000.17.22.H56 – 210531 – 0001',
      '000.17.22.H56_210531_1',
      '000. 17.22.H56 210531 0001',
      '０００.17.22.H56-210531-0001',
    ]) {
      expect(parseDossierCode(sloppy)?.code, sloppy).toBe('000.17.22.H56-210531-0001');
    }
  });

  it('rejects what is not a code: bad dates, no sequence, zero, junk', () => {
    for (const bad of [
      '',
      '000.17.22.H56-210231-0001',
      '000.17.22.H56-211301-0001',
      '000.17.22.H56-210531',
      '000.17.22.H56-210531-0000',
      'H56-210531-0001',
      '000.17.22.H56-210531-0001-7',
      'Nguyễn Văn An',
    ]) {
      expect(parseDossierCode(bad), bad).toBeNull();
    }
  });

  it('dates codes on the Vietnam calendar whatever the machine TZ', () => {
    // 23:59 on 21/5 and 00:01 on 22/5 in Vietnam, which are both 21/5 in UTC.
    expect(vietnamDayStamp(new Date('2026-05-21T16:59:00Z'))).toBe('260521');
    expect(vietnamDayStamp(new Date('2026-05-21T17:01:00Z'))).toBe('260522');
  });
});

describe('DossierCodeIssuer', () => {
  function setup(start = '2026-05-22T01:00:00Z') {
    const store = newStore();
    const clock = manualClock(start);
    const audit = new AuditLog(store.db, clock);
    const issuer = new DossierCodeIssuer(store.db, { agencyCode: '000.17.22.h56', clock, audit });
    return { store, clock, audit, issuer };
  }

  it('issues from the desk slot, day by day, and audits each issue', () => {
    const { issuer, clock, audit } = setup();
    issuer.enrolDeskSlot(2, 3);
    expect(issuer.enrolDeskSlot(2, 3).first).toBe(2001); // idempotent
    const a = issuer.issue({ clerkId: 'c1', dossierId: 'd1' });
    const b = issuer.issue({ clerkId: 'c1' });
    expect([a.code, b.code]).toEqual(['000.17.22.H56-260522-2001', '000.17.22.H56-260522-2002']);
    // 17:00 UTC is 00:00 the next day in Vietnam: the sequence starts again.
    clock.set('2026-05-22T17:00:00Z');
    expect(issuer.issue({ clerkId: 'c1' }).code).toBe('000.17.22.H56-260523-2001');
    expect(audit.verify()).toMatchObject({ ok: true, entries: 3 });
    expect(audit.recent(3).map((e) => e.objects.code)).toEqual([
      '000.17.22.H56-260523-2001',
      '000.17.22.H56-260522-2002',
      '000.17.22.H56-260522-2001',
    ]);
  });

  it('refuses a second, different slot and bad slots', () => {
    const { issuer } = setup();
    expect(() => issuer.enrolDeskSlot(3, 3)).toThrowError(DossierCodeError);
    expect(() => issuer.enrolDeskSlot(0, 11)).toThrowError(DossierCodeError);
    issuer.enrolDeskSlot(1, 3);
    expect(() => issuer.enrolDeskSlot(0, 3)).toThrowError(/đã được ghi danh là bàn số 1/);
  });

  it('says so in Vietnamese when it has no range, and issues nothing', () => {
    const { issuer, store } = setup();
    expect(() => issuer.issue({ clerkId: 'c1' })).toThrowError(/chưa được cấp dải số hồ sơ/);
    expect(store.db.prepare('SELECT COUNT(*) FROM dossier_codes').pluck().get()).toBe(0);
  });

  it('moves on to ranges granted by sync, then stops with a clear error instead of a duplicate', () => {
    const { issuer } = setup();
    issuer.grantRange({ grantId: 'g-1', day: '260522', first: 5001, last: 5002 });
    issuer.grantRange({ grantId: 'g-2', day: '260522', first: 7001, last: 7001 });
    issuer.grantRange({ grantId: 'g-3', day: '260523', first: 6001, last: 6100 }); // another day: not usable
    expect(issuer.grantRange({ grantId: 'g-1', day: '260522', first: 5001, last: 5002 }).first).toBe(5001);
    expect(issuer.remainingToday()).toBe(3);
    const codes = [1, 2, 3].map(() => issuer.issue({ clerkId: 'c1' }).code);
    expect(codes).toEqual([
      '000.17.22.H56-260522-5001',
      '000.17.22.H56-260522-5002',
      '000.17.22.H56-260522-7001',
    ]);
    let error: unknown;
    try {
      issuer.issue({ clerkId: 'c1' });
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(DossierCodeError);
    expect((error as DossierCodeError).reason).toBe('range-exhausted');
    expect((error as Error).message).toContain('đã dùng hết dải số hồ sơ của ngày 22/05/2026');
    expect(issuer.issued('260522')).toHaveLength(3);
  });

  it('refuses overlapping or malformed grants', () => {
    const { issuer } = setup();
    issuer.enrolDeskSlot(0, 3);
    expect(() => issuer.grantRange({ grantId: 'g', day: '260522', first: 990, last: 1010 })).toThrowError(
      /trùng/,
    );
    issuer.grantRange({ grantId: 'g1', day: '260522', first: 5000, last: 5010 });
    expect(() => issuer.grantRange({ grantId: 'g2', day: '260522', first: 5010, last: 5020 })).toThrowError(
      DossierCodeError,
    );
    // The same numbers on another day do not overlap.
    issuer.grantRange({ grantId: 'g3', day: '260523', first: 5000, last: 5010 });
    expect(() => issuer.grantRange({ grantId: 'g1', day: '260522', first: 5000, last: 5011 })).toThrowError(
      DossierCodeError,
    );
    for (const bad of [
      { grantId: 'x', day: '260230', first: 1, last: 2 },
      { grantId: 'x', day: '260522', first: 0, last: 2 },
      { grantId: 'x', day: '260522', first: 9, last: 2 },
      { grantId: 'x', day: '260522', first: 9000, last: 10_000 },
    ]) {
      expect(() => issuer.grantRange(bad)).toThrowError(DossierCodeError);
    }
  });

  it('voids with a reason, never reuses the number, and rolls back with a failed use', () => {
    const { issuer, audit } = setup();
    issuer.enrolDeskSlot(0, 1);
    const first = issuer.issue({ clerkId: 'c1' });
    expect(() => issuer.void(first.code, { reason: '   ', clerkId: 'c1' })).toThrowError(/lý do/);
    const voided = issuer.void(first.code.toLowerCase(), { reason: 'In nhầm phiếu', clerkId: 'c2' });
    expect(voided).toMatchObject({ status: 'voided', voidReason: 'In nhầm phiếu', voidedBy: 'c2' });
    expect(() => issuer.void(first.code, { reason: 'lần nữa', clerkId: 'c2' })).toThrowError(/đã được hủy/);
    expect(() => issuer.void('000.17.22.H56-260522-0999', { reason: 'x', clerkId: 'c2' })).toThrowError(
      /chưa từng cấp/,
    );
    // A use that fails takes its code back with it: the next issue gets the same number.
    expect(() =>
      issuer.issue({
        clerkId: 'c1',
        recordUse: () => {
          throw new Error('dossier not saved');
        },
      }),
    ).toThrow('dossier not saved');
    expect(issuer.issue({ clerkId: 'c1' }).sequence).toBe(2);
    expect(issuer.get(first.code)?.status).toBe('voided');
    expect(audit.recent(10).map((e) => e.action)).toEqual([
      'dossier-code.issue',
      'dossier-code.void',
      'dossier-code.issue',
    ]);
  });

  it('refuses an agency code that is not one', () => {
    const store = newStore();
    expect(() => new DossierCodeIssuer(store.db, { agencyCode: 'UBND xã' })).toThrowError(DossierCodeError);
  });
});
