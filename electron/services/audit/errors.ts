import { DeskError } from '../../api/errors';

/** An audit entry that cannot be recorded. `message` is Vietnamese for the clerk; `detail` English for logs. */
export class AuditError extends DeskError {
  constructor(
    clerkMessage: string,
    readonly detail: string,
  ) {
    super('invalid-input', clerkMessage);
    this.name = 'AuditError';
  }
}
