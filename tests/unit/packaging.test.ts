import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Ajv from 'ajv';
import yaml from 'js-yaml';
import { describe, expect, it } from 'vitest';
import packageJson from '../../package.json';

const ROOT = join(import.meta.dirname, '..', '..');
const schema = JSON.parse(readFileSync(join(ROOT, 'node_modules/app-builder-lib/scheme.json'), 'utf8'));
const validate = new Ajv({ allErrors: true, strict: false }).compile(schema);
interface BuilderConfig {
  productName: string;
  win: { target: { target: string }[] };
  nsis: { perMachine: boolean };
  linux: { target: { target: string }[] };
  extraResources: { from: string; to: string }[];
  asarUnpack: string[];
  electronFuses: Record<string, boolean>;
}
// electron-builder's file matching and copying (CommonJS, internal but the code `electron-builder` runs).
const { getFileMatchers, copyFiles } = createRequire(import.meta.url)('app-builder-lib/out/fileMatcher') as {
  getFileMatchers(config: object, name: 'extraResources', to: string, options: object): object[] | null;
  copyFiles(matchers: object[] | null, transformer: null, hardLinks: boolean): Promise<unknown>;
};
const config = yaml.load(readFileSync(join(ROOT, 'electron-builder.yml'), 'utf8')) as BuilderConfig;

describe('electron-builder.yml', () => {
  it("validates against electron-builder's own schema", () => {
    expect(validate(config), JSON.stringify(validate.errors)).toBe(true);
    // The schema is strict enough to catch a typo, so the check above means something.
    expect(validate({ ...config, nsiss: {} })).toBe(false);
  });

  it('builds per-machine silent Windows installers and Linux packages', () => {
    expect(config.win.target.map((t) => t.target)).toEqual(['nsis']);
    expect(config.nsis.perMachine).toBe(true);
    expect(config.linux.target.map((t) => t.target)).toEqual(['deb', 'AppImage']);
    expect(config.productName).toBe('MotCua Desk');
  });

  it('keeps OCR language data outside the asar: fast vie from assets, best_int eng from npm', () => {
    const tessdata = config.extraResources.filter((r) => r.to === 'tessdata');
    expect(tessdata.map((r) => r.from)).toEqual([
      'assets/tessdata',
      'node_modules/@tesseract.js-data/eng/4.0.0_best_int',
    ]);
    expect(config.asarUnpack).toContain('**/*.node');
  });

  it("lays out resources/tessdata as MOTCUA_TESSDATA expects, with electron-builder's own copier", async () => {
    const resources = mkdtempSync(join(tmpdir(), 'motcua-resources-'));
    try {
      const matchers = getFileMatchers(config, 'extraResources', resources, {
        macroExpander: (pattern: string) => pattern,
        customBuildOptions: {},
        globalOutDir: join(ROOT, 'dist/installers'),
        defaultSrc: ROOT,
      });
      await copyFiles(matchers, null, false);
      // Each model once: in tessdata, with the notice that Apache-2.0 asks for; not again under assets.
      expect(readdirSync(join(resources, 'tessdata')).sort()).toEqual([
        'LICENSE-Apache-2.0.txt',
        'README.md',
        'eng.traineddata.gz',
        'vie.traineddata.gz',
      ]);
      expect(existsSync(join(resources, 'assets', 'tessdata'))).toBe(false);
      expect(existsSync(join(resources, 'assets', 'fonts'))).toBe(true);
      const same = (a: string, b: string) =>
        readFileSync(join(resources, a)).equals(readFileSync(join(ROOT, b)));
      expect(same('tessdata/vie.traineddata.gz', 'assets/tessdata/vie.traineddata.gz')).toBe(true);
      expect(
        same(
          'tessdata/eng.traineddata.gz',
          'node_modules/@tesseract.js-data/eng/4.0.0_best_int/eng.traineddata.gz',
        ),
      ).toBe(true);
    } finally {
      rmSync(resources, { recursive: true, force: true });
    }
  });

  it('sets the security fuses', () => {
    expect(config.electronFuses).toMatchObject({
      runAsNode: false,
      enableNodeOptionsEnvironmentVariable: false,
      enableNodeCliInspectArguments: false,
      enableEmbeddedAsarIntegrityValidation: true,
      onlyLoadAppFromAsar: true,
    });
  });

  it('points at the bundled main process and pins an Electron that installs on Node 20', () => {
    expect(packageJson.main).toBe('dist/electron/main.mjs');
    expect(packageJson.devDependencies.electron).toMatch(/^~40\./);
  });
});
