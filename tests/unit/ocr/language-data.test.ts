import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import {
  copyFileSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import { gunzipSync } from 'node:zlib';
import { build } from 'esbuild';
import { afterAll, describe, expect, it } from 'vitest';
import {
  languageDataCandidates,
  languageDataDir,
  languageModel,
  missingLanguages,
} from '../../../electron/services/ocr/language-data';
import { languageFolder } from '../../../electron/services/ocr/language-folder';

const ROOT = join(import.meta.dirname, '..', '..', '..');
const ASSETS = join(ROOT, 'assets', 'tessdata');
const NPM_VIE = join(ROOT, 'node_modules/@tesseract.js-data/vie/4.0.0_best_int');
const NPM_ENG = join(ROOT, 'node_modules/@tesseract.js-data/eng/4.0.0_best_int');
/** SHA-256 of Debian's tesseract-ocr-vie 1:4.1.0-2 vie.traineddata (tessdata_fast), as in assets/tessdata/README.md. */
const DEBIAN_FAST_VIE_SHA256 = '79df64caf7bcfb2a27df5042ecb6121e196eada34da774956995747636d5bfa1';
const DEBIAN_VIE = '/usr/share/tesseract-ocr/5/tessdata/vie.traineddata';

const sha256 = (bytes: Uint8Array) => createHash('sha256').update(bytes).digest('hex');
/** An environment without MOTCUA_TESSDATA, whatever the shell running the tests has. */
const { MOTCUA_TESSDATA: _, ...plainEnv } = process.env;

const temp = mkdtempSync(join(tmpdir(), 'motcua-langdata-'));
afterAll(() => rmSync(temp, { recursive: true, force: true }));

describe('the shipped Vietnamese model', () => {
  it('is the tessdata_fast file, byte for byte once gunzipped', () => {
    const model = gunzipSync(readFileSync(join(ASSETS, 'vie.traineddata.gz')));
    expect(model.length).toBe(531_275);
    expect(sha256(model)).toBe(DEBIAN_FAST_VIE_SHA256);
    // Where Debian's package is installed (CI, dev machines), it is the very same file.
    if (existsSync(DEBIAN_VIE)) expect(model.equals(readFileSync(DEBIAN_VIE))).toBe(true);
  });

  it('carries its provenance and licence', () => {
    const readme = readFileSync(join(ASSETS, 'README.md'), 'utf8');
    expect(readme).toContain(DEBIAN_FAST_VIE_SHA256);
    expect(readme).toMatch(/Apache-2\.0/);
    expect(readFileSync(join(ASSETS, 'LICENSE-Apache-2.0.txt'), 'utf8')).toMatch(
      /Apache License\s+Version 2\.0/,
    );
  });
});

describe('where each language is read from', () => {
  it('takes vie from assets/tessdata and eng from the npm best_int package by default', async () => {
    expect(languageDataDir('vie', plainEnv)).toBe(ASSETS);
    expect(languageDataDir('eng', plainEnv)).toBe(NPM_ENG);
    expect(await languageModel('vie', plainEnv)).toMatchObject({
      source: 'assets',
      name: 'tessdata_fast 4.1.0',
      file: join(ASSETS, 'vie.traineddata.gz'),
      bytes: readFileSync(join(ASSETS, 'vie.traineddata.gz')).length,
    });
    expect(await languageModel('eng', plainEnv)).toMatchObject({
      source: 'npm',
      name: 'tessdata_best_int 4.0.0',
    });
    expect(missingLanguages(['vie', 'eng'], plainEnv)).toEqual([]);
  });

  it('lets MOTCUA_TESSDATA win for the languages it holds, and falls through for the others', async () => {
    const packaged = join(temp, 'packaged');
    mkdirSync(packaged);
    copyFileSync(join(NPM_VIE, 'vie.traineddata.gz'), join(packaged, 'vie.traineddata.gz'));
    const env = { ...plainEnv, MOTCUA_TESSDATA: packaged };
    expect(languageDataCandidates('vie', env).map((c) => c.source)).toEqual(['env', 'assets', 'npm']);
    expect(await languageModel('vie', env)).toMatchObject({ source: 'env', name: 'tessdata_best_int 4.0.0' });
    expect(languageDataDir('eng', env)).toBe(NPM_ENG);
  });

  it('names a model it does not know "unrecognised" rather than guessing', async () => {
    const odd = join(temp, 'odd');
    mkdirSync(odd);
    writeFileSync(join(odd, 'vie.traineddata.gz'), 'not a model');
    expect(await languageModel('vie', { ...plainEnv, MOTCUA_TESSDATA: odd })).toMatchObject({
      source: 'env',
      name: 'unrecognised',
      bytes: 11,
    });
  });
});

describe('the combined language folder', () => {
  it('uses the assets folder itself for Vietnamese alone (nothing copied)', async () => {
    expect(await languageFolder(['vie'], { cacheDir: join(temp, 'unused'), env: plainEnv })).toBe(ASSETS);
    expect(existsSync(join(temp, 'unused'))).toBe(false);
  });

  it('is keyed by the model contents, so switching models never reads a stale copy', async () => {
    const cacheDir = join(temp, 'cache');
    // What the previous release left behind: best_int vie under the old, variant-named folder.
    const stale = join(cacheDir, 'motcua-tessdata-4.0.0_best_int');
    mkdirSync(stale, { recursive: true });
    copyFileSync(join(NPM_VIE, 'vie.traineddata.gz'), join(stale, 'vie.traineddata.gz'));
    copyFileSync(join(NPM_ENG, 'eng.traineddata.gz'), join(stale, 'eng.traineddata.gz'));

    const fast = await languageFolder(['vie', 'eng'], { cacheDir, env: plainEnv });
    expect(basename(fast)).toMatch(/^motcua-tessdata-[0-9a-f]{16}$/);
    expect(readFileSync(join(fast, 'vie.traineddata.gz'))).toEqual(
      readFileSync(join(ASSETS, 'vie.traineddata.gz')),
    );
    expect(readFileSync(join(fast, 'eng.traineddata.gz'))).toEqual(
      readFileSync(join(NPM_ENG, 'eng.traineddata.gz')),
    );
    // Same models, same folder.
    expect(await languageFolder(['vie', 'eng'], { cacheDir, env: plainEnv })).toBe(fast);

    // Another vie model (best_int through MOTCUA_TESSDATA) gets its own folder.
    const other = join(temp, 'best-int');
    mkdirSync(other);
    copyFileSync(join(NPM_VIE, 'vie.traineddata.gz'), join(other, 'vie.traineddata.gz'));
    const bestInt = await languageFolder(['vie', 'eng'], {
      cacheDir,
      env: { ...plainEnv, MOTCUA_TESSDATA: other },
    });
    expect(bestInt).not.toBe(fast);
    expect(readFileSync(join(bestInt, 'vie.traineddata.gz'))).toEqual(
      readFileSync(join(NPM_VIE, 'vie.traineddata.gz')),
    );
  });

  it('replaces a damaged copy of the same size', async () => {
    const cacheDir = join(temp, 'damaged');
    const folder = await languageFolder(['vie', 'eng'], { cacheDir, env: plainEnv });
    const target = join(folder, 'vie.traineddata.gz');
    const good = readFileSync(target);
    writeFileSync(target, Buffer.alloc(good.length, 0x55));
    expect(await languageFolder(['vie', 'eng'], { cacheDir, env: plainEnv })).toBe(folder);
    expect(readFileSync(target)).toEqual(good);
  });

  it('refuses with the clerk message when a language is nowhere', async () => {
    await expect(
      languageFolder(['vie', 'xyz' as 'vie'], { cacheDir: join(temp, 'missing'), env: plainEnv }),
    ).rejects.toMatchObject({ ocrCode: 'no-language-data', clerkMessage: expect.stringContaining('xyz') });
  });
});

describe('from the esbuild bundle', () => {
  it('still finds assets/tessdata relative to the bundle', async () => {
    // Same shape as electron/build.mjs: this module inlined into dist/electron/<entry>.mjs of the checkout.
    mkdirSync(join(ROOT, 'tests', 'artifacts'), { recursive: true });
    const outDir = mkdtempSync(join(ROOT, 'tests', 'artifacts', 'ocr-bundle-'));
    try {
      const entry = join(outDir, 'entry.ts');
      writeFileSync(
        entry,
        `import { languageModel } from '${join(ROOT, 'electron/services/ocr/language-data')}';\n` +
          `console.log(JSON.stringify(await languageModel('vie', {})));\n`,
      );
      const outfile = join(outDir, 'dist', 'electron', 'main.mjs');
      await build({
        entryPoints: [entry],
        outfile,
        bundle: true,
        platform: 'node',
        format: 'esm',
        target: 'node20',
        external: ['@tesseract.js-data/*'],
        banner: {
          js: "import { createRequire as __cr } from 'node:module'; const require = __cr(import.meta.url);",
        },
        logLevel: 'silent',
      });
      const model = JSON.parse(execFileSync(process.execPath, [outfile], { encoding: 'utf8' }));
      expect(model).toMatchObject({ source: 'assets', file: join(ASSETS, 'vie.traineddata.gz') });
    } finally {
      rmSync(outDir, { recursive: true, force: true });
    }
  });
});
