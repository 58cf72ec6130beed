// `npm run lint:arch`: the dependency rule of docs/ARCHITECTURE.md, checked with dependency-cruiser.
// The rules live in .dependency-cruiser.cjs. dependency-cruiser's own CLI refuses Node 20 (its engines field),
// but its API runs fine on it, so this script calls the API and adds the two checks the tool lacks: cycles
// between folders, and a folder that no floor lists.
import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { cruise, type ICruiseResult, type IForbiddenRuleType } from 'dependency-cruiser';

export interface ArchitectureViolation {
  rule: string;
  from: string;
  to: string;
  /** Why the rule exists, from the config. */
  comment?: string;
}

interface Floor {
  name: string;
  folders: string[];
}

interface HouseRules {
  floors: Floor[];
  forbidden: IForbiddenRuleType[];
  options: { doNotFollow: { path: string }; tsPreCompilationDeps: boolean; exclude: { path: string } };
}

/** The code the rule covers; tests, scripts and configs may import anything. */
export const CHECKED_ROOTS = ['electron', 'native', 'renderer', 'bin'];

const repoRoot = resolve(import.meta.dirname, '..');

export function loadHouseRules(configFile = join(repoRoot, '.dependency-cruiser.cjs')): HouseRules {
  return createRequire(import.meta.url)(configFile) as HouseRules;
}

/** The folder a module belongs to for folder-level rules; undefined for npm packages and Node built-ins. */
export function folderOf(path: string): string | undefined {
  const parts = path.split('/');
  if (parts[0] === 'electron' && parts[1] === 'services' && parts.length > 2)
    return parts.slice(0, 3).join('/');
  if ((parts[0] === 'electron' || parts[0] === 'native') && parts.length > 2)
    return parts.slice(0, 2).join('/');
  if ((parts[0] === 'renderer' || parts[0] === 'bin') && parts.length > 1) return parts[0];
  return undefined;
}

/** Folder-to-folder cycles (Tarjan's strongly connected components over the collapsed graph). */
export function folderCycles(edges: Map<string, Set<string>>): string[][] {
  const index = new Map<string, number>();
  const low = new Map<string, number>();
  const onStack = new Set<string>();
  const stack: string[] = [];
  const cycles: string[][] = [];
  let counter = 0;
  const visit = (node: string): void => {
    index.set(node, counter);
    low.set(node, counter);
    counter++;
    stack.push(node);
    onStack.add(node);
    for (const next of edges.get(node) ?? []) {
      if (!index.has(next)) {
        visit(next);
        low.set(node, Math.min(low.get(node) as number, low.get(next) as number));
      } else if (onStack.has(next))
        low.set(node, Math.min(low.get(node) as number, index.get(next) as number));
    }
    if (low.get(node) !== index.get(node)) return;
    const component: string[] = [];
    let member: string | undefined;
    do {
      member = stack.pop() as string;
      onStack.delete(member);
      component.push(member);
    } while (member !== node);
    if (component.length > 1) cycles.push(component.sort());
  };
  for (const node of [...edges.keys()].sort()) if (!index.has(node)) visit(node);
  return cycles;
}

/** Runs every rule over the tree at `cwd` (the repository, or a fixture tree laid out like it). */
export async function checkArchitecture(
  cwd: string = repoRoot,
  rules: HouseRules = loadHouseRules(),
): Promise<ArchitectureViolation[]> {
  // Paths are matched relative to `cwd`: dependency-cruiser's baseDir.
  const roots = CHECKED_ROOTS.filter((root) => existsSync(join(cwd, root)));
  const reporterOutput = await cruise(roots, {
    ...rules.options,
    baseDir: cwd,
    validate: true,
    ruleSet: { forbidden: rules.forbidden },
    outputType: 'json',
  });
  const result = JSON.parse(reporterOutput.output as string) as ICruiseResult;
  const comments = new Map(rules.forbidden.map((rule) => [rule.name, rule.comment]));
  const violations: ArchitectureViolation[] = result.summary.violations.map((v) => ({
    rule: v.rule.name,
    from: v.from,
    to: v.cycle ? v.cycle.map((step) => step.name).join(' → ') : v.to,
    comment: comments.get(v.rule.name),
  }));

  const placed = new Set(rules.floors.flatMap((floor) => floor.folders));
  const edges = new Map<string, Set<string>>();
  const unplaced = new Set<string>();
  for (const module of result.modules) {
    const from = folderOf(module.source);
    if (!from) continue;
    if (!placed.has(from)) unplaced.add(from);
    for (const dependency of module.dependencies) {
      const to = folderOf(dependency.resolved);
      if (!to || to === from) continue;
      if (!edges.has(from)) edges.set(from, new Set());
      edges.get(from)?.add(to);
    }
  }
  for (const folder of [...unplaced].sort())
    violations.push({
      rule: 'folder-on-a-floor',
      from: folder,
      to: '(no floor)',
      comment: 'every folder is listed on one floor in .dependency-cruiser.cjs',
    });
  for (const cycle of folderCycles(edges))
    violations.push({
      rule: 'no-folder-cycle',
      from: cycle[0] as string,
      to: cycle.join(' ⇄ '),
      comment: 'folders import each other in a circle: move the shared part down a floor',
    });
  return violations;
}

export function describeViolation(v: ArchitectureViolation): string {
  return `error ${v.rule}: ${v.from} → ${v.to}${v.comment ? `\n    (${v.comment})` : ''}`;
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  const violations = await checkArchitecture();
  for (const violation of violations) console.error(describeViolation(violation));
  if (violations.length > 0) {
    console.error(`\n${violations.length} dependency rule violation(s); see docs/ARCHITECTURE.md`);
    process.exit(1);
  }
  console.log('dependency rule: no violations (docs/ARCHITECTURE.md)');
}
