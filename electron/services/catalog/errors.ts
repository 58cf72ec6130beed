import { DeskError } from '../../api/errors';

/** A catalog feed or lookup that cannot be served. `message` is Vietnamese for the clerk; `detail` English. */
export class CatalogError extends DeskError {
  constructor(
    readonly reason: 'invalid-feed' | 'invalid-date' | 'not-found',
    clerkMessage: string,
    readonly detail: string,
  ) {
    super(reason === 'not-found' ? 'not-found' : 'invalid-input', clerkMessage, clerkMessage);
    this.name = 'CatalogError';
  }
}
