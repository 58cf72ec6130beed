import type { Migration } from '../migrate';

/** Reserved for the ocr service; its owner replaces this placeholder with the real tables. */
export const ocrMigration: Migration = {
  version: 3,
  name: 'ocr',
  up: '',
};
