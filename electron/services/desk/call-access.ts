import type { ClerkRole, DeskCallName } from '../../api/desk-api';

/**
 * Who may make each desk call. Everything that reads or changes citizens' data needs a signed-in, unlocked
 * clerk, so every action is someone's (the directive's personal accountability); the sign-in screen's own
 * calls are open; enrolling the desk and creating clerks need the desk admin. A record over every call name:
 * a new call does not compile until someone decides.
 */
export const CALL_ACCESS: Record<DeskCallName, 'anyone' | ClerkRole> = {
  getStatus: 'anyone',
  getSession: 'anyone',
  listClerks: 'anyone',
  setupFirstAdmin: 'anyone',
  signIn: 'anyone',
  signOut: 'anyone',
  lockSession: 'anyone',
  createClerk: 'admin',
  enrolDesk: 'admin',
  listDossiers: 'clerk',
  createDossier: 'clerk',
  listScanners: 'clerk',
  startScan: 'clerk',
  cancelScan: 'clerk',
  resumeScan: 'clerk',
  listUnfinishedScans: 'clerk',
  getScanBatch: 'clerk',
  editScanPage: 'clerk',
  rescanPage: 'clerk',
  saveScanProfile: 'clerk',
  importPages: 'clerk',
  getOcrStatus: 'clerk',
  getPageText: 'clerk',
  searchDocuments: 'clerk',
  extractFromPage: 'clerk',
  readCccdQr: 'clerk',
  getSyncState: 'clerk',
  syncNow: 'clerk',
  searchProcedures: 'clerk',
  startReception: 'clerk',
  getReception: 'clerk',
  attachScan: 'clerk',
  reuseDocument: 'clerk',
  completeReception: 'clerk',
  requestSupplement: 'clerk',
  refuseDossier: 'clerk',
  getDossierForm: 'clerk',
  prefillReport: 'clerk',
  getSettings: 'clerk',
  setSetting: 'admin',
  createDiagnosticsBundle: 'admin',
};

/**
 * Reads a screen makes by itself (reloading a list on a background event, polling progress): they need the
 * clerk like any call but do not count as the clerk at work, so an unattended desk still locks when idle.
 */
export const PASSIVE_CALLS: ReadonlySet<DeskCallName> = new Set<DeskCallName>([
  'listDossiers',
  'listScanners',
  'listUnfinishedScans',
  'getScanBatch',
  'getOcrStatus',
  'getPageText',
  'getSyncState',
  'getReception',
  'prefillReport',
]);
