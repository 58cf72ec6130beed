import { describe, expect, it } from 'vitest';
import { resolvePeriod } from '../../../electron/services/quality';

const now = new Date('2026-11-20T03:00:00Z');

describe('quality report periods (Vietnam calendar days)', () => {
  it('names a month, a quarter and a year', () => {
    expect(resolvePeriod({ period: '2026-02' }, now)).toMatchObject({ from: '2026-02-01', to: '2026-02-28' });
    expect(resolvePeriod({ period: '2026-Q3' }, now)).toMatchObject({ from: '2026-07-01', to: '2026-09-30' });
    expect(resolvePeriod({ period: '2026' }, now)).toMatchObject({ from: '2026-01-01', to: '2026-12-31' });
  });

  it('defaults to the current month, and bounds days at Vietnam midnight', () => {
    expect(resolvePeriod({}, now)).toEqual({
      from: '2026-11-01',
      to: '2026-11-30',
      startIso: '2026-10-31T17:00:00.000Z',
      endIso: '2026-11-30T17:00:00.000Z',
    });
    expect(resolvePeriod({ from: '2026-11-10' }, now)).toMatchObject({
      from: '2026-11-10',
      to: '2026-11-20',
    });
    expect(resolvePeriod({ to: '2026-10-15' }, now)).toMatchObject({ from: '2026-10-01', to: '2026-10-15' });
  });

  it('refuses bad periods with a Vietnamese message', () => {
    for (const input of [{ period: '2026-13' }, { period: 'tháng 8' }, { from: '2026-02-30' }]) {
      expect(() => resolvePeriod(input, now)).toThrowError(
        expect.objectContaining({
          reason: 'bad-period',
          clerkMessage: expect.stringContaining('không hợp lệ'),
        }),
      );
    }
    expect(() => resolvePeriod({ from: '2026-11-10', to: '2026-11-01' }, now)).toThrowError(
      expect.objectContaining({ reason: 'bad-range' }),
    );
    expect(() => resolvePeriod({ from: '1900-01-01', to: '2026-01-01' }, now)).toThrowError(
      expect.objectContaining({ reason: 'range-too-long' }),
    );
  });
});
