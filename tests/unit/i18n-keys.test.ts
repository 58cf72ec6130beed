import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { describe, expect, it } from 'vitest';
import { vi } from '../../electron/api/i18n';

// Every text in the catalogue (every file under electron/api/i18n/vi/, merged in vi/index.ts) must be used by
// the code in electron/, renderer/ or native/. Tests do not count: a text only a test reads is dead.
// Keys are read as property chains (`vi.scan.errors.busy`, or an alias `const t = vi.reception.cli;` then
// `t.received`). A family read with a computed key (`vi.scan.errors[code]`) or passed whole counts as used
// only when it is listed here, so each new dynamic family is a reviewed choice.
const DYNAMIC_FAMILIES = [
  'calendar.units', // due-date, forms: by the procedure's time unit
  'calendar.weekdays', // working-calendar: by weekday number
  'cli.levels', // doctor: by check level
  'doctor', // doctor: each check's label by its id
  'errors', // desk: DeskError code → message
  'extract.errors', // ExtractError code
  'extract.fields', // OCR field kind
  'extract.warnings', // QR payload warnings
  'imaging', // ImagingError message key
  'ocr.errors', // OcrError code
  'reception.workflow.formNames', // by form kind
  'scan.errors', // ScanError code
  'security.keyErrors', // DataKeyError code
  'store.openErrors', // StoreOpenError code
  'sync.errors', // SyncError code
  'sync.parked', // parked dossier reason
  'sync.provinceStatus', // dossier list: the province's status number
  'reception.audit.reasons', // audit verify: chain break kind
  'scan.sources', // scan CLI: capability lists
  'scan.modes',
  'dossierStatus', // dossier list: by status
  'scanPanel.sources', // scanner settings choices
  'scanPanel.modes',
  'receptionUi.sexes', // applicant form options
  'receptionUi.componentStatus', // result panel: by component status
  'receptionUi.sources', // checklist: where a reused document came from
  'receptionUi.units', // procedure picker: time unit
  'receptionUi.weekdays', // appointment date
  'gate.roles', // clerk add: the account's role
  'network.steps', // doctor: the network path step that failed
  'settings.sources', // settings get: where a value comes from
  'config.fields', // config errors: the field by its JSON path
  'config.types', // config errors: the expected JSON type
  'store.runtimeErrors', // a failed read or write, by class
  'applicantInput.fields', // the applicant check: which field
  'applicantInput.problems', // the applicant check: what is wrong
  'applicantInput.cardFields', // the card QR: which field
  'applicantInput.cardErrors', // the card QR: what is wrong
  'quality.errors', // QualityError reason
  'quality.indicatorNames', // CSV export: by indicator id
  'quality.rating.reasons', // rating screen: "Chưa hài lòng" reasons
  'quality.rating.levels', // rating screen: the three answers
  'update.errors', // UpdateError reason
  'escl.errors', // ScanError codes only a network scanner has
  'scanHost.errors', // ScanError codes of the scanner host
] as const;

const repoRoot = join(import.meta.dirname, '../..');
const catalogueDir = join(repoRoot, 'electron/api/i18n');

type Catalogue = { readonly [key: string]: string | Catalogue };
const catalogue = vi as unknown as Catalogue;

function leavesOf(node: Catalogue, prefix: string[] = []): string[] {
  return Object.entries(node).flatMap(([key, value]) =>
    typeof value === 'string' ? [[...prefix, key].join('.')] : leavesOf(value, [...prefix, key]),
  );
}

function sourceFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name);
    if (entry.isDirectory())
      return entry.name === 'node_modules' || entry.name === 'dist' ? [] : sourceFiles(path);
    return /\.(ts|tsx|mts|mjs)$/.test(entry.name) ? [path] : [];
  });
}

