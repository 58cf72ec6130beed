import { cli } from './cli';
import { diagnose } from './diagnose';
import { network } from './network';
import { services } from './services';
import { settings } from './settings';
import { ui } from './ui';
import { update } from './update';

/**
 * Every Vietnamese text the desk shows lives under this folder, split by surface (ui, services, cli), so a
 * translation is one folder with the same keys. A new capability adds its own file and merges it here.
 */
export const vi = {
  ...ui,
  ...services,
  ...cli,
  ...settings,
  ...update,
  ...diagnose,
  ...network,
} as const;

export type Messages = typeof vi;
