/**
 * The typed desk API: every call the renderer may make and every event it may receive.
 * Types and names only — no runtime Node code — so the renderer, the preload and the services share it.
 */
import type { DeskErrorCode } from './errors';

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
}

export interface NewDossierInput {
  procedureName: string;
  applicantName: string;
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
}

/** Request → response of every call. Inputs must be JSON-serialisable (they cross IPC or HTTP). */
export interface DeskCalls {
  getStatus: { input: undefined; output: DeskStatus };
  listDossiers: { input: ListDossiersInput; output: DossierSummary[] };
  createDossier: { input: NewDossierInput; output: DossierSummary };
}

/** Events pushed to the renderer. */
export interface DeskEvents {
  status: DeskStatus;
  dossierChanged: DossierSummary;
}

export type DeskCallName = keyof DeskCalls;
export type DeskEventName = keyof DeskEvents;

export const DESK_CALL_NAMES = [
  'getStatus',
  'listDossiers',
  'createDossier',
] as const satisfies readonly DeskCallName[];
export const DESK_EVENT_NAMES = ['status', 'dossierChanged'] as const satisfies readonly DeskEventName[];

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
