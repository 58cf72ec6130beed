import { DeskError } from '../../api/errors';

/** A form that cannot be printed as asked. `message` is Vietnamese for the clerk; `detail` English for logs. */
export class FormError extends DeskError {
  constructor(
    readonly reason:
      | 'invalid-input'
      | 'no-template'
      | 'invalid-template'
      | 'unknown-component'
      | 'no-items'
      | 'duplicate-item'
      | 'reason-required',
    clerkMessage: string,
    readonly detail: string,
  ) {
    super('invalid-input', clerkMessage, clerkMessage);
    this.name = 'FormError';
  }
}
