/**
 * The typed desk API: every call the renderer may make and every event it may receive.
 * Types and names only — no runtime Node code — so the renderer, the preload and the services share it.
 */
import type {
  DeskOperationCalls,
  ScanColorMode,
  ScanPageSize,
  ScanSettingsView,
  ScanSource,
  SyncStateView,
} from './desk-operation-api';
import type { DeskErrorCode } from './errors';
import type { QualityCalls, RatingPromptView } from './quality-api';

// Split out to keep this file short; re-exported so every import of the desk API stays as it was.
export type * from './desk-operation-api';

export type DossierStatus = 'draft' | 'received' | 'synced' | 'refused' | 'supplement-requested';

export interface DossierSummary {
  id: string;
  code: string | null;
  procedureCode: string | null;
  procedureName: string;
  applicantName: string;
  status: DossierStatus;
  createdAt: string;
  updatedAt: string;
  /** TrangThaiHoSo (1–10) as the provincial system last reported it; null/absent before it confirmed. */
  provinceStatus?: number | null;
}

export interface ListDossiersInput {
  /** Diacritic-insensitive text to look for in procedure or applicant name. */
  query?: string;
  limit?: number;
}

export type ScannerState = 'checking' | 'ready' | 'not-found' | 'unavailable';
export type NetworkState = 'not-configured' | 'checking' | 'online' | 'offline';

export interface DeskStatus {
  appVersion: string;
  agencyName: string;
  scanner: { state: ScannerState; deviceCount: number };
  network: { state: NetworkState; lastCheckedAt: string | null };
  queue: { pending: number; failed: number };
  /** Free space of the data dir's disk; below the reserve no new scan starts. */
  disk: { freeBytes: number | null; reserveBytes: number; belowReserve: boolean };
}

export interface ScannerView {
  id: string;
  /** "Vendor Model", for the picker. */
  label: string;
  vendor: string;
  model: string;
  capabilities: {
    sources: ScanSource[];
    modes: ScanColorMode[];
    resolutions: number[];
    pageSizes: ScanPageSize[];
  };
  /** Saved profiles of this scanner model; the default one first. */
  profiles: { name: string; isDefault: boolean; settings: ScanSettingsView }[];
  /** What a new scan uses when the clerk changes nothing. */
  defaults: ScanSettingsView;
}

export interface ScanPageView {
  /** Stable id of the page within its batch. */
  seq: number;
  /** 1-based place in the batch as the clerk arranged it. */
  position: number;
  /** Clockwise quarter turns the clerk applied: 0, 90, 180, 270. */
  rotation: number;
  /** 1-based dossier component the page belongs to: separator sheets start the next one. */
  component: number;
  width: number;
  height: number;
  dpi: number;
  bytes: number;
  /** Small JPEG as a data: URL (the CSP allows data: images; no file access from the renderer). */
  thumbnail: string;
}

export interface ScanBatchView {
  id: string;
  scannerLabel: string;
  settings: ScanSettingsView;
  status: 'scanning' | 'interrupted' | 'done' | 'discarded';
  /** Vietnamese reason the batch stopped early, if it did. */
  lastError: string | null;
  pageCount: number;
  /** Blank sheets (back sides) left out of the batch. */
  blankPages: number;
  createdAt: string;
}

export type ScanPageEdit = 'rotate-left' | 'rotate-right' | 'delete' | 'move-earlier' | 'move-later';

export type OcrPageStatus = 'pending' | 'running' | 'done' | 'failed';

export interface OcrPageState {
  seq: number;
  status: OcrPageStatus;
  /** Mean word confidence 0..100 once done. */
  confidence: number | null;
  /** Vietnamese reason a page failed. */
  message: string | null;
}

export interface PageTextView {
  batchId: string;
  seq: number;
  status: OcrPageStatus | 'not-queued';
  text: string;
  confidence: number | null;
  /** Words with boxes in page pixels; `low` marks words the clerk should check. */
  words: { text: string; confidence: number; low: boolean; x0: number; y0: number; x1: number; y1: number }[];
  /** The page as a JPEG data: URL, about 1000 px wide, and the pixel size the boxes refer to. */
  image: string;
  width: number;
  height: number;
}

export interface PageSearchHit {
  batchId: string;
  seq: number;
  /** A few words of the page's own text around the first match, with their diacritics. */
  snippet: string;
  scannedAt: string;
}

export interface ExtractedFieldView {
  kind:
    | 'idNumber'
    | 'oldIdNumber'
    | 'fullName'
    | 'dateOfBirth'
    | 'birthYear'
    | 'documentNumber'
    | 'issueDate'
    | 'issuingBody';
  /** Vietnamese name of the field. */
  label: string;
  value: string;
  /** 0..1: how sure the desk is; the clerk confirms every value before it is used. */
  confidence: number;
  /** The label printed on the paper next to the value, when there was one. */
  printedLabel: string | null;
}