/** Walks `segments` (`.name` or `[expr]`) from the catalogue root `start`. */
function resolveChain(start: string[], chain: string): { path: string[]; ends: 'leaf' | 'family' | 'other' } {
  const path = [...start];
  let node: string | Catalogue = path.reduce<string | Catalogue>(
    (at, key) => (typeof at === 'string' ? at : (at[key] ?? '')),
    catalogue,
  );
  for (const segment of chain.match(/\??\.\w+|\[[^\]]*\]/g) ?? []) {
    if (typeof node === 'string') break;
    const literal = /^\[\s*'([^']+)'\s*\]$/.exec(segment)?.[1];
    if (segment.startsWith('[') && literal === undefined) return { path, ends: 'family' };
    const key = literal ?? segment.replace(/^\??\./, '');
    const next: string | Catalogue | undefined = node[key];
    if (next === undefined) break;
    path.push(key);
    node = next;
  }
  if (typeof node === 'string') return { path, ends: 'leaf' };
  // A chain that stops on a section (a method name after it, or the end): the section is used whole.
  return { path, ends: path.length > start.length || start.length > 0 ? 'family' : 'other' };
}

interface Usage {
  leaves: Set<string>;
  families: Map<string, string>;
}

function scanUsage(): Usage {
  const usage: Usage = { leaves: new Set(), families: new Map() };
  const files = ['electron', 'renderer', 'native']
    .flatMap((dir) => sourceFiles(join(repoRoot, dir)))
    .filter((file) => !file.startsWith(catalogueDir));
  for (const file of files) {
    let text = readFileSync(file, 'utf8');
    const roots = new Map<string, string[]>([['vi', []]]);
    // The renderer imports the catalogue as `t` (renderer/src/i18n.ts).
    if (/import\s*\{[^}]*\bt\b[^}]*\}\s*from\s*'[^']*i18n'/.test(text)) roots.set('t', []);
    const aliasPattern = /(?:const|let)\s+(\w+)\s*=\s*(\w+)((?:\??\.\w+)+)\s*;/g;
    for (const match of text.matchAll(aliasPattern)) {
      const [, alias, root, chain] = match as unknown as [string, string, string, string];
      const base = roots.get(root);
      if (!base) continue;
      const resolved = resolveChain(base, chain);
      if (resolved.ends !== 'family') continue;
      roots.set(alias, resolved.path);
      text = text.replace(match[0], '');
    }
    // A spread (`...vi.scan.errors`) reads the section whole: part it from the dots a member access has.
    text = text.replace(/\.\.\.(?=\w)/g, '... ');
    for (const [root, base] of roots) {
      const access = new RegExp(`(?<![\\w.])${root}((?:\\??\\.\\w+|\\[[^\\]]*\\])+)`, 'g');
      for (const [, chain] of text.matchAll(access)) {
        const resolved = resolveChain(base, chain as string);
        const key = resolved.path.join('.');
        if (resolved.ends === 'leaf') usage.leaves.add(key);
        else if (resolved.ends === 'family' && key) usage.families.set(key, relative(repoRoot, file));
      }
    }
  }
  return usage;
}

describe('the i18n catalogue', () => {
  const usage = scanUsage();
  const listed = new Set<string>(DYNAMIC_FAMILIES);

  it('has no text the code never shows', () => {
    const unused = leavesOf(catalogue).filter(
      (leaf) =>
        !usage.leaves.has(leaf) &&
        ![...listed].some((family) => leaf === family || leaf.startsWith(`${family}.`)),
    );
    expect(unused).toEqual([]);
  });

  it('lists every family the code reads with a computed key or passes whole', () => {
    const unlisted = [...usage.families]
      .filter(([family]) => !listed.has(family))
      .map(([family, file]) => `${family} (${file})`);
    expect(unlisted).toEqual([]);
  });

  it('lists no family that is gone or read only by plain keys', () => {
    expect([...listed].filter((family) => !usage.families.has(family))).toEqual([]);
  });

  it('merges every file under vi/ into the catalogue it checks', () => {
    const index = readFileSync(join(catalogueDir, 'vi/index.ts'), 'utf8');
    const files = readdirSync(join(catalogueDir, 'vi')).filter(
      (name) => name.endsWith('.ts') && name !== 'index.ts',
    );
    expect(files.length).toBeGreaterThanOrEqual(3);
    expect(files.filter((name) => !index.includes(`from './${name.replace(/\.ts$/, '')}'`))).toEqual([]);
  });

  it('finds real uses (the scan is not vacuous)', () => {
    expect(usage.leaves.has('scan.errors.busy') || usage.families.has('scan.errors')).toBe(true);
    expect(usage.leaves.size).toBeGreaterThan(200);
  });
});
