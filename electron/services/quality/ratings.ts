import type { Database } from 'better-sqlite3';
import type { DissatisfactionReason, RatingLevel, RatingStep } from '../../api/quality-api';
import type { AuditLog } from '../audit/audit-log';
import { QualityError } from './quality-error';

export type { DissatisfactionReason, RatingLevel, RatingStep };

export const RATING_LEVELS = ['very-satisfied', 'satisfied', 'dissatisfied'] as const satisfies RatingLevel[];
export const RATING_STEPS = ['reception', 'result-return'] as const satisfies RatingStep[];
/** The optional reasons of "Chưa hài lòng" (QUALITY-766.md §2.3); codes only, never free text. */
export const DISSATISFACTION_REASONS = [
  'attitude',
  'unclear-guidance',
  'long-wait',
  'documents-already-held',
] as const satisfies DissatisfactionReason[];

export interface RatingInput {
  dossierId: string;
  step: RatingStep;
  level: RatingLevel;
  reasons?: DissatisfactionReason[];
}

export interface RatingRecord {
  dossierId: string;
  step: RatingStep;
  level: RatingLevel;
  reasons: DissatisfactionReason[];
  officerClerkId: string;
  channel: 'quay';
  ratedAt: string;
}

interface RatingRow {
  dossier_id: string;
  step: RatingStep;
  level: RatingLevel;
  reasons_json: string;
  officer_clerk_id: string;
  channel: 'quay';
  rated_at: string;
}

const toRecord = (row: RatingRow): RatingRecord => ({
  dossierId: row.dossier_id,
  step: row.step,
  level: row.level,
  reasons: JSON.parse(row.reasons_json) as DissatisfactionReason[],
  officerClerkId: row.officer_clerk_id,
  channel: row.channel,
  ratedAt: row.rated_at,
});

/**
 * The citizen's rating of the officer, one per dossier and step, bound to the dossier just handled (never to a
 * time window). Nothing of the citizen is stored: the dossier and the officer rated, the level, reason codes.
 */
export class RatingStore {
  constructor(
    private readonly db: Database,
    private readonly audit: AuditLog,
    private readonly clock: () => Date = () => new Date(),
  ) {}

  record(input: RatingInput, officerClerkId: string): RatingRecord {
    const reasons = [...new Set(input.reasons ?? [])].sort();
    if (reasons.length > 0 && input.level !== 'dissatisfied')
      throw new QualityError('reasons-need-dissatisfied', 'reasons given with a positive rating', {});
    return this.db.transaction(() => {
      const dossier = this.db
        .prepare('SELECT code, received_at FROM dossiers WHERE id = ?')
        .get(input.dossierId) as { code: string | null; received_at: string | null } | undefined;
      if (!dossier)
        throw new QualityError('dossier-not-found', 'rating for an unknown dossier', { code: '' });
      if (!dossier.code || !dossier.received_at)
        throw new QualityError('not-received', 'rating for a dossier not received', {
          code: dossier.code ?? '',
        });
      const row: RatingRow = {
        dossier_id: input.dossierId,
        step: input.step,
        level: input.level,
        reasons_json: JSON.stringify(reasons),
        officer_clerk_id: officerClerkId,
        channel: 'quay',
        rated_at: this.clock().toISOString(),
      };
      const inserted = this.db
        .prepare(
          `INSERT OR IGNORE INTO dossier_ratings (dossier_id, step, level, reasons_json, officer_clerk_id, channel, rated_at)
           VALUES (@dossier_id, @step, @level, @reasons_json, @officer_clerk_id, @channel, @rated_at)`,
        )
        .run(row);
      if (inserted.changes === 0)
        throw new QualityError('already-rated', 'dossier already rated at this step', {});
      this.audit.append({
        clerkId: officerClerkId,
        action: 'dossier.rated',
        objects: { dossierId: input.dossierId, code: dossier.code },
        details: { step: input.step, level: input.level, reasons: reasons.join(',') },
      });
      return toRecord(row);
    })();
  }

  forDossier(dossierId: string): RatingRecord[] {
    return (
      this.db
        .prepare('SELECT * FROM dossier_ratings WHERE dossier_id = ? ORDER BY rated_at, step')
        .all(dossierId) as RatingRow[]
    ).map(toRecord);
  }
}
