import type { Migration } from '../migrate';

/**
 * Official yearly holiday tables received through sync (Bộ Nội vụ notices: days off, working Saturdays).
 * They win over the tables shipped in assets/calendar with the same id; the body is the validated JSON.
 */
export const calendarMigration: Migration = {
  version: 4,
  name: 'calendar',
  up: `
    CREATE TABLE calendar_tables (
      id TEXT PRIMARY KEY,          -- table id, e.g. bnv-9441-2026
      year INTEGER NOT NULL,        -- solar year the table governs
      source TEXT NOT NULL,         -- the notice, e.g. Thông báo 9441/TB-BNV
      body TEXT NOT NULL,           -- the table as JSON, validated before it is stored
      sha256 TEXT NOT NULL,         -- of body: a resent identical table changes nothing
      received_at TEXT NOT NULL     -- ISO instant the desk stored it
    );
    CREATE INDEX calendar_tables_year ON calendar_tables (year);
  `,
};
