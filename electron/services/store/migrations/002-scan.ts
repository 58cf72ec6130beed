import type { Migration } from '../migrate';

/** Reserved for the scan service; its owner replaces this placeholder with the real tables. */
export const scanMigration: Migration = {
  version: 2,
  name: 'scan',
  up: '',
};