export interface CccdView {
  idNumber: string;
  oldIdNumber: string | null;
  fullName: string;
  dateOfBirth: string;
  sex: string;
  address: string;
  issueDate: string;
}

// ---- Reception (clerks, procedures, dossiers at the desk) ----

/** `it`: an IT account the admin creates for desk operations (sync, queue, purge, key, reports), no dossiers. */
export type ClerkRole = 'clerk' | 'admin' | 'it';
/**
 * Who may make a call: `clerk` = dossier work (clerks and admins), `admin`, `it` = desk operations without
 * personal data (IT accounts and admins), `account` = any signed-in account, `anyone` = no sign-in.
 */
export type CallAccess = 'anyone' | 'clerk' | 'admin' | 'it' | 'account';
export type AccountAccess = Exclude<CallAccess, 'anyone'>;
export interface ClerkView {
  id: string;
  name: string;
  role: ClerkRole;
}
export interface SessionView {
  /** null = nobody signed in (or locked). */
  clerk: ClerkView | null;
  /** No clerk exists yet: show "create the first desk admin". */
  needsSetup: boolean;
  /** Signed in but idle-locked: ask the same clerk's PIN again. */
  locked: boolean;
  /** While locked: whose PIN opens the session again (another clerk may sign in instead). */
  lockedClerk?: ClerkView | null;
  idleLockSeconds: number;
}
export interface ProcedureView {
  code: string;
  name: string;
  field: string | null;
  level: string | null;
  sample: boolean;
  processingTime: { amount: number; unit: 'working-days' | 'days' | 'hours' };
  fees: { name: string; amountVnd: number }[];
  components: {
    code: string;
    name: string;
    originals: number;
    copies: number;
    required: boolean;
    resultOfProcedure: string | null;
  }[];
}
export interface ApplicantInput {
  fullName: string;
  idNumber: string;
  /** YYYY-MM-DD */
  dateOfBirth?: string;
  sex?: string;
  address?: string;
  phone?: string;
  email?: string;
}
export interface ReceptionComponentView {
  code: string;
  name: string;
  required: boolean;
  position: number;
  status: 'missing' | 'scanned' | 'reused';
  pageCount: number;
  reusedFrom: { dossierCode: string | null; title: string; source: 'desk' | 'province' } | null;
}
/** Once-only: what is already digitized for this applicant. */
export interface ReusableDocumentView {
  documentId: string;
  componentCode: string;
  title: string;
  source: 'desk' | 'province';
  dossierCode: string | null;
  issuedOn: string | null;
  validUntil: string | null;
}
export interface ReceptionView {
  dossierId: string;
  code: string | null;
  status: DossierStatus;
  procedure: ProcedureView;
  applicant: ApplicantInput;
  components: ReceptionComponentView[];
  reusable: ReusableDocumentView[];
  receivedAt: string | null;
  /** Previewed from "now" while draft. */
  dueAt: string;
  prefill: { prefilled: number; typed: number };
}
export interface PrefillReportRow {
  procedureCode: string;
  procedureName: string;
  dossiers: number;
  prefilled: number;
  typed: number;
}

/** Request → response of every call. Inputs must be JSON-serialisable (they cross IPC or HTTP). */
/** Where a setting's effective value comes from (electron/services/settings). */
export type SettingSource = 'policy-locked' | 'desk' | 'policy-default' | 'built-in';
export type SettingValue = string | number | boolean | null | readonly string[];
export interface SettingView {
  /** Dotted path in config.json: `agencyCode`, `ocr.workers`, `update.feedUrls`… */
  key: string;
  value: SettingValue;
  source: SettingSource;
  /** IT fixed it in the machine policy: read-only at the desk. */
  locked: boolean;
}

