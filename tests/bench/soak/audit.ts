/**
 * The soak's final count: compares what the children promised (pages, received and synced dossiers) with what
 * the desk's store and the reference server hold, and looks for duplicates and orphans. Read-only on both.
 */
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import BetterSqlite3 from 'better-sqlite3';
import { openStore } from '../../../electron/services/store/store';
import { type ServerDossier, type SyncTestServer, serverDossiers } from '../../support/sync-fixtures';

export interface Promises {
  /** `batchId/seq` → SHA-256 of the page a scan child said was stored. */
  pages: Map<string, string>;
  /** Codes a receive child said were received. */
  received: Set<string>;
  /** Codes a sync child said were synced. */
  synced: Set<string>;
}

/** One counted finding: its class, what it is, how many, and a few examples. */
export interface Finding {
  kind: 'lost' | 'duplicated' | 'orphaned' | 'info';
  what: string;
  count: number;
  examples: string[];
}

const finding = (kind: Finding['kind'], what: string, items: string[]): Finding => ({
  kind,
  what,
  count: items.length,
  examples: items.slice(0, 3),
});

/** Every file under the blob root, as paths relative to it (`ab/abcd….pgm`, `.x.tmp`, …). */
function blobTree(root: string): string[] {
  const out: string[] = [];
  for (const entry of readdirSync(root, { withFileTypes: true })) {
    if (entry.isDirectory()) {
      for (const name of readdirSync(join(root, entry.name))) out.push(`${entry.name}/${name}`);
    } else out.push(entry.name);
  }
  return out;
}

function deskFindings(dataDir: string, promises: Promises, held: ServerDossier[]): Finding[] {
  const store = openStore(dataDir);
  const { db, blobs } = store;
  try {
    const all = <T>(sql: string) => db.prepare(sql).all() as T[];
    // Every row that names a blob, as (sha256, extension, owner) — the whole set of blob references.
    const refs = all<{ sha: string; ext: string; owner: string }>(
      `SELECT sha256 AS sha, file_ext AS ext, 'page ' || batch_id || '/' || seq AS owner FROM scan_pages
       UNION ALL SELECT blob_sha256, blob_ext, 'file ' || id FROM dossier_files
       UNION ALL SELECT blob_sha256, '.pdf', 'form ' || dossier_id || '/' || form FROM dossier_forms`,
    );
    const referenced = new Set(refs.map((r) => `${r.sha}${r.ext}`));
    const files = blobTree(blobs.root);
    const temps = files.filter((f) => f.split('/').at(-1)?.startsWith('.'));
    const unreferenced = files.filter(
      (f) => !temps.includes(f) && !referenced.has(f.split('/').at(-1) ?? ''),
    );
    const missingBlobs = refs.filter((r) => !blobs.has(r.sha, r.ext)).map((r) => r.owner);

    const pageRow = db.prepare('SELECT sha256, file_ext FROM scan_pages WHERE batch_id = ? AND seq = ?');
    const lostPages: string[] = [];
    for (const [key, sha] of promises.pages) {
      const [batchId, seq] = key.split('/');
      const row = pageRow.get(batchId, Number(seq)) as { sha256: string; file_ext: string } | undefined;
      if (!row || row.sha256 !== sha || !blobs.has(row.sha256, row.file_ext)) lostPages.push(key);
    }
    const byCode = db.prepare('SELECT id, status FROM dossiers WHERE code = ?');
    const lostReceived = [...promises.received].filter((code) => {
      const row = byCode.get(code) as { status: string } | undefined;
      return !row || row.status === 'draft';
    });

    // After the final clean sync every coded dossier is on the server, committed, with every file received.
    const onServer = new Map(held.map((d) => [d.DeskUuid, d]));
    const coded = all<{ id: string; code: string }>(
      `SELECT id, code FROM dossiers WHERE code IS NOT NULL AND status <> 'draft'`,
    );
    const deskFiles = db.prepare('SELECT id, blob_sha256 FROM dossier_files WHERE dossier_id = ?');
    const notOnServer: string[] = [];
    const filesNotOnServer: string[] = [];
    for (const { id, code } of coded) {
      const record = onServer.get(id);
      if (!record?.committed || record.MaHoSo !== code) {
        notOnServer.push(code);
        continue;
      }
      for (const file of deskFiles.all(id) as { id: string; blob_sha256: string }[]) {
        const there = record.files.find((f) => f.TepDinhKemId === file.id);
        if (!there?.received || there.Sha256 !== file.blob_sha256)
          filesNotOnServer.push(`${code}/${file.id}`);
      }
    }
    const serverCodes = new Set(held.filter((d) => d.committed).map((d) => d.MaHoSo));
    const lostSynced = [...promises.synced].filter((code) => !serverCodes.has(code));

    const codesTwice = all<{ dossier_id: string }>(
      `SELECT dossier_id FROM dossier_codes WHERE status = 'issued' AND dossier_id IS NOT NULL
       GROUP BY dossier_id HAVING COUNT(*) > 1`,
    ).map((r) => r.dossier_id);
    const codeOwners = all<{ code: string }>(
      `SELECT c.code FROM dossier_codes c JOIN dossiers d ON d.code = c.code
       WHERE c.dossier_id IS NOT NULL AND c.dossier_id <> d.id`,
    ).map((r) => r.code);
    const outboxTwice = all<{ dossier_id: string }>(
      `SELECT dossier_id FROM outbox WHERE kind = 'dossier' GROUP BY dossier_id HAVING COUNT(*) > 1`,
    ).map((r) => r.dossier_id);

    const orphanRows = (table: string) =>
      all<{ dossier_id: string }>(
        `SELECT t.dossier_id FROM ${table} t LEFT JOIN dossiers d ON d.id = t.dossier_id WHERE d.id IS NULL`,
      ).map((r) => `${table} ${r.dossier_id}`);
    const unqueued = all<{ code: string }>(
      `SELECT d.code FROM dossiers d LEFT JOIN outbox o ON o.dossier_id = d.id
       WHERE d.code IS NOT NULL AND d.status <> 'draft' AND o.id IS NULL`,
    ).map((r) => r.code);
    const drafts = all<{ id: string }>(`SELECT id FROM dossiers WHERE status = 'draft'`).map((r) => r.id);
    const scans = all<{ n: number; pages: number }>(
      'SELECT (SELECT COUNT(*) FROM scan_batches) AS n, (SELECT COUNT(*) FROM scan_pages) AS pages',
    )[0];

    return [
      finding('lost', 'pages a scan child reported stored, missing or changed', lostPages),
      finding('lost', 'dossiers a receive child reported received, not received on the desk', lostReceived),
      finding('lost', 'dossiers a sync child reported synced, not committed at the server', lostSynced),
      finding('lost', 'received dossiers not on the server after the final sync', notOnServer),
      finding('lost', 'files of received dossiers not (intact) on the server', filesNotOnServer),
      finding('duplicated', 'dossiers holding more than one issued code', codesTwice),
      finding('duplicated', 'codes issued for one dossier, used by another', codeOwners),
      finding('duplicated', 'dossiers queued in the outbox more than once', outboxTwice),
      finding('orphaned', 'blob files no row references', unreferenced),
      finding('orphaned', 'temp files left in the blob store', temps),
      finding('orphaned', 'rows whose blob file is missing', missingBlobs),
      finding('orphaned', 'outbox rows for no dossier', orphanRows('outbox')),
      finding('orphaned', 'file rows for no dossier', orphanRows('dossier_files')),
      finding('orphaned', 'form rows for no dossier', orphanRows('dossier_forms')),
      finding('orphaned', 'received dossiers with no outbox row', unqueued),
      finding('info', 'unfinished drafts (expected after kills)', drafts),
      finding(
        'info',
        `coded dossiers on the desk`,
        coded.map((c) => c.code),
      ),
      {
        kind: 'info',
        what: 'scan batches / pages on the desk',
        count: scans?.n ?? 0,
        examples: [`${scans?.pages ?? 0} pages`],
      },
    ];
  } finally {
    store.close();
  }
}

