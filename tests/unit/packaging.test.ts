import { readFileSync } from 'node:fs';
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

  it('keeps OCR language data outside the asar and ships both languages', () => {
    const tessdata = config.extraResources.filter((r) => r.to === 'tessdata');
    expect(tessdata.map((r) => r.from)).toEqual([
      'node_modules/@tesseract.js-data/vie/4.0.0_best_int',
      'node_modules/@tesseract.js-data/eng/4.0.0_best_int',
    ]);
    expect(config.asarUnpack).toContain('**/*.node');
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
