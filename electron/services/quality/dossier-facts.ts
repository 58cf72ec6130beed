import type { Database } from 'better-sqlite3';
import { parseNationalDateTime } from '../sync/protocol';
import type { QualityPeriod } from './period';

/** What the indicators need to know of one received dossier; built from the desk's own tables. */
export interface DossierFacts {
  id: string;
  procedureCode: string;
  procedureName: string;
  clerkId: string | null;
  receivedAt: Date;
  /** NgayHenTra as set at reception; null when the dossier has none (not judged for 2.1). */
  dueAt: Date | null;
  /** NgayKetThucXuLy: the province's, else the local return of the result; null while in progress. */
  finishedAt: Date | null;
  /** The province (or the desk) confirmed it holds the dossier: counts as synced (1.4). */
  synced: boolean;
  /** Supplement requests of the dossier (desk's Mẫu 02 and the province's status-5 steps). */
  supplementRequests: number;
  /** Time the clock stood still for supplements that ended; excluded from the handling time. */
  supplementPausedMs: number;
  /** A supplement request still waits for the citizen: the clock is stopped now. */
  supplementOpen: boolean;
  /** Component files by where they came from. */
  scannedFiles: number;
  reusedFiles: number;
  storeFiles: number;
  /** The result handed back, if it was. */
  result: { kind: 'e-result' | 'paper-scan' | 'paper'; returnedAt: Date } | null;
  /** The province reports the dossier done (9) or returned (10). */
  provinceFinished: boolean;
  populationChecked: boolean;
  complaints: number;
  dissatisfiedRatings: number;
}

interface DossierRow {
  id: string;
  code: string | null;
  procedure_code: string | null;
  procedure_name: string;
  clerk_id: string | null;
  status: string;
  received_at: string;
  due_at: string | null;
  province_status: number | null;
  province_confirmed_at: string | null;
  province_finished_at: string | null;
  population_checked_at: string | null;
  scanned: number;
  reused: number;
  from_store: number;
  reused_components: number;
  result_kind: 'e-result' | 'paper-scan' | 'paper' | null;
  result_returned_at: string | null;
  complaints: number;
  dissatisfied: number;
}

const instant = (iso: string | null) => {
  if (!iso) return null;
  const date = new Date(iso);
  return Number.isNaN(date.getTime()) ? null : date;
};

/** Supplement pauses from the desk's requests (with their end) and the province's status-5 steps. */
function supplementPauses(db: Database, ids: string[]) {
  const byDossier = new Map<string, { count: number; pausedMs: number; open: boolean }>();
  const entry = (id: string) => {
    const known = byDossier.get(id);
    if (known) return known;
    const value = { count: 0, pausedMs: 0, open: false };
    byDossier.set(id, value);
    return value;
  };
  const local = db.prepare(
    `SELECT d.id AS id, s.requested_at AS requestedAt, s.fulfilled_at AS fulfilledAt, d.received_at AS receivedAt
     FROM supplement_requests s JOIN dossiers d ON d.code = s.dossier_code WHERE d.id = ?`,
  );
  const steps = db.prepare(`SELECT at, status FROM dossier_progress WHERE dossier_id = ? ORDER BY at`);
  for (const id of ids) {
    for (const row of local.all(id) as {
      id: string;
      requestedAt: string;
      fulfilledAt: string | null;
      receivedAt: string;
    }[]) {
      const value = entry(id);
      value.count += 1;
      // A request made at the counter before the dossier was received stops no clock.
      if (row.requestedAt < row.receivedAt) continue;
      const start = instant(row.requestedAt);
      const end = instant(row.fulfilledAt);
      if (start && end) value.pausedMs += Math.max(0, end.getTime() - start.getTime());
      else value.open = true;
    }
    // The province's steps: a status-5 step pauses until the next step that is not 5.
    const rows = steps.all(id) as { at: string; status: number }[];
    for (let i = 0; i < rows.length; i++) {
      const row = rows[i] as { at: string; status: number };
      if (row.status !== 5 || rows[i - 1]?.status === 5) continue;
      const value = entry(id);
      value.count += 1;
      const start = parseNationalDateTime(row.at);
      const next = rows.slice(i + 1).find((r) => r.status !== 5);
      const end = next ? parseNationalDateTime(next.at) : null;
      if (start && end) value.pausedMs += Math.max(0, end.getTime() - start.getTime());
      else if (!next) value.open = true;
    }
  }
  return byDossier;
}

