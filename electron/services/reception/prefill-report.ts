import type { Database } from 'better-sqlite3';
import type { PrefillReportRow } from '../../api/desk-api';
import { instantFromVietnamLocal, toDayNumber } from '../calendar/civil-date';

/** Start of a Vietnam calendar day (YYYY-MM-DD) as an ISO instant. */
const dayStart = (day: string, plusDays = 0) =>
  instantFromVietnamLocal(toDayNumber(day) + plusDays, 0).toISOString();

/**
 * Issue #4: per procedure, how many dossiers were received and how many form fields the desk pre-filled (ID card
 * QR, OCR) versus the clerk typed. Drafts never finished are left out; `from`/`to` are Vietnam days, inclusive.
 */
export function prefillReport(db: Database, range: { from?: string; to?: string } = {}): PrefillReportRow[] {
  const rows = db
    .prepare(
      `SELECT procedure_code AS procedureCode, MAX(procedure_name) AS procedureName, COUNT(*) AS dossiers,
              SUM(prefilled_fields) AS prefilled, SUM(typed_fields) AS typed
       FROM dossiers
       WHERE procedure_code IS NOT NULL AND status != 'draft'
         AND created_at >= @from AND created_at < @to
       GROUP BY procedure_code ORDER BY procedure_code`,
    )
    .all({
      from: range.from ? dayStart(range.from) : '0000',
      to: range.to ? dayStart(range.to, 1) : '9999',
    }) as PrefillReportRow[];
  return rows;
}
