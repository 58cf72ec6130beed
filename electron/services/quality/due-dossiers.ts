import type { Database } from 'better-sqlite3';
import type { DueDossiersView, DueDossierView } from '../../api/quality-api';
import type { WorkingCalendar } from '../calendar';
import { parseIsoDate, toDayNumber } from '../calendar/civil-date';

/** "Nguyễn Văn An" → "Nguyễn V. A.": enough for the clerk to recognise, not enough to expose the citizen. */
export function maskName(name: string): string {
  const words = name.normalize('NFC').trim().split(/\s+/).filter(Boolean);
  if (words.length === 0) return '';
  const [first, ...rest] = words;
  return [first, ...rest.map((w) => `${[...w][0]?.toLocaleUpperCase('vi') ?? ''}.`)].join(' ');
}

/** How many working days ahead counts as "due soon" (the issue: within two working days). */
export const DUE_SOON_WORKING_DAYS = 2;

/**
 * Dossiers received and not yet returned (no local result, province status below 9), split into overdue, due
 * today and due within two working days, by the working-day calendar. Supplement pauses are not applied here:
 * a dossier waiting for the citizen is listed by its printed due time, which is what the clerk sees.
 */
export function dueDossiers(
  db: Database,
  calendar: WorkingCalendar,
  now: Date,
  clerkId?: string,
): DueDossiersView {
  const rows = db
    .prepare(
      `SELECT d.id, d.code, d.procedure_name, d.applicant_name, d.due_at, d.clerk_id FROM dossiers d
       WHERE d.received_at IS NOT NULL AND d.due_at IS NOT NULL AND d.code IS NOT NULL
         AND d.status NOT IN ('draft', 'refused') AND COALESCE(d.province_status, 0) < 9
         AND NOT EXISTS (SELECT 1 FROM dossier_results r WHERE r.dossier_id = d.id)
         AND (@clerk IS NULL OR d.clerk_id = @clerk)
       ORDER BY d.due_at, d.code LIMIT 1000`,
    )
    .all({ clerk: clerkId ?? null }) as {
    id: string;
    code: string;
    procedure_name: string;
    applicant_name: string;
    due_at: string;
    clerk_id: string | null;
  }[];
  const today = toDayNumber(now);
  const soonLimit = parseIsoDate(calendar.addWorkingDays(now, DUE_SOON_WORKING_DAYS));
  const view: DueDossiersView = { overdue: [], dueToday: [], dueSoon: [] };
  for (const row of rows) {
    const due = new Date(row.due_at);
    if (Number.isNaN(due.getTime())) continue;
    const item: DueDossierView = {
      dossierId: row.id,
      code: row.code,
      procedureName: row.procedure_name,
      applicantMasked: maskName(row.applicant_name),
      dueAt: row.due_at,
      clerkId: row.clerk_id,
    };
    const dueDay = toDayNumber(due);
    if (due.getTime() < now.getTime()) view.overdue.push(item);
    else if (dueDay === today) view.dueToday.push(item);
    else if (dueDay <= soonLimit) view.dueSoon.push(item);
  }
  return view;
}
