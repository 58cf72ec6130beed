import type { Migration } from '../migrate';

/** Reserved for the clerks work; its owner replaces the empty script. */
export const clerksMigration: Migration = {
  version: 10,
  name: 'clerks',
  up: '',
};
