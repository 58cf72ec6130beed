import type { RatingPromptView, RatingRecordInput } from '../../api/quality-api';
import { QualityError } from './quality-error';
import type { RatingStore } from './ratings';

/**
 * The dossier the citizen may rate now: set when the receipt is printed or the result handed back, replaced by
 * the next one, cleared once rated. The rating screen can rate only this dossier and step, so a rating is
 * bound to the dossier just handled, never to whatever happened in a time window.
 */
export class RatingPrompt {
  private current: RatingPromptView | null = null;

  constructor(
    private readonly ratings: RatingStore,
    private readonly onChange: (prompt: RatingPromptView | null) => void,
  ) {}

  get(): RatingPromptView | null {
    return this.current;
  }

  open(prompt: RatingPromptView): void {
    this.current = prompt;
    this.onChange(prompt);
  }

  record(input: RatingRecordInput): { recorded: true } {
    const prompt = this.current;
    if (!prompt || prompt.dossierId !== input.dossierId || prompt.step !== input.step)
      throw new QualityError('rating-not-open', 'rating for a dossier that is not the one just handled', {});
    this.ratings.record(
      { dossierId: input.dossierId, step: input.step, level: input.level, reasons: input.reasons ?? [] },
      prompt.officer.clerkId,
    );
    this.current = null;
    this.onChange(null);
    return { recorded: true };
  }
}