/** Issue 15's calls (electron/api/quality-api.ts) and the IT operations are part of the desk API. */
export interface DeskCalls extends DeskOperationCalls, QualityCalls {
  getStatus: { input: undefined; output: DeskStatus };
  listDossiers: { input: ListDossiersInput; output: DossierSummary[] };
  listScanners: { input: undefined; output: ScannerView[] };
  /** Starts scanning in the background and answers at once; progress and pages arrive as events. */
  startScan: {
    input: { deviceId: string; settings: ScanSettingsView; profileName?: string };
    output: { batchId: string };
  };
  cancelScan: { input: { batchId: string }; output: null };
  /** Continues an interrupted batch into the same page list (after a jam, a crash, a cancel). */
  resumeScan: { input: { batchId: string }; output: { batchId: string } };
  /** Batches left unfinished, to offer resuming them. */
  listUnfinishedScans: { input: undefined; output: ScanBatchView[] };
  getScanBatch: { input: { batchId: string }; output: { batch: ScanBatchView; pages: ScanPageView[] } };
  editScanPage: { input: { batchId: string; seq: number; edit: ScanPageEdit }; output: ScanPageView[] };
  /** Scans one sheet again and puts it in place of page `seq`. */
  rescanPage: { input: { batchId: string; seq: number; deviceId: string }; output: { batchId: string } };
  saveScanProfile: {
    input: { deviceId: string; name: string; settings: ScanSettingsView; isDefault: boolean };
    output: ScannerView;
  };
  /** Pages from image files (PNG, JPEG, TIFF) the citizen brought on a USB stick or sent by e-mail. */
  importPages: { input: { files: { name: string; base64: string }[] }; output: { batchId: string } };
  getOcrStatus: { input: { batchId: string }; output: OcrPageState[] };
  getPageText: { input: { batchId: string; seq: number }; output: PageTextView };
  /** Fields read from a page's OCR text (ID numbers, names, dates, document number…), best first. */
  extractFromPage: { input: { batchId: string; seq: number }; output: ExtractedFieldView[] };
  /** The chip ID card QR as a handheld reader types it; strictly validated. */
  readCccdQr: { input: { payload: string }; output: CccdView };
  /** Dossiers by name or code, and scanned pages by their OCR text; diacritics optional. */
  searchDocuments: {
    input: { query: string };
    output: { dossiers: DossierSummary[]; pages: PageSearchHit[] };
  };
  getSyncState: { input: undefined; output: SyncStateView };
  /** "Đồng bộ ngay": asks the sync engine to run now; answers at once, progress arrives as syncState. */
  syncNow: { input: undefined; output: SyncStateView };
  /** One-time enrolment of this desk with the provincial system (IT staff). */
  enrolDesk: {
    input: { serverUrl: string; code: string };
    output: { deviceId: string; agencyCode: string; deskSlot: number };
  };
  getSession: { input: undefined; output: SessionView };
  listClerks: { input: undefined; output: ClerkView[] };
  /** Only while no clerk exists. */
  setupFirstAdmin: { input: { name: string; pin: string }; output: SessionView };
  signIn: { input: { clerkId: string; pin: string }; output: SessionView };
  signOut: { input: undefined; output: SessionView };
  lockSession: { input: undefined; output: SessionView };
  /** Admin only. */
  createClerk: { input: { name: string; pin: string; role: ClerkRole }; output: ClerkView };
  /** Diacritic-insensitive. */
  searchProcedures: { input: { query: string; limit?: number }; output: ProcedureView[] };
  startReception: {
    input: {
      procedureCode: string;
      applicant: ApplicantInput;
      prefill?: { prefilled: number; typed: number };
    };
    output: ReceptionView;
  };
  getReception: { input: { dossierId: string }; output: ReceptionView };
  /** The batch's kept pages (separators honoured) become the component's PDF. */
  attachScan: {
    /** `pagesPerComponent`: split the batch by page counts into consecutive components (no separator sheets). */
    input: { dossierId: string; componentCode: string; batchId: string; pagesPerComponent?: number[] };
    output: ReceptionView;
  };
  reuseDocument: {
    input: { dossierId: string; componentCode: string; documentId: string };
    output: ReceptionView;
  };
  completeReception: {
    input: { dossierId: string };
    output: { view: ReceptionView; receiptPdfBase64: string };
  };
  requestSupplement: {
    input: { dossierId: string; componentCodes: string[]; note?: string };
    output: { view: ReceptionView; pdfBase64: string; countsAsOverdue: boolean };
  };
  refuseDossier: {
    input: { dossierId: string; reason: string };
    output: { view: ReceptionView; pdfBase64: string };
  };
  getDossierForm: {
    input: { dossierId: string; form: 'receipt' | 'supplement' | 'refusal' };
    output: { pdfBase64: string };
  };
  /**
   * Prints one of the dossier's forms where this front door has a printer (Electron: the OS print dialog);
   * `printed` null means it has none (the browser build) and the PDF comes back for the browser to print.
   */
  printForm: {
    input: { dossierId: string; form: 'receipt' | 'supplement' | 'refusal' };
    output: { pdfBase64: string; printed: boolean | null };
  };
  /** Issue #4: per procedure form, fields pre-filled vs typed. */
  prefillReport: { input: { from?: string; to?: string }; output: PrefillReportRow[] };
  /** Every setting with its effective value and source; clerks read, only the admin changes. */
  getSettings: { input: undefined; output: SettingView[] };
  /** Admin only; a key locked by the machine policy is refused. Applies at the next start. */
  setSetting: { input: { key: string; value: SettingValue }; output: SettingView };
  /** Admin only: the diagnostics zip for IT (no personal data, no page images, no database, no keys). */
  createDiagnosticsBundle: { input: undefined; output: { fileName: string; zipBase64: string } };
}

