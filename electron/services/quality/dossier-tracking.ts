import type { Database } from 'better-sqlite3';
import type { DossierTrackingView } from '../../api/quality-api';
import { parseNationalDateTime } from '../sync/protocol';
import { maskName } from './due-dossiers';
import { QualityError } from './quality-error';

/** TrangThaiHoSo the desk itself knows, before any province status: 2 received, 5 supplement requested. */
const LOCAL_STATUS: Record<string, number> = {
  received: 2,
  synced: 2,
  'supplement-requested': 5,
  refused: 3,
};

/**
 * The status and timeline of one dossier by its code: the province's progress entries and the desk's own steps
 * (reception, result returned), in time order. The applicant's name is masked; no ID number, no address.
 */
export function trackDossier(db: Database, code: string): DossierTrackingView {
  const dossier = db
    .prepare(
      `SELECT id, code, procedure_name, applicant_name, status, received_at, due_at, province_status, clerk_id
       FROM dossiers WHERE code = ? AND status != 'draft'`,
    )
    .get(code.trim()) as
    | {
        id: string;
        code: string;
        procedure_name: string;
        applicant_name: string;
        status: string;
        received_at: string | null;
        due_at: string | null;
        province_status: number | null;
      }
    | undefined;
  if (!dossier)
    throw new QualityError('dossier-not-found', 'no dossier with that code', { code: code.trim() });
  const steps: DossierTrackingView['steps'] = [];
  if (dossier.received_at)
    steps.push({
      at: dossier.received_at,
      status: 2,
      source: 'desk',
      by: 'received',
      content: 'Tiếp nhận hồ sơ',
    });
  for (const row of db
    .prepare('SELECT at, status, handler, content FROM dossier_progress WHERE dossier_id = ? ORDER BY at')
    .all(dossier.id) as { at: string; status: number; handler: string; content: string }[]) {
    const at = parseNationalDateTime(row.at);
    if (at)
      steps.push({
        at: at.toISOString(),
        status: row.status,
        source: 'province',
        by: row.handler,
        content: row.content,
      });
  }
  for (const row of db
    .prepare('SELECT at, status, step, note FROM dossier_timeline_steps WHERE dossier_id = ? ORDER BY at')
    .all(dossier.id) as { at: string; status: number; step: string; note: string | null }[])
    steps.push({
      at: row.at,
      status: row.status,
      source: 'desk',
      by: row.step,
      content: row.note ?? (row.step === 'result-returned' ? 'Trả kết quả' : row.step),
    });
  steps.sort((a, b) => (a.at < b.at ? -1 : a.at > b.at ? 1 : 0));
  const local = LOCAL_STATUS[dossier.status] ?? 2;
  const latest = steps.at(-1)?.status ?? local;
  return {
    code: dossier.code,
    procedureName: dossier.procedure_name,
    applicantMasked: maskName(dossier.applicant_name),
    receivedAt: dossier.received_at ?? '',
    dueAt: dossier.due_at,
    status: Math.max(latest, dossier.province_status ?? 0, local),
    steps,
  };
}
