import type { ClerkView, DeskCalls } from '../../api/desk-api';
import { vi } from '../../api/i18n';
import type { RatingStep } from '../../api/quality-api';
import type { AuditLog } from '../audit/audit-log';
import { openWorkingCalendar } from '../calendar';
import type { DeskSession } from '../clerks/desk-session';
import type { EventHub } from '../events/event-hub';
import type { ReceptionHandlers } from '../reception/desk-reception';
import type { Store } from '../store/store';
import { trackDossier } from './dossier-tracking';
import { dueDossiers } from './due-dossiers';
import { QualityService } from './quality-report';
import { RatingPrompt } from './rating-prompt';
import { RatingStore } from './ratings';
import { ResultReturns } from './result-return';
import { scopedQualityReport } from './scoped-report';

export const QUALITY_CALL_NAMES = [
  'qualityReport',
  'getRatingPrompt',
  'recordRating',
  'returnResult',
  'dueDossiers',
  'trackDossier',
] as const satisfies readonly (keyof DeskCalls)[];
type QualityCallName = (typeof QUALITY_CALL_NAMES)[number];

export interface DeskQualityOptions {
  store: Store;
  audit: AuditLog;
  session: DeskSession;
  events: EventHub;
  /** The commune shown on the rating screen. */
  agencyName: string;
  clock?: () => Date;
  reception: Pick<ReceptionHandlers, 'completeReception'>;
  onDossierChanged: (dossierId: string) => void;
}

/**
 * Issue 15 at the desk: the 766 report, the citizen's rating of the dossier just handled (opened after the
 * receipt is printed and after the result is returned), and the result's return. `completeReception` wraps
 * the reception's own call, so the rating opens only once the receipt exists.
 */
export function createDeskQuality(options: DeskQualityOptions) {
  const { store, audit, session, events } = options;
  const clock = options.clock ?? (() => new Date());
  const quality = new QualityService(store.db, { clock });
  const ratings = new RatingStore(store.db, audit, clock);
  const prompt = new RatingPrompt(ratings, (view) => events.emit('ratingPrompt', view));
  const results = new ResultReturns(store, audit, clock);

  const openRating = (dossierId: string, step: RatingStep, clerk: ClerkView) => {
    const row = store.db.prepare('SELECT code FROM dossiers WHERE id = ?').get(dossierId) as
      | { code: string | null }
      | undefined;
    if (!row?.code) return;
    prompt.open({
      dossierId,
      dossierCode: row.code,
      step,
      officer: {
        clerkId: clerk.id,
        name: clerk.name,
        position: vi.quality.rating.defaultPosition,
        commune: options.agencyName,
        photoDataUrl: null,
      },
      openedAt: clock().toISOString(),
    });
  };

  const handlers: {
    [K in QualityCallName | 'completeReception']: (
      input: DeskCalls[K]['input'],
    ) => DeskCalls[K]['output'] | Promise<DeskCalls[K]['output']>;
  } = {
    qualityReport: (input) => scopedQualityReport(quality, session.check(), input),
    getRatingPrompt: () => prompt.get(),
    trackDossier: ({ code }) => trackDossier(store.db, code),
    dueDossiers: () => dueDossiers(store.db, openWorkingCalendar({ db: store.db }), clock()),
    recordRating: (input) => prompt.record(input),
    returnResult: async ({ dossierId, kind, file }) => {
      const clerk = session.require();
      const record = await results.record(
        {
          dossierId,
          kind,
          ...(file
            ? {
                file: {
                  name: file.name,
                  mimeType: file.mimeType,
                  bytes: Buffer.from(file.dataBase64, 'base64'),
                },
              }
            : {}),
        },
        clerk.id,
      );
      options.onDossierChanged(dossierId);
      openRating(dossierId, 'result-return', clerk);
      return record;
    },
    completeReception: async (input) => {
      const output = await options.reception.completeReception(input);
      const clerk = session.check();
      openRating(input.dossierId, 'reception', clerk);
      return output;
    },
  };
  return { quality, ratings, prompt, results, handlers };
}

export type DeskQuality = ReturnType<typeof createDeskQuality>;
