import type { Migration } from '../migrate';

/** Reserved for the calendar service; its owner replaces this placeholder with the real tables. */
export const calendarMigration: Migration = {
  version: 4,
  name: 'calendar',
  up: '',
};
