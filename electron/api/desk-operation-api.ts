/**
 * The desk API's operation calls (issue #16: the CLI and IT staff through the same gate) and the view types
 * they and the scan/sync calls share. Types only, like desk-api.ts, which extends DeskCalls with these and
 * re-exports everything here.
 */

export type ScanSource = 'flatbed' | 'adf' | 'duplex';
export type ScanColorMode = 'color' | 'gray' | 'bw';
export type ScanPageSize = 'A4' | 'A5' | 'Letter';

export interface ScanSettingsView {
  source: ScanSource;
  resolution: number;
  mode: ScanColorMode;
  pageSize: ScanPageSize;
}

/** The sync engine's state, for the SyncPanel and the status bar (see electron/services/sync/sync-engine.ts). */
export interface SyncStateView {
  enrolled: boolean;
  serverUrl: string | null;
  deviceId: string | null;
  /** Dossiers not yet confirmed by the provincial system. */
  pending: number;
  bytesPending: number;
  /** Dossiers that need a person (conflict, code taken, invalid data). */
  parked: number;
  running: boolean;
  revoked: boolean;
  lastSuccessAt: string | null;
  /** clerkMessage is Vietnamese. */
  lastError: { code: string; clerkMessage: string; at: string } | null;
  nextAttemptAt: string | null;
}

/** Desk operations (IT staff, mostly from the CLI); merged into DeskCalls. */
export interface DeskOperationCalls {
  /** Schema version of the open database, for `motcua doctor`. */
  /** Schema version (doctor) and the id staged rollout hashes (update check): no personal data. */
  getStoreInfo: { input: undefined; output: { schemaVersion: number; rolloutDeskId: string } };
  /**
   * `doctor`'s look for damage: PRAGMA quick_check (integrity_check when full) and stored files opened against
   * their hash (a sample of 40, or all when full). Names files by hash only: no personal data.
   */
  checkStoreIntegrity: {
    input: { full: boolean };
    output: {
      database: { ok: boolean; problems: string[] };
      blobs: { total: number; checked: number; bad: string[] };
    };
  };
  /** Walks the audit log's hash chain. */
  verifyAuditLog: { input: undefined; output: AuditChainView };
  /** The retention purge the desk also runs daily; `dryRun` only counts. */
  purgeExpired: { input: { dryRun: boolean }; output: PurgeReportView };
  /** Where the data key comes from (never the key), and how many blob files are sealed; `seal` seals the rest. */
  getKeyStatus: { input: { seal: boolean }; output: KeyStatusView };
  /**
   * Before `motcua key rotate`: checks this desk keeps its key in a key file (a safeStorage desk rotates from
   * the app) and records the rotation under the signed-in account; the rotation runs once the desk is closed.
   */
  beginKeyRotation: { input: undefined; output: { keyFile: string } };
  /** Dossiers the sync queue parked for a person to decide, with the reason. */
  listParkedDossiers: { input: undefined; output: ParkedDossierView[] };
  /** One sync pass (`once`) or until the queue is empty; answers when done (or stopped by stopSync). */
  runSync: { input: { once: boolean }; output: SyncRunView };
  /** The desk's working calendar (shipped data + official tables synced into this database), no sign-in. */
  describeCalendarDay: { input: { date: string }; output: CalendarDayView };
  /** Due date of a processing time from a reception moment (Vietnam time when no zone is written). */
  computeDueDate: {
    input: { received: string; amount: number; unit: string };
    output: { received: string; amount: number; unit: string; countFrom: string; due: string };
  };
  /** Stops a running runSync at its next step; what is done is kept. */
  stopSync: { input: undefined; output: null };
  /**
   * A scanner test (IT, `motcua scan`): one batch with every sheet kept as the device gave it, the settings
   * the device took, timings, optionally a PDF of it and the settings saved as the model's default profile.
   */
  scanTest: {
    input: {
      deviceId: string;
      settings: Partial<ScanSettingsView>;
      profileName?: string;
      saveProfile?: string;
      pdf: boolean;
    };
    output: ScanTestView;
  };
}

export interface CalendarDayView {
  date: string;
  /** ISO weekday, 1 = Monday … 7 = Sunday. */
  weekday: number;
  working: boolean;
  /** Vietnamese `name`: why the day is off; null on a working day. */
  reason: { kind: string; name: string; holiday?: string; source?: string } | null;
  workingReason?: string;
}

export interface ScanTestView {
  batchId: string;
  device: { id: string; vendor: string; model: string };
  status: string;
  endedBy: 'completed' | 'cancelled';
  profile: string | null;
  settings: ScanSettingsView;
  pages: {
    seq: number;
    width: number;
    height: number;
    channels: number;
    depth: number;
    dpi: number;
    bytes: number;
    sha256: string;
    captureMs: number | null;
  }[];
  timings: { elapsedMs: number; captureMs: number; pdfMs?: number };
  pdf: { base64: string; bytes: number } | null;
}

export type AuditChainView =
  | { ok: true; entries: number; headHash: string; headSeq: number }
  | {
      ok: false;
      entries: number;
      firstBad: {
        seq: number;
        id: string;
        reason: 'gap' | 'link' | 'content' | 'truncated';
        expectedSeq: number;
      };
    };
export interface PurgeReportView {
  retentionDays: number;
  dossiers: number;
  resumed: number;
  dossierFiles: number;
  scanPages: number;
  ocrPages: number;
  blobsDeleted: number;
  cutoff: string;
  dryRun: boolean;
  available: boolean;
}
export interface KeyStatusView {
  source: 'given' | 'protector' | 'key-file';
  keyFile: string | null;
  sealedNow: number;
  sealed: number;
  clear: number;
}
export interface ParkedDossierView {
  outboxId: number;
  dossierId: string;
  code: string | null;
  reason: string;
  /** Vietnamese. */
  message: string;
}
export interface SyncRunView {
  ok: boolean;
  report: {
    pushed: number;
    parked: number;
    pulled: number;
    failed: number;
    bytesSent: number;
    bytesResent: number;
    ms: number;
  };
  state: SyncStateView;
  /** Vietnamese, when not ok. */
  message: string | null;
}
