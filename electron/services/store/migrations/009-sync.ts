import type { Migration } from '../migrate';

/** Reserved for the sync work; its owner replaces the empty script. */
export const syncMigration: Migration = {
  version: 9,
  name: 'sync',
  up: '',
};
