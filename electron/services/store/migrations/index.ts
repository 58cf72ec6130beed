import type { Migration } from '../migrate';
import { coreMigration } from './001-core';

/** Every migration, in order. Forward-only: never edit a released one; add the next number. */
export const migrations: readonly Migration[] = [coreMigration];
