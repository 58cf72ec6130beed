import { toDeskError } from '../errors';

/** The one mapper lives in services/errors.ts; re-exported here for the reception handlers' callers. */
export { toDeskError } from '../errors';

/** Runs a handler and translates its errors (sync throws and rejections alike). */
export async function translated<T>(work: () => T | Promise<T>): Promise<T> {
  try {
    return await work();
  } catch (error) {
    throw toDeskError(error);
  }
}
