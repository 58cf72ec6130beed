// The whole calendar suite with the machine clock in New York: behind UTC, with daylight saving time.
import { afterAll } from 'vitest';
import { defineCalendarSuite } from './calendar-suite';

const previous = process.env.TZ;
process.env.TZ = 'America/New_York'; // Node re-reads TZ when it is assigned; the suite's first test checks it did.
afterAll(() => {
  if (previous === undefined) delete process.env.TZ;
  else process.env.TZ = previous;
});

defineCalendarSuite('America/New_York', { january: 300, july: 240 });
