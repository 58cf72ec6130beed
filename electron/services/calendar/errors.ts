import { DeskError } from '../../api/errors';

/**
 * Bad input to the calendar (a date that does not exist, a leap month the year does not have, a negative
 * amount). The message is Vietnamese for the clerk; `detail` is English for logs and carries no personal data.
 */
export class CalendarInputError extends DeskError {
  constructor(
    clerkMessage: string,
    readonly detail: string,
  ) {
    super('invalid-input', clerkMessage, clerkMessage);
    this.name = 'CalendarInputError';
  }
}

/** A holiday data file or synced official table that does not match the schema. Nothing of it is used. */
export class CalendarDataError extends Error {
  constructor(
    readonly clerkMessage: string,
    readonly detail: string,
  ) {
    super(detail);
    this.name = 'CalendarDataError';
  }
}
