import type { Command } from '../command';
import { auditVerifyCommand } from './audit';
import { calendarCommands } from './calendar';
import { cccdParseCommand, cccdReadCommand } from './cccd';
import { clerkAddCommand } from './clerk';
import { diagnoseCommand } from './diagnose';
import { doctorCommand } from './doctor';
import { enrollCommand } from './enroll';
import { keyRotateCommand, keyStatusCommand } from './key';
import { ocrCommand } from './ocr';
import { purgeCommand } from './purge';
import { queueCommand } from './queue';
import { receiveCommand } from './receive';
import { recoverCommand } from './recover';
import { reportPrefillCommand } from './report';
import { reportQualityCommand } from './report-quality';
import { scanCommand, scannersCommand } from './scan';
import { settingsGetCommand, settingsSetCommand } from './settings';
import { syncCommand } from './sync';
import { trackCommand } from './track';
import { updateCheckCommand, updateVerifyCommand } from './update';

/** Every `motcua` command. Add a command by adding its module here. */
export const commands: readonly Command[] = [
  doctorCommand,
  ...calendarCommands,
  cccdParseCommand,
  cccdReadCommand,
  scannersCommand,
  scanCommand,
  receiveCommand,
  clerkAddCommand,
  reportPrefillCommand,
  reportQualityCommand,
  trackCommand,
  ocrCommand,
  auditVerifyCommand,
  enrollCommand,
  syncCommand,
  queueCommand,
  purgeCommand,
  keyStatusCommand,
  keyRotateCommand,
  recoverCommand,
  settingsGetCommand,
  settingsSetCommand,
  updateCheckCommand,
  updateVerifyCommand,
  diagnoseCommand,
];
