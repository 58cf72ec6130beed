import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';

export type OcrLanguage = 'vie' | 'eng';

/** Model flavour shipped with the app (integer-quantised LSTM "best": accurate and small). */
export const LANGUAGE_DATA_VARIANT = '4.0.0_best_int';

const require = createRequire(import.meta.url);

/**
 * Folder holding `<lang>.traineddata.gz` for tesseract.js. `MOTCUA_TESSDATA` wins (packaged app: the
 * unpacked assets folder); otherwise the npm data package, so a developer checkout works offline.
 */
export function languageDataDir(lang: OcrLanguage, env: NodeJS.ProcessEnv = process.env): string | null {
  const explicit = env.MOTCUA_TESSDATA?.trim();
  const candidates = explicit ? [explicit] : [];
  try {
    candidates.push(
      join(dirname(require.resolve(`@tesseract.js-data/${lang}/package.json`)), LANGUAGE_DATA_VARIANT),
    );
  } catch {
    // Package not installed: fall through to "missing".
  }
  return candidates.find((dir) => existsSync(join(dir, `${lang}.traineddata.gz`))) ?? null;
}

export function missingLanguages(
  langs: readonly OcrLanguage[],
  env: NodeJS.ProcessEnv = process.env,
): OcrLanguage[] {
  return langs.filter((lang) => languageDataDir(lang, env) === null);
}