/** Events pushed to the renderer. */
export interface DeskEvents {
  status: DeskStatus;
  dossierChanged: DossierSummary;
  /** Bytes of the page being read; `totalBytes` null when the device does not know (ADF, unknown length). */
  scanProgress: { batchId: string; pageNumber: number; bytesRead: number; totalBytes: number | null };
  scanPage: { batchId: string; page: ScanPageView };
  ocrProgress: {
    batchId: string;
    seq: number;
    status: OcrPageStatus;
    confidence: number | null;
    /** Pages of the batch finished (done or failed), and its page count. */
    finished: number;
    total: number;
    message: string | null;
  };
  scanEnded: {
    batchId: string;
    endedBy: 'completed' | 'cancelled' | 'failed';
    pageCount: number;
    /** Vietnamese: what happened and what to do. */
    message: string | null;
  };
  syncState: SyncStateView;
  /** The rating screen opens (a dossier was just handled) or goes idle (null). */
  ratingPrompt: RatingPromptView | null;
}

export type DeskCallName = keyof DeskCalls;
export type DeskEventName = keyof DeskEvents;

/** The calls of the reception workflow and the clerk session (served by electron/services/reception). */
export const RECEPTION_CALL_NAMES = [
  'getSession',
  'listClerks',
  'setupFirstAdmin',
  'signIn',
  'signOut',
  'lockSession',
  'createClerk',
  'searchProcedures',
  'startReception',
  'getReception',
  'attachScan',
  'reuseDocument',
  'completeReception',
  'requestSupplement',
  'refuseDossier',
  'getDossierForm',
  'prefillReport',
] as const satisfies readonly DeskCallName[];

export const DESK_CALL_NAMES = [
  'getStatus',
  'listDossiers',
  'listScanners',
  'startScan',
  'cancelScan',
  'resumeScan',
  'listUnfinishedScans',
  'getScanBatch',
  'editScanPage',
  'rescanPage',
  'saveScanProfile',
  'importPages',
  'getOcrStatus',
  'getPageText',
  'searchDocuments',
  'extractFromPage',
  'readCccdQr',
  'getSyncState',
  'syncNow',
  'enrolDesk',
  'qualityReport',
  'getRatingPrompt',
  'recordRating',
  'returnResult',
  'dueDossiers',
  'trackDossier',
  'getSettings',
  'setSetting',
  'createDiagnosticsBundle',
  ...RECEPTION_CALL_NAMES,
  'getStoreInfo',
  'checkStoreIntegrity',
  'verifyAuditLog',
  'purgeExpired',
  'getKeyStatus',
  'beginKeyRotation',
  'listParkedDossiers',
  'runSync',
  'stopSync',
  'scanTest',
  'printForm',
  'describeCalendarDay',
  'computeDueDate',
] as const satisfies readonly DeskCallName[];
export const DESK_EVENT_NAMES = [
  'status',
  'dossierChanged',
  'scanProgress',
  'scanPage',
  'scanEnded',
  'ocrProgress',
  'syncState',
  'ratingPrompt',
] as const satisfies readonly DeskEventName[];

// Compile-time check that the lists above name every call and event.
type Missing<All, Listed> = Exclude<All, Listed>;
const everyCallListed: Missing<DeskCallName, (typeof DESK_CALL_NAMES)[number]> extends never ? true : never =
  true;
const everyEventListed: Missing<DeskEventName, (typeof DESK_EVENT_NAMES)[number]> extends never
  ? true
  : never = true;
void everyCallListed;
void everyEventListed;

export type DeskCallResult<K extends DeskCallName> =
  | { ok: true; value: DeskCalls[K]['output'] }
  | { ok: false; error: DeskErrorPayload };

export interface DeskErrorPayload {
  code: DeskErrorCode;
  /** Vietnamese, for the clerk. */
  message: string;
}

/** What the renderer holds: one async method per call, plus event subscription. */
export type DeskApi = {
  [K in DeskCallName]: undefined extends DeskCalls[K]['input']
    ? (input?: DeskCalls[K]['input']) => Promise<DeskCalls[K]['output']>
    : (input: DeskCalls[K]['input']) => Promise<DeskCalls[K]['output']>;
} & {
  on<E extends DeskEventName>(event: E, listener: (payload: DeskEvents[E]) => void): () => void;
};

/** Electron IPC channel names (preload ↔ main). */
export const IPC_INVOKE_CHANNEL = 'desk:invoke';
export const IPC_EVENT_CHANNEL = 'desk:event';

/** HTTP host routes (web build ↔ electron/host). */
export const HTTP_CALL_PREFIX = '/api/';
export const WS_EVENTS_PATH = '/events';
export const HOST_TOKEN_HEADER = 'x-desk-token';
