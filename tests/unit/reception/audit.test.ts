import { describe, expect, it } from 'vitest';
import {
  type AuditEntry,
  AuditError,
  AuditLog,
  canonicalJson,
  entryHash,
  verifyAuditChain,
} from '../../../electron/services/audit';
import { manualClock, scratchStores } from './helpers';

const newStore = scratchStores();

function logWithEntries(count: number) {
  const store = newStore();
  const audit = new AuditLog(store.db, manualClock('2026-05-22T02:00:00Z'));
  const entries = Array.from({ length: count }, (_, i) =>
    audit.append({
      clerkId: `clerk-${i % 2}`,
      action: 'dossier-code.issue',
      objects: { code: `000.17.22.H56-260522-${String(i + 1).padStart(4, '0')}` },
      details: { attempt: i, reused: i % 3 === 0 },
    }),
  );
  return { store, audit, entries };
}

describe('canonical JSON', () => {
  it('sorts keys at every depth and normalises strings, so equal entries hash equal', () => {
    expect(canonicalJson({ b: 1, a: { d: [2, { z: null, y: true }], c: 'x' } })).toBe(
      '{"a":{"c":"x","d":[2,{"y":true,"z":null}]},"b":1}',
    );
    // "ễ" precomposed and decomposed give the same bytes.
    expect(canonicalJson({ t: 'Nguy\u1ec5n' })).toBe(canonicalJson({ t: 'Nguye\u0302\u0303n' }));
  });
});

describe('audit log hash chain', () => {
  it('links each entry to the previous hash and verifies a clean chain', () => {
    const { store, audit, entries } = logWithEntries(5);
    expect(entries.map((e) => e.seq)).toEqual([1, 2, 3, 4, 5]);
    expect(entries[0]?.prevHash).toBe('0'.repeat(64));
    for (let i = 1; i < entries.length; i += 1) expect(entries[i]?.prevHash).toBe(entries[i - 1]?.hash);
    expect(audit.verify()).toEqual({ ok: true, entries: 5, headHash: entries[4]?.hash, headSeq: 5 });
    expect(audit.recent(2).map((e) => e.seq)).toEqual([5, 4]);
    expect(verifyAuditChain(store.db, { seq: 5, hash: entries[4]?.hash as string }).ok).toBe(true);
  });

  it('detects an edited entry at that entry', () => {
    const { store, audit, entries } = logWithEntries(6);
    store.db.prepare(`UPDATE audit_log SET clerk_id = 'someone-else' WHERE seq = 3`).run();
    expect(audit.verify()).toMatchObject({
      ok: false,
      entries: 2,
      firstBad: { seq: 3, id: entries[2]?.id, reason: 'content' },
    });
  });

  it('detects an edit whose hash was recomputed, at the next entry', () => {
    const { store, audit, entries } = logWithEntries(4);
    const { hash: _old, ...second } = entries[1] as AuditEntry;
    const forged = { ...second, clerkId: 'someone-else' };
    store.db
      .prepare(`UPDATE audit_log SET clerk_id = ?, hash = ? WHERE seq = 2`)
      .run(forged.clerkId, entryHash(forged));
    expect(audit.verify()).toMatchObject({
      ok: false,
      entries: 2,
      firstBad: { seq: 3, id: entries[2]?.id, reason: 'link' },
    });
  });

  it('detects a deleted entry, and a deleted entry with the seq numbers closed up', () => {
    const { store, audit, entries } = logWithEntries(6);
    store.db.prepare('DELETE FROM audit_log WHERE seq = 4').run();
    expect(audit.verify()).toMatchObject({
      ok: false,
      entries: 3,
      firstBad: { seq: 5, id: entries[4]?.id, reason: 'gap', expectedSeq: 4 },
    });
    store.db.prepare('UPDATE audit_log SET seq = seq - 1 WHERE seq > 4').run();
    expect(audit.verify()).toMatchObject({
      ok: false,
      firstBad: { seq: 4, id: entries[4]?.id, reason: 'link' },
    });
  });

  it('detects reordered entries', () => {
    const { store, audit, entries } = logWithEntries(5);
    // Swap entries 2 and 3 wholesale, keeping seq in order.
    store.db.transaction(() => {
      store.db.prepare('UPDATE audit_log SET seq = -2 WHERE seq = 2').run();
      store.db.prepare('UPDATE audit_log SET seq = 2 WHERE seq = 3').run();
      store.db.prepare('UPDATE audit_log SET seq = 3 WHERE seq = -2').run();
    })();
    expect(audit.verify()).toMatchObject({ ok: false, entries: 1, firstBad: { seq: 2, id: entries[2]?.id } });
  });

  it('detects truncation against a head kept elsewhere', () => {
    const { store, audit, entries } = logWithEntries(5);
    const head = { seq: 5, hash: entries[4]?.hash as string };
    store.db.prepare('DELETE FROM audit_log WHERE seq = 5').run();
    // Without the head, the shorter chain is consistent in itself.
    expect(audit.verify().ok).toBe(true);
    expect(verifyAuditChain(store.db, head)).toMatchObject({ ok: false, firstBad: { reason: 'truncated' } });
  });

  it('refuses an entry that carries an ID-card number or a bad action, and records nothing', () => {
    const { audit } = logWithEntries(1);
    expect(() =>
      audit.append({ clerkId: 'c1', action: 'cccd.read', details: { note: 'số 038192004517' } }),
    ).toThrowError(AuditError);
    expect(() => audit.append({ clerkId: 'c1', action: 'Bad Action' })).toThrowError(AuditError);
    expect(() => audit.append({ clerkId: ' ', action: 'x.y' })).toThrowError(AuditError);
    // A UUID whose last group is all digits is an id, not an ID-card number.
    audit.append({
      clerkId: 'c1',
      action: 'dossier.open',
      objects: { dossierId: '0c1f2a3b-1d2e-4f5a-8b9c-123456789012' },
    });
    expect(audit.verify()).toMatchObject({ ok: true, entries: 2 });
  });

  it('is atomic with the caller: a rolled-back action leaves no entry', () => {
    const { store, audit } = logWithEntries(2);
    expect(() =>
      store.db.transaction(() => {
        audit.append({ clerkId: 'c1', action: 'dossier.receive' });
        throw new Error('the action failed');
      })(),
    ).toThrow('the action failed');
    expect(audit.verify()).toMatchObject({ ok: true, entries: 2 });
  });
});
