import type { ClerkView } from '../../api/desk-api';
import type { QualityReport, QualityReportInput } from '../../api/quality-api';
import { QualityError } from './quality-error';
import type { QualityService } from './quality-report';

/**
 * The report a signed-in person may see: a clerk sees their own figures (the directive's personal
 * accountability, without ranking colleagues), the admin the whole desk's or any one clerk's.
 */
export function scopedQualityReport(
  service: QualityService,
  clerk: Pick<ClerkView, 'id' | 'role'>,
  input: QualityReportInput = {},
): QualityReport {
  if (clerk.role === 'admin') return service.report(input);
  if (input.clerkId !== undefined && input.clerkId !== clerk.id)
    throw new QualityError('not-own-figures', 'a clerk asked for another clerk’s figures', {});
  return service.report({ ...input, clerkId: clerk.id });
}
