import { randomUUID } from 'node:crypto';
import type { DossierSummary } from '../../api/desk-api';
import type { Store } from '../store/store';
import { normalizeText } from '../text/fold';
import { ftsQuery } from '../text/fts-query';
import { dossierSummary, insertDossier, listDossierSummaries } from './dossier-rows';

/** A bare dossier row (no procedure code, no components): what the bench and the multi-desk fixture write. */
export interface NewDossierInput {
  procedureName: string;
  applicantName: string;
}

/** Dossiers in the local store. Recording a dossier also queues it for sync, in one transaction. */
export class DossierRepository {
  constructor(
    private readonly store: Store,
    private readonly clock: () => Date = () => new Date(),
  ) {}

  create(input: NewDossierInput): DossierSummary {
    const now = this.clock().toISOString();
    const procedureName = normalizeText(input.procedureName);
    const applicantName = normalizeText(input.applicantName);
    const summary: DossierSummary = {
      id: randomUUID(),
      code: null,
      procedureCode: null,
      procedureName,
      applicantName,
      status: 'received',
      createdAt: now,
      updatedAt: now,
    };
    const { db } = this.store;
    db.transaction(() => {
      insertDossier(db, {
        id: summary.id,
        procedureCode: null,
        procedureName,
        applicantName,
        status: 'received',
        at: now,
      });
      db.prepare(
        `INSERT INTO outbox (dossier_id, kind, created_at, updated_at) VALUES (?, 'dossier', ?, ?)`,
      ).run(summary.id, now, now);
    })();
    return summary;
  }

  get(id: string): DossierSummary | null {
    return dossierSummary(this.store.db, id) ?? null;
  }

  /**
   * Newest first. `query` matches words of the procedure, the applicant or the code, without regard to
   * diacritics or case, the last word as a prefix (full-text index, migration 007).
   */
  list(options: { query?: string; limit?: number } = {}): DossierSummary[] {
    const limit = Math.min(Math.max(options.limit ?? 200, 1), 1000);
    const match = ftsQuery(options.query ?? '');
    if (!match && options.query?.trim()) return [];
    return listDossierSummaries(this.store.db, match || null, limit);
  }
}
