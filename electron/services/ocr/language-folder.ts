import { createHash } from 'node:crypto';
import { copyFile, mkdir, rename } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { OcrError } from './errors';
import { fileSha256, locateLanguageData, type OcrLanguage } from './language-data';

async function sha256OrNull(path: string): Promise<string | null> {
  try {
    return await fileSha256(path);
  } catch {
    return null;
  }
}

/**
 * One folder holding `<lang>.traineddata.gz` for every requested language, as tesseract.js takes a single
 * `langPath`. When the languages already share a folder (packaged app, MOTCUA_TESSDATA) that folder is used;
 * otherwise (vie in assets/tessdata, eng in its npm package) the files are copied once into `cacheDir`,
 * into a folder named after the models' contents: a different model (e.g. the earlier best_int vie) gets
 * a different folder, so a stale copy is never read. Never the cwd.
 */
export async function languageFolder(
  languages: readonly OcrLanguage[],
  options: { cacheDir?: string; env?: NodeJS.ProcessEnv } = {},
): Promise<string> {
  const found = languages.map((lang) => locateLanguageData(lang, options.env));
  const missing = languages.filter((_, i) => found[i] === null);
  if (missing.length > 0) {
    throw new OcrError('no-language-data', `traineddata missing for ${missing.join(', ')}`, {
      languages: missing.join(', '),
    });
  }
  const sources = found as { dir: string; file: string }[];
  const unique = new Set(sources.map((s) => s.dir));
  if (unique.size === 1) return sources[0]?.dir as string;

  const digests = await Promise.all(sources.map((s) => fileSha256(s.file)));
  const key = createHash('sha256')
    .update(languages.map((lang, i) => `${lang}:${digests[i]}`).join('\n'))
    .digest('hex')
    .slice(0, 16);
  const folder = join(options.cacheDir ?? tmpdir(), `motcua-tessdata-${key}`);
  await mkdir(folder, { recursive: true });
  for (const [i, lang] of languages.entries()) {
    const target = join(folder, `${lang}.traineddata.gz`);
    if ((await sha256OrNull(target)) === digests[i]) continue;
    // Copy then rename, so a concurrent pool or a crash never sees half a model.
    const temp = `${target}.${process.pid}.${Date.now()}.tmp`;
    await copyFile((sources[i] as { file: string }).file, temp);
    await rename(temp, target);
  }
  return folder;
}
