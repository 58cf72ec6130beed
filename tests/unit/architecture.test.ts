import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { checkArchitecture, describeViolation } from '../../scripts/check-architecture';

// Each case lays out a small tree shaped like the repository in a temp folder and runs the real checker
// (dependency-cruiser with .dependency-cruiser.cjs) over it.
const scratch = mkdtempSync(join(tmpdir(), 'motcua-arch-'));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

let treeCount = 0;
function tree(files: Record<string, string>): string {
  const root = join(scratch, `tree-${treeCount++}`);
  for (const [path, text] of Object.entries(files)) {
    mkdirSync(dirname(join(root, path)), { recursive: true });
    writeFileSync(join(root, path), text);
  }
  return root;
}

async function rulesBroken(files: Record<string, string>): Promise<string[]> {
  const violations = await checkArchitecture(tree(files));
  return [...new Set(violations.map((v) => v.rule))].sort();
}

describe('the dependency rule', () => {
  it('passes on the real tree', async () => {
    const violations = await checkArchitecture();
    expect(violations.map(describeViolation)).toEqual([]);
  });

  it('refuses a service that imports electron', async () => {
    expect(
      await rulesBroken({
        'electron/services/store/store.ts': "import { app } from 'electron';\nexport const where = app;\n",
      }),
    ).toEqual(['services-not-electron']);
  });

  it('refuses it too when electron resolves to its package, as in the real tree', async () => {
    // node_modules is in the graph (not followed): leaving it out once hid every electron import.
    const installed = {
      'node_modules/electron/package.json': '{ "name": "electron", "main": "index.js" }\n',
      'node_modules/electron/index.js': 'module.exports = {};\n',
    };
    expect(
      await rulesBroken({
        ...installed,
        'electron/services/text/fold.ts': "import { app } from 'electron';\nexport const where = app;\n",
        'native/sane/client.ts': "import { app } from 'electron';\nexport const where = app;\n",
      }),
    ).toEqual(['services-not-electron']);
    const violations = await checkArchitecture(
      tree({
        ...installed,
        'electron/services/text/fold.ts': "import { app } from 'electron';\nexport const where = app;\n",
        'native/sane/client.ts': "import { app } from 'electron';\nexport const where = app;\n",
      }),
    );
    expect(violations.map((v) => [v.from, v.to])).toEqual([
      ['electron/services/text/fold.ts', 'node_modules/electron/index.js'],
      ['native/sane/client.ts', 'node_modules/electron/index.js'],
    ]);
  });

  it('lets the main process import electron', async () => {
    expect(
      await rulesBroken({
        'electron/main/index.ts': "import { app } from 'electron';\nexport const where = app;\n",
      }),
    ).toEqual([]);
  });

  it('refuses a renderer file that imports a service', async () => {
    expect(
      await rulesBroken({
        'electron/api/desk-api.ts': 'export type Call = string;\n',
        'electron/services/store/store.ts': 'export const openStore = 1;\n',
        'renderer/src/App.tsx':
          "import type { Call } from '../../electron/api/desk-api';\n" +
          "import { openStore } from '../../electron/services/store/store';\n" +
          'export const app: [Call, number] = ["x", openStore];\n',
      }),
    ).toEqual(['renderer-only-api']);
  });

  it('refuses a cycle between two files', async () => {
    expect(
      await rulesBroken({
        'electron/services/text/a.ts': "import { b } from './b';\nexport const a = () => b;\n",
        'electron/services/text/b.ts': "import { a } from './a';\nexport const b = () => a;\n",
      }),
    ).toEqual(['no-circular']);
  });

  it('refuses a cycle between two folders of one floor, with no file cycle', async () => {
    // audit and calendar share a floor, so neither arrow runs upward: only the folder cycle is wrong.
    expect(
      await rulesBroken({
        'electron/services/audit/log.ts': "import { due } from '../calendar/due';\nexport const log = due;\n",
        'electron/services/audit/hash.ts': 'export const hash = 1;\n',
        'electron/services/calendar/due.ts': 'export const due = 2;\n',
        'electron/services/calendar/holidays.ts':
          "import { hash } from '../audit/hash';\nexport const holidays = hash;\n",
      }),
    ).toEqual(['no-folder-cycle']);
  });

  it('refuses an arrow up the floors, naming the floor', async () => {
    const root = tree({
      'electron/services/store/store.ts':
        "import { Desk } from '../desk/desk';\nexport const store = Desk;\n",
      'electron/services/desk/desk.ts': 'export const Desk = 1;\n',
    });
    const violations = await checkArchitecture(root);
    expect(violations.map((v) => [v.rule, v.from, v.to])).toEqual([
      ['no-upward-from-store', 'electron/services/store/store.ts', 'electron/services/desk/desk.ts'],
    ]);
    expect(describeViolation(violations[0] as (typeof violations)[number])).toMatch(
      /^error no-upward-from-store: .*\n {4}\(store may not import a higher floor/,
    );
  });

  it('refuses a new service folder that no floor lists', async () => {
    expect(await rulesBroken({ 'electron/services/newroom/thing.ts': 'export const thing = 1;\n' })).toEqual([
      'folder-on-a-floor',
    ]);
  });
});
