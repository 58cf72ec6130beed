// The whole calendar suite with the machine clock in UTC (7 hours behind Vietnam).
import { afterAll } from 'vitest';
import { defineCalendarSuite } from './calendar-suite';

const previous = process.env.TZ;
process.env.TZ = 'UTC'; // Node re-reads TZ when it is assigned; the suite's first test checks it did.
afterAll(() => {
  if (previous === undefined) delete process.env.TZ;
  else process.env.TZ = previous;
});

defineCalendarSuite('UTC', { january: 0, july: 0 });
