import type { CallAccess, DeskCallName } from '../../api/desk-api';

/**
 * Who may make each desk call. Everything that reads or changes citizens' data needs a signed-in, unlocked
 * clerk, so every action is someone's (the directive's personal accountability); the sign-in screen's own
 * calls are open; creating clerks needs the desk admin; desk operations (enrolment, purge, key, audit check) need
 * an IT account or the admin and never reach a dossier's content. The sync queue is everyone's. A record over
 * every call name: a new call does not compile until someone decides. See `ROLES_FOR` in clerks/desk-session.
 */
export const CALL_ACCESS: Record<DeskCallName, CallAccess> = {
  getStatus: 'anyone',
  getSession: 'anyone',
  listClerks: 'anyone',
  setupFirstAdmin: 'anyone',
  signIn: 'anyone',
  signOut: 'anyone',
  lockSession: 'anyone',
  createClerk: 'admin',
  enrolDesk: 'it',
  listDossiers: 'clerk',
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
  getSyncState: 'account',
  syncNow: 'account',
  searchProcedures: 'clerk',
  startReception: 'clerk',
  getReception: 'clerk',
  attachScan: 'clerk',
  reuseDocument: 'clerk',
  completeReception: 'clerk',
  requestSupplement: 'clerk',
  refuseDossier: 'clerk',
  getDossierForm: 'clerk',
  printForm: 'clerk',
  // Counts per procedure, no personal data: the IT officer makes the report too.
  prefillReport: 'account',
  getStoreInfo: 'anyone',
  // Problems and file hashes only, no personal data: doctor runs before anyone signs in.
  checkStoreIntegrity: 'anyone',
  verifyAuditLog: 'it',
  purgeExpired: 'it',
  getKeyStatus: 'it',
  beginKeyRotation: 'it',
  listParkedDossiers: 'account',
  runSync: 'account',
  stopSync: 'account',
  // Public calendar data, no one's: the CLI answers these without sign-in.
  describeCalendarDay: 'anyone',
  computeDueDate: 'anyone',
  // A test of the scanner: the IT officer's, or a clerk's at the desk.
  scanTest: 'account',
  qualityReport: 'clerk',
  // The citizen's screen: it sees only the open prompt and can rate only that dossier, once.
  getRatingPrompt: 'anyone',
  recordRating: 'anyone',
  returnResult: 'clerk',
  dueDossiers: 'clerk',
  trackDossier: 'clerk',
  // Values and their sources, no personal data (proxy credentials masked): `motcua settings get` needs no sign-in.
  getSettings: 'anyone',
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
  'listParkedDossiers',
  'qualityReport',
  'dueDossiers',
]);
