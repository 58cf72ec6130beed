/**
 * The working-day calendar: Vietnamese lunar calendar (UTC+7), holidays for civil servants as versioned data,
 * official yearly tables, and appointment dates. Plain Node: no Electron, no machine time zone.
 */
import type { Database } from 'better-sqlite3';
import type { Logger } from '../logging/logger';
import { loadCalendarData, SHIPPED_CALENDAR_DIR } from './holiday-data';
import { loadOfficialTables } from './official-tables-store';
import { WorkingCalendar } from './working-calendar';
import type { HolidaySwitches } from './year-schedule';

export * from './civil-date';
export * from './due-date';
export * from './errors';
export * from './holiday-data';
export * from './lunar';
export * from './official-tables-store';
export * from './working-calendar';
export * from './year-schedule';

export interface OpenCalendarOptions {
  /** The desk database; its synced official tables win over the shipped ones. */
  db?: Database;
  /** Folder of shipped rule sets and tables (default: assets/calendar). */
  dataDir?: string;
  holidaySwitches?: HolidaySwitches;
  logger?: Logger;
}

/** Shipped data + synced tables → a calendar. Cheap: call again after sync stores a new table. */
export function openWorkingCalendar(options: OpenCalendarOptions = {}): WorkingCalendar {
  const shipped = loadCalendarData(options.dataDir ?? SHIPPED_CALENDAR_DIR);
  const synced = options.db ? loadOfficialTables(options.db, options.logger) : [];
  return new WorkingCalendar({
    ruleSets: shipped.ruleSets,
    tables: [...shipped.tables, ...synced],
    holidaySwitches: options.holidaySwitches,
  });
}
