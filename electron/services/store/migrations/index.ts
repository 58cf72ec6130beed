import type { Migration } from '../migrate';
import { coreMigration } from './001-core';
import { scanMigration } from './002-scan';
import { ocrMigration } from './003-ocr';
import { calendarMigration } from './004-calendar';
import { receptionMigration } from './005-reception';
import { scanLayoutMigration } from './006-scan-layout';
import { searchMigration } from './007-search';
import { dossierFilesMigration } from './008-dossier-files';
import { syncMigration } from './009-sync';
import { clerksMigration } from './010-clerks';
import { securityMigration } from './011-security';
import { reliabilityMigration } from './012-reliability';
import { itAccountsMigration } from './013-it-accounts';
import { qualityMigration } from './014-quality';

/** Every migration, in order. Forward-only: never edit a released one; add the next number. */
export const migrations: readonly Migration[] = [
  coreMigration,
  scanMigration,
  ocrMigration,
  calendarMigration,
  receptionMigration,
  scanLayoutMigration,
  searchMigration,
  dossierFilesMigration,
  syncMigration,
  clerksMigration,
  securityMigration,
  reliabilityMigration,
  itAccountsMigration,
  qualityMigration,
];
