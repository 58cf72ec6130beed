import { copyFile, mkdir, rename, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { OcrError } from './errors';
import { LANGUAGE_DATA_VARIANT, languageDataDir, type OcrLanguage } from './language-data';

async function sizeOf(path: string): Promise<number | null> {
  try {
    return (await stat(path)).size;
  } catch {
    return null;
  }
}

/**
 * One folder holding `<lang>.traineddata.gz` for every requested language, as tesseract.js takes a single
 * `langPath`. When the languages already share a folder (packaged app, MOTCUA_TESSDATA) that folder is used;
 * otherwise (each npm data package has its own) the files are copied once into `cacheDir`. Never the cwd.
 */
export async function languageFolder(
  languages: readonly OcrLanguage[],
  options: { cacheDir?: string; env?: NodeJS.ProcessEnv } = {},
): Promise<string> {
  const dirs = languages.map((lang) => languageDataDir(lang, options.env));
  const missing = languages.filter((_, i) => dirs[i] === null);
  if (missing.length > 0) {
    throw new OcrError('no-language-data', `traineddata missing for ${missing.join(', ')}`, {
      languages: missing.join(', '),
    });
  }
  const unique = new Set(dirs as string[]);
  if (unique.size === 1) return dirs[0] as string;

  const folder = join(options.cacheDir ?? tmpdir(), `motcua-tessdata-${LANGUAGE_DATA_VARIANT}`);
  await mkdir(folder, { recursive: true });
  for (const [i, lang] of languages.entries()) {
    const source = join(dirs[i] as string, `${lang}.traineddata.gz`);
    const target = join(folder, `${lang}.traineddata.gz`);
    const expected = await sizeOf(source);
    if (expected !== null && (await sizeOf(target)) === expected) continue;
    // Copy then rename, so a concurrent pool or a crash never sees half a model.
    const temp = `${target}.${process.pid}.${Date.now()}.tmp`;
    await copyFile(source, temp);
    await rename(temp, target);
  }
  return folder;
}
