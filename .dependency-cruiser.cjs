// The house's dependency rule, checked by `npm run lint:arch` (scripts/check-architecture.ts) and by
// tests/unit/architecture.test.ts. docs/ARCHITECTURE.md explains the floors; this file is the law.

/**
 * The floors, bottom first. A folder may import its own floor and the floors below it, never a floor above.
 * Folders on one floor may import each other as long as no folder cycle appears (checked separately).
 * Entries are folders under the repository root (a file at electron/services/ root counts as `foundation`).
 */
const floors = [
  { name: 'api', folders: ['electron/api'] },
  {
    name: 'foundation',
    folders: [
      'electron/services/text',
      'electron/services/logging',
      'electron/services/events',
      'electron/services/lifecycle',
      'electron/services/disk',
      'electron/services/assets.ts',
      'electron/services/version.ts',
    ],
  },
  { name: 'settings', folders: ['electron/services/config', 'electron/services/imaging'] },
  // The SANE driver writes its page files in imaging's PNM format.
  { name: 'native', folders: ['native/sane'] },
  { name: 'store', folders: ['electron/services/store'] },
  {
    name: 'records',
    folders: [
      'electron/services/audit',
      'electron/services/calendar',
      'electron/services/catalog',
      'electron/services/extract',
      'electron/services/ocr',
      'electron/services/scan',
    ],
  },
  {
    name: 'people-and-dossiers',
    folders: [
      'electron/services/clerks',
      'electron/services/dossier',
      'electron/services/security',
      'electron/services/forms',
      // Effective settings over the machine policy; verified updates (feeds, signatures, staging).
      'electron/services/settings',
      'electron/services/update',
    ],
  },
  {
    name: 'workflows',
    // errors.ts maps every capability's error (audit's included) to the desk's answer, for reception and the desk.
    folders: [
      'electron/services/reception',
      'electron/services/sync',
      'electron/services/quality',
      'electron/services/errors.ts',
    ],
  },
  { name: 'desk', folders: ['electron/services/desk'] },
  {
    name: 'front-doors',
    folders: ['electron/main', 'electron/host', 'electron/cli', 'electron/preload', 'bin', 'renderer'],
  },
];

const escapeRegExp = (text) => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
const pathsOf = (list) => `^(${list.map((folder) => escapeRegExp(folder)).join('|')})(/|$)`;

const upwardRules = floors.slice(0, -1).map((floor, index) => ({
  name: `no-upward-from-${floor.name}`,
  comment: `${floor.name} may not import a higher floor (${floors
    .slice(index + 1)
    .map((f) => f.name)
    .join(', ')})`,
  severity: 'error',
  from: { path: pathsOf(floor.folders) },
  to: { path: pathsOf(floors.slice(index + 1).flatMap((f) => f.folders)) },
}));

// Electron's module, however it resolves: the real package in node_modules, or a bare name in a fixture tree.
const electronModule = '(^|/)node_modules/electron/|^electron$';

module.exports = {
  floors,
  forbidden: [
    {
      name: 'services-not-electron',
      comment:
        'services run in plain Node (tests, CLI, web host): only electron/main and preload import electron',
      severity: 'error',
      from: { path: '^(electron/services|electron/api|electron/host|electron/cli|native|renderer)(/|$)' },
      to: { path: electronModule },
    },
    {
      name: 'renderer-only-api',
      comment:
        'the renderer talks to the desk only through electron/api (its own files and npm UI packages aside)',
      severity: 'error',
      from: { path: '^renderer/' },
      to: {
        path: '^(electron|native|bin|tests)/',
        pathNot: '^electron/api/',
      },
    },
    {
      name: 'api-has-no-runtime-deps',
      comment: 'electron/api is types, channel names and text: it imports nothing from the rest of the tree',
      severity: 'error',
      from: { path: '^electron/api/' },
      to: { path: '^(electron|native|renderer|bin)/', pathNot: '^electron/api/' },
    },
    {
      name: 'no-circular',
      comment: 'no import cycle between files (type-only imports included: they tie the files together too)',
      severity: 'error',
      from: {},
      to: { circular: true },
    },
    ...upwardRules,
  ],
  options: {
    doNotFollow: { path: 'node_modules' },
    // Type-only imports count: a cycle through types is still a knot a newcomer has to untie.
    tsPreCompilationDeps: true,
    // Only build output is left out: node_modules must stay in the graph, or the electron rule sees nothing.
    exclude: { path: '(^|/)dist/' },
  },
};
