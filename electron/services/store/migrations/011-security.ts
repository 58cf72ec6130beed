import type { Migration } from '../migrate';

/** Reserved for the security work; its owner replaces the empty script. */
export const securityMigration: Migration = {
  version: 11,
  name: 'security',
  up: '',
};