function serverFindings(server: SyncTestServer, held: ServerDossier[]): Finding[] {
  const twice = (values: string[]) => {
    const seen = new Map<string, number>();
    for (const v of values) seen.set(v, (seen.get(v) ?? 0) + 1);
    return [...seen].filter(([, n]) => n > 1).map(([v, n]) => `${v} ×${n}`);
  };
  const db = new BetterSqlite3(join(server.dataDir, 'provincial.sqlite'), { readonly: true });
  try {
    // A file whose whole bytes the server took more than once: a second stored copy of the same file.
    const uploadsTwice = (
      db
        .prepare(
          `SELECT desk_uuid || '/' || file_id AS f FROM uploads WHERE state = 'complete'
           GROUP BY desk_uuid, file_id HAVING COUNT(*) > 1`,
        )
        .all() as { f: string }[]
    ).map((r) => r.f);
    return [
      finding('duplicated', 'codes held more than once at the server', twice(held.map((d) => d.MaHoSo))),
      finding(
        'duplicated',
        'desk dossiers held more than once at the server',
        twice(held.map((d) => d.DeskUuid)),
      ),
      finding(
        'duplicated',
        'files declared more than once in a server dossier',
        held.flatMap((d) => twice(d.files.map((f) => `${d.MaHoSo}/${f.TepDinhKemId}`))),
      ),
      finding('duplicated', 'files stored more than once at the server (complete uploads)', uploadsTwice),
      finding(
        'info',
        'dossiers at the server',
        held.map((d) => d.MaHoSo),
      ),
    ];
  } finally {
    db.close();
  }
}

/** Everything counted, desk first. The caller has stopped every child and run the final clean sync. */
export async function audit(dataDir: string, server: SyncTestServer, promises: Promises): Promise<Finding[]> {
  const held = await serverDossiers(server);
  return [...deskFindings(dataDir, promises, held), ...serverFindings(server, held)];
}
