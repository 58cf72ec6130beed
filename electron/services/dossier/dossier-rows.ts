/**
 * The one owner of the `dossiers` table: every write to it is a function here, and so is the one row type.
 * Reception, sync and retention call these; none of them runs its own UPDATE on dossiers. Each function is a
 * single statement, so callers compose them inside their own transactions (the audit entry and the outbox row
 * commit with the change that caused them).
 */
import type { Database } from 'better-sqlite3';
import type { DossierStatus, DossierSummary } from '../../api/desk-api';

/** A row of `dossiers`, as stored (migrations 001, 008, 009, 010, 011). */
export interface DossierRow {
  id: string;
  code: string | null;
  procedure_code: string | null;
  procedure_name: string;
  applicant_name: string;
  status: DossierStatus;
  created_at: string;
  updated_at: string;
  applicant_id_number: string | null;
  /** Date of birth, sex, address, phone, email: JSON, as the clerk typed them. */
  applicant_json: string | null;
  received_at: string | null;
  due_at: string | null;
  clerk_id: string | null;
  prefilled_fields: number;
  typed_fields: number;
  province_status: number | null;
  province_confirmed_at: string | null;
  province_finished_at: string | null;
  purged_at: string | null;
}

export interface NewDossierRow {
  id: string;
  procedureCode: string | null;
  procedureName: string;
  applicantName: string;
  status: DossierStatus;
  at: string;
  applicantIdNumber?: string | null;
  applicantJson?: string | null;
  clerkId?: string | null;
  prefilledFields?: number;
  typedFields?: number;
}

/** The list's columns, named as DossierSummary names them (no mapping code). */
const SUMMARY = `d.id, d.code, d.procedure_code AS procedureCode, d.procedure_name AS procedureName,
  d.applicant_name AS applicantName, d.status, d.created_at AS createdAt, d.updated_at AS updatedAt`;

export function readDossier(db: Database, id: string): DossierRow | undefined {
  return db.prepare('SELECT * FROM dossiers WHERE id = ?').get(id) as DossierRow | undefined;
}

export function dossierSummary(db: Database, id: string): DossierSummary | undefined {
  return db.prepare(`SELECT ${SUMMARY} FROM dossiers d WHERE d.id = ?`).get(id) as DossierSummary | undefined;
}

/** Newest first; `match` is an FTS5 query over dossier_search (migration 007), or null for all. */
export function listDossierSummaries(db: Database, match: string | null, limit: number): DossierSummary[] {
  const rows = match
    ? db
        .prepare(
          `SELECT ${SUMMARY} FROM dossier_search s JOIN dossiers d ON d.rowid = s.rowid
           WHERE dossier_search MATCH ? ORDER BY d.created_at DESC, d.rowid DESC LIMIT ?`,
        )
        .all(match, limit)
    : db
        .prepare(`SELECT ${SUMMARY} FROM dossiers d ORDER BY d.created_at DESC, d.rowid DESC LIMIT ?`)
        .all(limit);
  return rows as DossierSummary[];
}

/** TrangThaiHoSo the province last reported, per dossier id. */
export function dossierProvinceStatuses(db: Database, ids: string[]): Map<string, number | null> {
  const result = new Map<string, number | null>();
  const query = db.prepare('SELECT province_status FROM dossiers WHERE id = ?').pluck();
  for (const id of ids) result.set(id, (query.get(id) as number | null | undefined) ?? null);
  return result;
}

/** Name of the clerk who received the dossier, if any. */
export function receivingClerkName(db: Database, id: string): string | null {
  const found = db
    .prepare('SELECT c.name FROM dossiers d JOIN clerks c ON c.id = d.clerk_id WHERE d.id = ?')
    .get(id) as { name: string } | undefined;
  return found?.name ?? null;
}

export function insertDossier(db: Database, row: NewDossierRow): void {
  db.prepare(
    `INSERT INTO dossiers (id, code, procedure_code, procedure_name, applicant_name, status, created_at,
       updated_at, applicant_id_number, applicant_json, clerk_id, prefilled_fields, typed_fields)
     VALUES (?, NULL, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
  ).run(
    row.id,
    row.procedureCode,
    row.procedureName,
    row.applicantName,
    row.status,
    row.at,
    row.at,
    row.applicantIdNumber ?? null,
    row.applicantJson ?? null,
    row.clerkId ?? null,
    row.prefilledFields ?? 0,
    row.typedFields ?? 0,
  );
}

/** Reception: the code (kept when one was issued already), the dates, the clerk, status 'received'. */
export function markDossierReceived(
  db: Database,
  id: string,
  received: { code: string | null; receivedAt: string; dueAt: string; clerkId: string },
): void {
  db.prepare(
    `UPDATE dossiers SET code = COALESCE(code, ?), status = 'received', received_at = ?, due_at = ?,
       clerk_id = ?, updated_at = ? WHERE id = ?`,
  ).run(received.code, received.receivedAt, received.dueAt, received.clerkId, received.receivedAt, id);
}

export function setDossierCode(db: Database, id: string, code: string): void {
  db.prepare('UPDATE dossiers SET code = ? WHERE id = ?').run(code, id);
}

export function setDossierStatus(db: Database, id: string, status: DossierStatus, at: string): void {
  db.prepare('UPDATE dossiers SET status = ?, updated_at = ? WHERE id = ?').run(status, at, id);
}

export function touchDossier(db: Database, id: string, at: string): void {
  db.prepare('UPDATE dossiers SET updated_at = ? WHERE id = ?').run(at, id);
}

/** Sync: the province answered committed; a received dossier becomes synced. */
export function markDossierConfirmed(
  db: Database,
  id: string,
  confirmed: { confirmedAt: string; provinceStatus: number; at: string },
): void {
  db.prepare(
    `UPDATE dossiers SET province_confirmed_at = COALESCE(province_confirmed_at, ?),
       province_status = COALESCE(province_status, ?),
       status = CASE WHEN status = 'received' THEN 'synced' ELSE status END, updated_at = ?
     WHERE id = ?`,
  ).run(confirmed.confirmedAt, confirmed.provinceStatus, confirmed.at, id);
}

/** Sync feed: the province's status for a dossier of ours (matched by id and, once issued, code). */
export function setProvinceStatus(
  db: Database,
  change: { id: string; code: string; provinceStatus: number; finishedAt: string | null },
): boolean {
  const updated = db
    .prepare(
      `UPDATE dossiers SET province_status = ?, province_finished_at = COALESCE(?, province_finished_at)
       WHERE id = ? AND (code IS NULL OR code = ?)`,
    )
    .run(change.provinceStatus, change.finishedAt, change.id, change.code);
  return updated.changes > 0;
}

/** Retention: the applicant's personal data leaves the row (applicant_name is NOT NULL: emptied). */
export function purgeDossierApplicant(db: Database, id: string, at: string): void {
  db.prepare(
    `UPDATE dossiers SET applicant_name = '', applicant_id_number = NULL, applicant_json = NULL,
     purged_at = ?, updated_at = ? WHERE id = ?`,
  ).run(at, at, id);
}
