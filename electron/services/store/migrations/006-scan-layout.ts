import type { Migration } from '../migrate';

/**
 * The arrangement of a batch's pages: the clerk's order, quarter turns and removals, and what each sheet was
 * found to be (blank back side, separator sheet). Scanned files stay untouched.
 */
export const scanLayoutMigration: Migration = {
  version: 6,
  name: 'scan-layout',
  up: `
    CREATE TABLE scan_page_layout (
      batch_id TEXT NOT NULL,
      seq INTEGER NOT NULL,
      position REAL NOT NULL,        -- sort key; REAL so a page can move between two others
      rotation INTEGER NOT NULL DEFAULT 0 CHECK (rotation IN (0, 90, 180, 270)),
      deleted INTEGER NOT NULL DEFAULT 0,   -- removed by the clerk
      kind TEXT NOT NULL DEFAULT 'page' CHECK (kind IN ('page', 'blank', 'separator')), -- what the sheet is
      PRIMARY KEY (batch_id, seq),
      FOREIGN KEY (batch_id, seq) REFERENCES scan_pages (batch_id, seq)
    );
  `,
};