/** Every dossier received in the period (by NgayTiepNhan), optionally one clerk's. */
export function readDossierFacts(db: Database, period: QualityPeriod, clerkId?: string): DossierFacts[] {
  const rows = db
    .prepare(
      `SELECT d.id, d.code, d.procedure_code, d.procedure_name, d.clerk_id, d.status, d.received_at, d.due_at,
              d.province_status, d.province_confirmed_at, d.province_finished_at, d.population_checked_at,
              (SELECT COUNT(*) FROM dossier_files f WHERE f.dossier_id = d.id AND f.source = 'scan') AS scanned,
              (SELECT COUNT(*) FROM dossier_files f WHERE f.dossier_id = d.id AND f.source != 'scan') AS reused,
              (SELECT COUNT(*) FROM dossier_files f
                 WHERE f.dossier_id = d.id AND f.source = 'reused-province') AS from_store,
              (SELECT COUNT(*) FROM dossier_components c
                 WHERE c.dossier_id = d.id AND c.status = 'reused') AS reused_components,
              r.kind AS result_kind, r.returned_at AS result_returned_at,
              (SELECT COUNT(*) FROM dossier_complaints k WHERE k.dossier_id = d.id) AS complaints,
              (SELECT COUNT(*) FROM dossier_ratings g
                 WHERE g.dossier_id = d.id AND g.level = 'dissatisfied') AS dissatisfied
       FROM dossiers d LEFT JOIN dossier_results r ON r.dossier_id = d.id
       WHERE d.received_at IS NOT NULL AND d.received_at >= @start AND d.received_at < @end
         AND d.status NOT IN ('draft', 'refused') AND (@clerk IS NULL OR d.clerk_id = @clerk)
       ORDER BY d.received_at, d.id`,
    )
    .all({ start: period.startIso, end: period.endIso, clerk: clerkId ?? null }) as DossierRow[];
  const pauses = supplementPauses(
    db,
    rows.map((r) => r.id),
  );
  return rows.flatMap((row): DossierFacts[] => {
    const receivedAt = instant(row.received_at);
    if (!receivedAt) return [];
    const pause = pauses.get(row.id);
    const resultReturnedAt = instant(row.result_returned_at);
    const provinceFinished = parseNationalDateTime(row.province_finished_at ?? '');
    return [
      {
        id: row.id,
        procedureCode: row.procedure_code ?? '',
        procedureName: row.procedure_name,
        clerkId: row.clerk_id,
        receivedAt,
        dueAt: instant(row.due_at),
        finishedAt: provinceFinished ?? resultReturnedAt,
        synced: row.province_confirmed_at !== null || row.status === 'synced',
        supplementRequests: pause?.count ?? 0,
        supplementPausedMs: pause?.pausedMs ?? 0,
        supplementOpen: pause?.open ?? false,
        scannedFiles: row.scanned,
        reusedFiles: Math.max(row.reused, row.reused_components),
        storeFiles: row.from_store,
        result:
          row.result_kind && resultReturnedAt
            ? { kind: row.result_kind, returnedAt: resultReturnedAt }
            : null,
        provinceFinished: row.province_status === 9 || row.province_status === 10,
        populationChecked: row.population_checked_at !== null,
        complaints: row.complaints,
        dissatisfiedRatings: row.dissatisfied,
      },
    ];
  });
}
