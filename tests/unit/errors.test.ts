/** One error family, one mapper: every capability's error reaches the desk as a DeskError with the clerk's text. */
import { describe, expect, it } from 'vitest';
import { ClerkFacingError, DeskError } from '../../electron/api/errors';
import { vi } from '../../electron/api/i18n';
import { AuditError } from '../../electron/services/audit/errors';
import { CatalogError } from '../../electron/services/catalog/errors';
import { ClerkError } from '../../electron/services/clerks/errors';
import { clerkMessageOf, toDeskError } from '../../electron/services/errors';
import { ExtractError } from '../../electron/services/extract/errors';
import { ImagingError } from '../../electron/services/imaging/errors';
import { ReceptionError } from '../../electron/services/reception/types';
import { ScanError } from '../../electron/services/scan/errors';
import { syncError } from '../../electron/services/sync/sync-errors';

const cases: [string, ClerkFacingError, DeskError['code']][] = [
  ['clerk', new ClerkError('locked-out', 'Tạm khoá', 'too many wrong PINs'), 'forbidden'],
  ['reception', new ReceptionError('conflict', 'Hồ sơ đã đóng', 'dossier is refused'), 'conflict'],
  ['scan', new ScanError('jammed', 'SANE_STATUS_JAMMED'), 'scanner'],
  ['extract', new ExtractError('empty', 'empty payload'), 'invalid-input'],
  ['sync enrol', syncError('enrolment-code-invalid', 'stop', 'code refused'), 'forbidden'],
  ['sync network', syncError('network', 'retry', 'ECONNREFUSED'), 'unavailable'],
  ['imaging', new ImagingError('unsupportedFormat', 'webp', { format: 'WEBP' }), 'invalid-input'],
  ['catalog', new CatalogError('not-found', 'Không có thủ tục', 'no procedure 1.2'), 'not-found'],
];

describe('the error family', () => {
  it.each(cases)(
    '%s error maps to the desk code with its Vietnamese text and English detail',
    (_, error, code) => {
      expect(error).toBeInstanceOf(ClerkFacingError);
      const mapped = toDeskError(error) as DeskError;
      expect(mapped).toBeInstanceOf(DeskError);
      expect(mapped.code).toBe(code);
      expect(mapped.clerkMessage).toBe(error.clerkMessage);
      expect(mapped.clerkMessage).toMatch(/[àáảãạăâđêôơưạ-ỹ]/i);
      expect(mapped.message).toBe(error.message);
    },
  );

  it('keeps the audit error text, gives a bare DeskError the generic text, and leaves bugs alone', () => {
    expect(clerkMessageOf(new AuditError('Thiếu người thực hiện', 'no actor'))).toBe('Thiếu người thực hiện');
    expect(clerkMessageOf(new DeskError('not-found', 'no page 3'))).toBe(
      vi.errors['not-found'].replace('{detail}', 'no page 3'),
    );
    const bug = new TypeError('x is undefined');
    expect(toDeskError(bug)).toBe(bug);
    expect(clerkMessageOf(bug)).toBeNull();
  });
});
