import type { Store } from './store';

export interface IntegrityReport {
  /** `PRAGMA quick_check` (or `integrity_check` when full): 'ok' or SQLite's first problems. */
  database: { ok: boolean; problems: string[] };
  /** Stored files opened and checked against their content hash: a sample, or all when full. */
  blobs: { total: number; checked: number; bad: string[] };
}

/** At most this many blob files are opened by a plain `doctor` run: seconds, not minutes, on a full desk. */
const BLOB_SAMPLE = 40;

/**
 * Damage `doctor` must find before a command meets it: random bytes inside the database (which SQLCipher's page
 * authentication turns into "corrupt" only when that page is read) and stored files that no longer match their
 * name. A plain check reads every page's b-tree structure (quick_check) and a sample of files; `full` runs
 * integrity_check and opens every file.
 */
export async function checkIntegrity(
  store: Store,
  options: { full?: boolean } = {},
): Promise<IntegrityReport> {
  const database = checkDatabase(store, options.full ?? false);
  const files = store.blobs.listFiles();
  const chosen = options.full ? files : sample(files, BLOB_SAMPLE);
  const bad: string[] = [];
  for (const file of chosen) {
    try {
      await store.blobs.read(file.sha256, file.extension);
    } catch {
      bad.push(`${file.sha256}${file.extension}`);
    }
  }
  return { database, blobs: { total: files.length, checked: chosen.length, bad } };
}

function checkDatabase(store: Store, full: boolean): IntegrityReport['database'] {
  try {
    const rows = store.db.pragma(full ? 'integrity_check(20)' : 'quick_check(20)') as Record<
      string,
      string
    >[];
    const problems = rows.map((row) => Object.values(row)[0] ?? '').filter((text) => text !== 'ok');
    return { ok: problems.length === 0, problems };
  } catch (error) {
    // A page that fails SQLCipher's authentication stops the check itself.
    return { ok: false, problems: [`${(error as { code?: string }).code ?? (error as Error).name}`] };
  }
}

/** Evenly spread picks, so a damaged region of the store is likely to be met. */
function sample<T>(items: readonly T[], count: number): T[] {
  if (items.length <= count) return [...items];
  const step = items.length / count;
  return Array.from({ length: count }, (_, i) => items[Math.floor(i * step)] as T);
}
