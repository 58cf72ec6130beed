import type { Command } from '../command';
import { doctorCommand } from './doctor';

/** Every `motcua` command. Add a command by adding its module here. */
export const commands: readonly Command[] = [doctorCommand];
