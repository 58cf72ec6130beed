import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { verifyAuditChain } from '../../../electron/services/audit/audit-log';
import {
  purgeExpiredDossiers,
  RETENTION_ACTOR,
  runRetentionIfDue,
} from '../../../electron/services/security/retention';
import { openStore, type Store } from '../../../electron/services/store/store';
import { seedDossier } from './fixtures/retention-data';

const tempDir = () => mkdtempSync(join(tmpdir(), 'motcua-retention-'));
const NOW = new Date('2026-06-01T00:00:00Z');
const clock = () => NOW;
const OLD = '2026-04-01T00:00:00.000Z'; // 61 days before NOW
const RECENT = '2026-05-20T00:00:00.000Z'; // 12 days before NOW

function personal(store: Store, id: string) {
  return store.db
    .prepare(
      `SELECT code, status, applicant_name, applicant_id_number, applicant_json, province_confirmed_at, purged_at
       FROM dossiers WHERE id = ?`,
    )
    .get(id) as Record<string, string | null>;
}

function searchHits(store: Store, word: string): number {
  const d = store.db
    .prepare('SELECT count(*) AS n FROM dossier_search WHERE dossier_search MATCH ?')
    .get(word) as {
    n: number;
  };
  const p = store.db.prepare('SELECT count(*) AS n FROM page_search WHERE page_search MATCH ?').get(word) as {
    n: number;
  };
  return d.n + p.n;
}

