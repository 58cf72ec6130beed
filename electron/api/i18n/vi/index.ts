import { applicantInput } from './applicant-input';
import { cli } from './cli';
import { config } from './config';
import { diagnose } from './diagnose';
import { escl } from './escl';
import { gate } from './gate';
import { network } from './network';
import { quality } from './quality';
import { rooms } from './rooms';
import { scanHost } from './scan-host';
import { services } from './services';
import { settings } from './settings';
import { syncBackoff } from './sync-backoff';
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
  ...config,
  ...escl,
  ...gate,
  ...rooms,
  ...quality,
  ...settings,
  ...update,
  ...diagnose,
  ...network,
  ...applicantInput,
  ...syncBackoff,
  ...scanHost,
} as const;

export type Messages = typeof vi;
