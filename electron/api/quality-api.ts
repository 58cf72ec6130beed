/**
 * Types of the Decision 766 quality report (issue 15), shared by the quality service, the desk call, the CLI
 * and the dashboard. Plain data only: the renderer imports this file.
 */

export const QUALITY_INDICATORS = ['1.4', '2.1', '2.2', '4.1', '4.2', '4.3', '4.4', '4.5b', '5.4'] as const;
export type QualityIndicator = (typeof QUALITY_INDICATORS)[number];

/** How a 0/0 figure is scored: 0 points, full points, or not scored. */
export type EmptyPeriodRule = 'zero' | 'full' | 'null';
/** How a finish time is compared with the due time: to the second, or by Vietnam calendar date. */
export type DueDateRule = 'timestamp' | 'calendar-date';

export interface QualityFigure {
  indicator: QualityIndicator;
  numerator: number;
  denominator: number;
  /** numerator ÷ denominator (2.2: average days); null when the denominator is 0. */
  ratio: number | null;
  /** Points earned under the set; null when the set does not score it (0/0 rule `null`, or 2.2). */
  points: number | null;
  maxPoints: number;
  /** Ratio in % that earns full points; null when the indicator is tracked, not scored. */
  fullAt: number | null;
  formulaSet: string;
  emptyRule: EmptyPeriodRule;
  /** 2.1/5.4: the comparison rule used. */
  dateRule?: DueDateRule;
  /** 5.4: desk ratings counted (an early warning; they may never reach DVCQG). */
  local?: { dissatisfiedRatings: number; counted: boolean; complaints: number };
  /** 2.1: the split of the denominator. */
  breakdown?: { early: number; onTime: number; late: number; secondSupplement: number };
  /** The dossiers behind the figure (desk ids), when asked for. */
  dossiers?: { numerator: string[]; denominator: string[] };
}

export interface QualityFormulaSetView {
  id: string;
  title: string;
  source: 'portal-live' | 'formula-document' | 'provincial';
  effectiveFrom: string;
  effectiveTo: string | null;
  dateRule: DueDateRule;
}

export interface QualityFigures {
  figures: QualityFigure[];
  /** Sum of the points scored (the indicators the desk controls only). */
  points: number;
  maxPoints: number;
}

export interface QualityReport extends QualityFigures {
  /** Vietnam calendar days, inclusive; dossiers are taken by their reception day (NgayTiepNhan). */
  period: { from: string; to: string };
  /** Overdue dossiers are judged as of this instant (ISO UTC). */
  asOf: string;
  formulaSet: QualityFormulaSetView;
  clerkId: string | null;
  dossierCount: number;
  byClerk: ({ clerkId: string; clerkName: string | null; dossierCount: number } & QualityFigures)[];
  byProcedure: ({ procedureCode: string; procedureName: string; dossierCount: number } & QualityFigures)[];
}

export interface QualityReportInput {
  /** YYYY-MM-DD; with `to`, a custom period. */
  from?: string;
  to?: string;
  /** A named period instead: YYYY-MM (month), YYYY-Qn (quarter) or YYYY (year). */
  period?: string;
  clerkId?: string;
  formulaSet?: string;
  /** List the dossier ids behind each figure. */
  withDossiers?: boolean;
}

export type RatingLevel = 'very-satisfied' | 'satisfied' | 'dissatisfied';
export type RatingStep = 'reception' | 'result-return';
/** The optional reasons of "Chưa hài lòng"; codes only, never free text (it could name the citizen). */
export type DissatisfactionReason = 'attitude' | 'unclear-guidance' | 'long-wait' | 'documents-already-held';

/** What the rating screen shows: the officer who just handled the dossier, and which dossier and step. */
export interface RatingPromptView {
  dossierId: string;
  dossierCode: string;
  step: RatingStep;
  officer: { clerkId: string; name: string; position: string; commune: string; photoDataUrl: string | null };
  openedAt: string;
}

export interface RatingRecordInput {
  dossierId: string;
  step: RatingStep;
  level: RatingLevel;
  reasons?: DissatisfactionReason[];
}

/** A dossier not yet returned, by how close its due time is (the home screen's lists). */
export interface DueDossierView {
  dossierId: string;
  code: string;
  procedureName: string;
  /** Masked: "Nguyễn V. A.". */
  applicantMasked: string;
  dueAt: string;
  clerkId: string | null;
}

export interface DueDossiersView {
  overdue: DueDossierView[];
  dueToday: DueDossierView[];
  /** Due after today, within the next two working days. */
  dueSoon: DueDossierView[];
}

/** `motcua track` and the lookup screen: the dossier's status and timeline, the applicant's name masked. */
export interface DossierTrackingView {
  code: string;
  procedureName: string;
  applicantMasked: string;
  receivedAt: string;
  dueAt: string | null;
  /** TrangThaiHoSo: the latest of the province's status and the desk's own steps. */
  status: number;
  steps: {
    at: string;
    status: number;
    source: 'province' | 'desk';
    /** Province: NguoiXuLy; desk: the step's name. No citizen data. */
    by: string;
    content: string;
  }[];
}

/** The desk calls of issue 15; `DeskCalls` extends this. */
export interface QualityCalls {
  /** Issue 15: Decision 766 estimates; a clerk gets their own figures, the admin the desk's or any clerk's. */
  qualityReport: { input: QualityReportInput | undefined; output: QualityReport };
  /** `motcua track` and the lookup screen: status and timeline, the applicant's name masked. */
  trackDossier: { input: { code: string }; output: DossierTrackingView };
  /** Home screen: dossiers overdue, due today, due within two working days (working-day calendar). */
  dueDossiers: { input: undefined; output: DueDossiersView };
  /** The rating screen: the dossier just handled and its officer, or null (idle). */
  getRatingPrompt: { input: undefined; output: RatingPromptView | null };
  /** Only the open prompt's dossier and step can be rated, once; stores no citizen identity. */
  recordRating: { input: RatingRecordInput; output: { recorded: true } };
  /** Hands the result back (status 10), with the e-result or the scanned paper result. */
  returnResult: {
    input: {
      dossierId: string;
      kind: 'e-result' | 'paper-scan' | 'paper';
      file?: { name: string; mimeType: 'application/pdf' | 'image/jpeg' | 'image/png'; dataBase64: string };
    };
    output: { dossierId: string; code: string; kind: string; fileSha256: string | null; returnedAt: string };
  };
}
