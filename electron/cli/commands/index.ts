import type { Command } from '../command';
import { auditVerifyCommand } from './audit';
import { calendarCommands } from './calendar';
import { cccdParseCommand, cccdReadCommand } from './cccd';
import { doctorCommand } from './doctor';
import { ocrCommand } from './ocr';
import { scanCommand, scannersCommand } from './scan';

/** Every `motcua` command. Add a command by adding its module here. */
export const commands: readonly Command[] = [
  doctorCommand,
  ...calendarCommands,
  cccdParseCommand,
  cccdReadCommand,
  scannersCommand,
  scanCommand,
  ocrCommand,
  auditVerifyCommand,
];