describe('retention purge', () => {
  it('removes personal data and scans of confirmed dossiers past the period, keeps code, status and audit', () => {
    const store = openStore(tempDir());
    const shared = new TextEncoder().encode('P5\n4 4\n255\nshared page');
    const old = seedDossier(store, {
      name: 'Lê Thị Hoa',
      idNumber: '001203004005',
      confirmedAt: OLD,
      sharedPage: shared,
    });
    const recent = seedDossier(store, {
      name: 'Trần Văn Nam',
      idNumber: '079204001234',
      confirmedAt: RECENT,
      sharedPage: shared,
    });
    const unconfirmed = seedDossier(store, {
      name: 'Phạm Minh',
      idNumber: '036198000111',
      confirmedAt: null,
    });

    const dry = purgeExpiredDossiers(store, { clock, dryRun: true });
    expect(dry).toMatchObject({ dossiers: 1, dossierFiles: 1, scanPages: 2, ocrPages: 2, blobsDeleted: 0 });
    expect(personal(store, old.id).applicant_id_number).toBe('001203004005');

    const report = purgeExpiredDossiers(store, { clock });
    expect(report).toMatchObject({ dossiers: 1, resumed: 0, dossierFiles: 1, scanPages: 2, ocrPages: 2 });
    // The page shared with the recent dossier stays: it is still referenced.
    expect(report.blobsDeleted).toBe(2);

    const row = personal(store, old.id);
    expect(row).toMatchObject({
      status: 'received',
      applicant_name: '',
      applicant_id_number: null,
      applicant_json: null,
    });
    expect(row.code).toMatch(/^000\.00\.00\.H56-260105-/);
    expect(row.purged_at).toBe(NOW.toISOString());
    for (const blob of old.blobs) {
      const keep = blob.sha256 === recent.blobs[1]?.sha256;
      expect(existsSync(store.blobs.pathFor(blob.sha256, blob.ext))).toBe(keep);
    }
    for (const blob of [...recent.blobs, ...unconfirmed.blobs])
      expect(existsSync(store.blobs.pathFor(blob.sha256, blob.ext))).toBe(true);
    expect(searchHits(store, 'hoa')).toBe(0);
    expect(searchHits(store, '001203004005')).toBe(0);
    expect(searchHits(store, 'nam')).toBeGreaterThan(0);
    expect(personal(store, recent.id).applicant_id_number).toBe('079204001234');

    const audit = store.db
      .prepare("SELECT clerk_id, objects, details FROM audit_log WHERE action = 'retention.purge'")
      .all();
    expect(audit).toEqual([
      {
        clerk_id: RETENTION_ACTOR,
        objects: JSON.stringify({ dossierId: old.id }),
        details: JSON.stringify({ dossierFiles: 1, ocrPages: 2, retentionDays: 30, scanPages: 2 }),
      },
    ]);
    expect(verifyAuditChain(store.db).ok).toBe(true);
    // Running again finds nothing more to do.
    expect(purgeExpiredDossiers(store, { clock })).toMatchObject({
      dossiers: 0,
      resumed: 0,
      blobsDeleted: 0,
    });
    expect(purgeExpiredDossiers(store, { clock, retentionDays: 5 }).dossiers).toBe(1);
    store.close();
  });

  it('runs daily: a second check within a day does nothing, the next day purges what became due', () => {
    const store = openStore(tempDir());
    const d = seedDossier(store, {
      name: 'Võ Văn Tâm',
      idNumber: '040201000222',
      confirmedAt: '2026-05-01T12:00:00.000Z',
    });
    let now = new Date('2026-05-31T00:00:00Z');
    const options = { retentionDays: 30, clock: () => now };
    expect(runRetentionIfDue(store, options)).toBe(true);
    expect(personal(store, d.id).purged_at).toBeNull(); // 29.5 days: not yet
    now = new Date('2026-05-31T20:00:00Z');
    expect(runRetentionIfDue(store, options)).toBe(false);
    now = new Date('2026-06-01T01:00:00Z');
    expect(runRetentionIfDue(store, options)).toBe(true);
    expect(personal(store, d.id).purged_at).toBe(now.toISOString());
    store.close();
  });

  it('resumes after a kill -9 between the row commit and the file deletion, purging each dossier once', () => {
    const dataDir = tempDir();
    const store = openStore(dataDir);
    const seeded = [0, 1, 2].map((i) =>
      seedDossier(store, {
        name: `Nguyễn Văn ${i}`,
        idNumber: `00120300400${i}`,
        confirmedAt: OLD,
        pages: 3,
      }),
    );
    store.close();

    const child = spawnSync(
      process.execPath,
      ['--import', 'tsx', join(import.meta.dirname, 'fixtures', 'purge-until-killed.ts'), dataDir],
      { encoding: 'utf8', timeout: 60_000 },
    );
    expect(child.signal).toBe('SIGKILL');
    expect(child.stdout).not.toContain('finished');

    const after = openStore(dataDir);
    const journal = after.db.prepare('SELECT stage FROM retention_purges ORDER BY started_at').all();
    expect(journal).toEqual([{ stage: 'done' }, { stage: 'files' }]);
    // The killed dossier's rows are gone but its files are still on disk.
    const killed = seeded.find(
      (s) =>
        personal(after, s.id).purged_at !== null &&
        after.db.prepare("SELECT 1 FROM retention_purges WHERE dossier_id = ? AND stage = 'files'").get(s.id),
    );
    expect(killed).toBeDefined();
    expect(killed?.blobs.some((b) => existsSync(after.blobs.pathFor(b.sha256, b.ext)))).toBe(true);

    const report = purgeExpiredDossiers(after, { clock });
    expect(report).toMatchObject({ dossiers: 1, resumed: 1 });
    for (const s of seeded) {
      expect(personal(after, s.id)).toMatchObject({ applicant_id_number: null, applicant_name: '' });
      for (const b of s.blobs) expect(existsSync(after.blobs.pathFor(b.sha256, b.ext))).toBe(false);
    }
    const entries = after.db
      .prepare("SELECT count(*) AS n FROM audit_log WHERE action = 'retention.purge'")
      .get() as { n: number };
    expect(entries.n).toBe(3);
    expect(after.db.prepare("SELECT count(*) AS n FROM retention_purges WHERE stage = 'done'").get()).toEqual(
      { n: 3 },
    );
    expect(verifyAuditChain(after.db).ok).toBe(true);
    after.close();
  }, 90_000);
});
