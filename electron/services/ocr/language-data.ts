import { createHash } from 'node:crypto';
import { createReadStream, existsSync, statSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

export type OcrLanguage = 'vie' | 'eng';

/** Where a language's model was found, in the order the folders are tried. */
export type LanguageDataSource = 'env' | 'assets' | 'npm';

/**
 * Model flavour of the npm data packages, the fallback folder. Vietnamese normally comes from the repo's
 * `assets/tessdata` (tessdata_fast: ~20 % less CPU per page, within the accuracy target; see its README).
 */
export const NPM_DATA_VARIANT = '4.0.0_best_int';

/**
 * Models we know by the SHA-256 of their `.traineddata.gz` (electron-builder copies the files byte for
 * byte, so the packaged app's files hash the same). Anything else is reported as "unrecognised".
 */
const KNOWN_MODELS: Readonly<Record<string, string>> = {
  // vie: assets/tessdata (tessdata_fast via Debian tesseract-ocr-vie 1:4.1.0-2), then the npm packages.
  '9f026a76746c48bc6b732f64b0cb694cab826db5269608a64debba9b11e0317c': 'tessdata_fast 4.1.0',
  '2284f610f262a1b19ec8df9f196b9ff6ce38ddb4a66329e998941df4b8961c8d': 'tessdata_best_int 4.0.0',
  a2732b8e9f701e727dc7ad131581dad23b99c116465d2b5748416de26bde4c5e: 'tessdata_best 4.0.0',
  // eng: the npm packages only.
  '45b4cb346724ac1774f1c36f42f182b887bcdb28ebe63e6fff90ac41f3fcff91': 'tessdata_best_int 4.0.0',
  ed350f3752f81ee8f38769edc14d92d997dababe23b565c59879372cc46a2468: 'tessdata_best 4.0.0',
};

const require = createRequire(import.meta.url);

/**
 * The app's root: the nearest folder above this module holding a package.json. From source that is
 * electron/services/ocr/../../..; from the esbuild bundle (dist/electron/main.mjs, which inlines this
 * module and so resolves import.meta.url to itself) it is dist/electron/../..; both are the checkout.
 */
function findAppRoot(): string | null {
  let dir = dirname(fileURLToPath(import.meta.url));
  for (;;) {
    if (existsSync(join(dir, 'package.json'))) return dir;
    const parent = dirname(dir);
    if (parent === dir) return null;
    dir = parent;
  }
}
let appRootDir: string | null | undefined;
const appRoot = () => {
  if (appRootDir === undefined) appRootDir = findAppRoot();
  return appRootDir;
};

/** The repo's own model folder (a developer checkout or a bundled build run from it), if present. */
export function assetsTessdataDir(): string | null {
  const root = appRoot();
  const dir = root && join(root, 'assets', 'tessdata');
  return dir && existsSync(dir) ? dir : null;
}

function npmDataDir(lang: OcrLanguage): string | null {
  try {
    return join(dirname(require.resolve(`@tesseract.js-data/${lang}/package.json`)), NPM_DATA_VARIANT);
  } catch {
    return null; // Package not installed: fall through to "missing".
  }
}

/** Folders to try for `lang`, first match wins: MOTCUA_TESSDATA (packaged app), assets/tessdata, npm. */
export function languageDataCandidates(
  lang: OcrLanguage,
  env: NodeJS.ProcessEnv = process.env,
): { dir: string; source: LanguageDataSource }[] {
  const candidates: { dir: string; source: LanguageDataSource }[] = [];
  const explicit = env.MOTCUA_TESSDATA?.trim();
  if (explicit) candidates.push({ dir: explicit, source: 'env' });
  const assets = assetsTessdataDir();
  if (assets) candidates.push({ dir: assets, source: 'assets' });
  const npm = npmDataDir(lang);
  if (npm) candidates.push({ dir: npm, source: 'npm' });
  return candidates;
}

/** Where `lang`'s `<lang>.traineddata.gz` comes from, or null when no folder has it. */
export function locateLanguageData(
  lang: OcrLanguage,
  env: NodeJS.ProcessEnv = process.env,
): { dir: string; file: string; source: LanguageDataSource } | null {
  for (const candidate of languageDataCandidates(lang, env)) {
    const file = join(candidate.dir, `${lang}.traineddata.gz`);
    if (existsSync(file)) return { ...candidate, file };
  }
  return null;
}

/** Folder holding `<lang>.traineddata.gz` for tesseract.js (see `languageDataCandidates` for the order). */
export function languageDataDir(lang: OcrLanguage, env: NodeJS.ProcessEnv = process.env): string | null {
  return locateLanguageData(lang, env)?.dir ?? null;
}

export function missingLanguages(
  langs: readonly OcrLanguage[],
  env: NodeJS.ProcessEnv = process.env,
): OcrLanguage[] {
  return langs.filter((lang) => languageDataDir(lang, env) === null);
}

const hashes = new Map<string, { stamp: string; sha256: Promise<string> }>();

/**
 * SHA-256 (hex) of a file, streamed so a multi-MB model never blocks the event loop; remembered per path
 * until its size or mtime changes.
 */
export function fileSha256(path: string): Promise<string> {
  const { size, mtimeMs } = statSync(path);
  const stamp = `${size}:${mtimeMs}`;
  const known = hashes.get(path);
  if (known?.stamp === stamp) return known.sha256;
  const sha256 = new Promise<string>((resolve, reject) => {
    const hash = createHash('sha256');
    createReadStream(path)
      .on('data', (chunk) => hash.update(chunk))
      .on('error', reject)
      .on('end', () => resolve(hash.digest('hex')));
  });
  hashes.set(path, { stamp, sha256 });
  sha256.catch(() => hashes.delete(path));
  return sha256;
}

export interface LanguageModel {
  lang: OcrLanguage;
  source: LanguageDataSource;
  /** The `<lang>.traineddata.gz` tesseract.js reads. */
  file: string;
  bytes: number;
  sha256: string;
  /** e.g. "tessdata_fast 4.1.0", or "unrecognised" for a file we do not know. */
  name: string;
}

/** Which model file `lang` would run on, with its identity (for the benchmark, doctor and cache keys). */
export async function languageModel(
  lang: OcrLanguage,
  env: NodeJS.ProcessEnv = process.env,
): Promise<LanguageModel | null> {
  const found = locateLanguageData(lang, env);
  if (!found) return null;
  const sha256 = await fileSha256(found.file);
  const name = KNOWN_MODELS[sha256] ?? 'unrecognised';
  return { lang, source: found.source, file: found.file, bytes: statSync(found.file).size, sha256, name };
}
