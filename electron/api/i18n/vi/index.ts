import { applicantInput } from './applicant-input';
import { cli } from './cli';
import { config } from './config';
import { services } from './services';
import { syncBackoff } from './sync-backoff';
import { ui } from './ui';

/**
 * Every Vietnamese text the desk shows lives under this folder, split by surface (ui, services, cli), so a
 * translation is one folder with the same keys. A new capability adds its own file and merges it here.
 */
export const vi = { ...ui, ...services, ...cli, ...config, ...applicantInput, ...syncBackoff } as const;

export type Messages = typeof vi;
