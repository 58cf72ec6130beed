import { useCallback, useEffect, useState } from 'react';
import type { DissatisfactionReason, RatingLevel, RatingPromptView } from '../../../electron/api/quality-api';
import { desk } from '../desk-client';
import { format, t } from '../i18n';

const r = t.quality.rating;
const LEVELS: RatingLevel[] = ['very-satisfied', 'satisfied', 'dissatisfied'];
const REASONS = Object.keys(r.reasons) as DissatisfactionReason[];
/** The thank-you stays this long, then the screen goes back to idle (QUALITY-766.md §2.3: about 3 s). */
export const THANKS_MS = 4000;

/**
 * The citizen's screen (`/danh-gia`, or Electron's second window): the officer who just handled the dossier,
 * one question, three large buttons; "Chưa hài lòng" offers optional reasons. It learns the dossier from the
 * desk's ratingPrompt event and can rate only that one.
 */
export function RatingScreen() {
  const [prompt, setPrompt] = useState<RatingPromptView | null>(null);
  const [choosingReasons, setChoosingReasons] = useState(false);
  const [reasons, setReasons] = useState<DissatisfactionReason[]>([]);
  const [thanked, setThanked] = useState(false);
  const [error, setError] = useState<string | null>(null);

  const show = useCallback((next: RatingPromptView | null) => {
    setPrompt(next);
    setChoosingReasons(false);
    setReasons([]);
    setError(null);
  }, []);

  useEffect(() => {
    desk.getRatingPrompt().then(show, () => undefined);
    return desk.on('ratingPrompt', (next) => {
      if (next) setThanked(false);
      show(next);
    });
  }, [show]);

  useEffect(() => {
    if (!thanked) return;
    const timer = setTimeout(() => setThanked(false), THANKS_MS);
    return () => clearTimeout(timer);
  }, [thanked]);

  const send = async (level: RatingLevel, chosen: DissatisfactionReason[] = []) => {
    if (!prompt) return;
    try {
      await desk.recordRating({
        dossierId: prompt.dossierId,
        step: prompt.step,
        level,
        ...(chosen.length ? { reasons: chosen } : {}),
      });
      show(null);
      setThanked(true);
    } catch (failure) {
      setError((failure as Error).message);
    }
  };

  if (thanked)
    return (
      <main className="rating-screen" aria-live="polite">
        <p className="rating-thanks">{r.thanks}</p>
      </main>
    );
  if (!prompt)
    return (
      <main className="rating-screen">
        <p className="rating-idle">{r.idle}</p>
      </main>
    );
  const officer = prompt.officer;
  return (
    <main className="rating-screen">
      <h1>{prompt.step === 'reception' ? r.heading : r.headingResult}</h1>
      <section className="rating-officer" aria-label={officer.name}>
        {officer.photoDataUrl ? <img src={officer.photoDataUrl} alt="" width={150} height={200} /> : null}
        <div>
          <p className="rating-officer-name">{officer.name.toLocaleUpperCase('vi')}</p>
          <p>{officer.position}</p>
          <p>{officer.commune}</p>
          <p className="rating-dossier">{format(r.dossier, { code: prompt.dossierCode })}</p>
        </div>
      </section>
      {choosingReasons ? (
        <fieldset className="rating-reasons">
          <legend>{r.reasonsTitle}</legend>
          {REASONS.map((reason) => (
            <label key={reason}>
              <input
                type="checkbox"
                checked={reasons.includes(reason)}
                onChange={(e) =>
                  setReasons((list) =>
                    e.target.checked ? [...list, reason] : list.filter((x) => x !== reason),
                  )
                }
              />
              {r.reasons[reason]}
            </label>
          ))}
          <button type="button" className="rating-send" onClick={() => void send('dissatisfied', reasons)}>
            {r.send}
          </button>
        </fieldset>
      ) : (
        <>
          <p className="rating-question">{r.question}</p>
          <div className="rating-levels">
            {LEVELS.map((level) => (
              <button
                key={level}
                type="button"
                className={`rating-level rating-${level}`}
                onClick={() => (level === 'dissatisfied' ? setChoosingReasons(true) : void send(level))}
              >
                {r.levels[level]}
              </button>
            ))}
          </div>
        </>
      )}
      {error ? (
        <p role="alert" className="message error">
          {error}
        </p>
      ) : null}
      <p className="rating-note">{r.noIdentity}</p>
    </main>
  );
}
