import { cli } from './cli';
import { config } from './config';
import { escl } from './escl';
import { scanHost } from './scan-host';
import { services } from './services';
import { ui } from './ui';

/**
 * Every Vietnamese text the desk shows lives under this folder, split by surface (ui, services, cli), so a
 * translation is one folder with the same keys. A new capability adds its own file and merges it here.
 */
export const vi = { ...ui, ...services, ...cli, ...config, ...escl, ...scanHost } as const;

export type Messages = typeof vi;
