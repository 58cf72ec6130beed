import { DeskError } from '../../api/errors';

/** A dossier code that cannot be issued or voided. `message` is Vietnamese for the clerk; `detail` English. */
export class DossierCodeError extends DeskError {
  constructor(
    readonly reason:
      | 'invalid-agency'
      | 'invalid-slot'
      | 'already-enrolled'
      | 'invalid-range'
      | 'range-overlap'
      | 'no-range'
      | 'range-exhausted'
      | 'void-reason-required'
      | 'unknown-code'
      | 'already-voided',
    clerkMessage: string,
    readonly detail: string,
  ) {
    super('invalid-input', clerkMessage, clerkMessage);
    this.name = 'DossierCodeError';
  }
}
