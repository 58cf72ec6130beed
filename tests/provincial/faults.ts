import { prng as seededRandom } from '../support/prng';
/**
 * Fault injection for the reference server. A spec is a `;`-separated list of rules:
 *
 *   drop-request:bytes=N        cut the connection after N bytes of the request body (nothing is applied)
 *   drop-response:bytes=N       apply the request, then cut the connection after N bytes of the response body
 *                               (N defaults to 0; a complete response never gets through)
 *   error:status=503            answer 5xx without doing the work (status 500-599, default 503)
 *   slow:delay=MS,bps=N         wait MS before answering and/or pace request and response bodies to N bytes/s
 *   duplicate:mode=apply        run the request's work twice (JSON API only); answer the second result
 *   duplicate:mode=answer       the change feed delivers again the entries just before the cursor
 *
 * Every rule also takes: method=PUT|POST, path=/v1/dossiers/* (`*` matches anything), after=K (skip the
 * first K matching requests), count=N (then stop), rate=0.3 (probability, from a seeded generator: seed=S).
 * Example: `error:status=503,count=3;drop-request:bytes=900000,method=PATCH,count=1`.
 * Admin endpoints are never subject to faults.
 */

export type FaultKind = 'drop-request' | 'drop-response' | 'error' | 'slow' | 'duplicate';
const KINDS: readonly FaultKind[] = ['drop-request', 'drop-response', 'error', 'slow', 'duplicate'];
const MAX_RULES = 32;
const MAX_SPEC_CHARS = 4096;

export interface FaultRule {
  kind: FaultKind;
  methods: string[] | null;
  path: RegExp | null;
  pathText: string | null;
  after: number;
  count: number | null;
  rate: number;
  bytes?: number;
  status?: number;
  delayMs?: number;
  bytesPerSecond?: number;
  mode?: 'apply' | 'answer';
  seed: number;
}

/** What happens to one request: decided once when it arrives. `fired` records what actually took effect. */
export interface RequestFaults {
  errorStatus?: number;
  dropRequestAfter?: number;
  dropResponseAfter?: number;
  delayMs?: number;
  bytesPerSecond?: number;
  duplicate?: 'apply' | 'answer';
  fired: string[];
  /** Set when drop-request cut the connection: nothing may be answered. */
  requestDropped?: boolean;
}

export const noFaults = (): RequestFaults => ({ fired: [] });

function nonNegativeInt(key: string, value: string, max = Number.MAX_SAFE_INTEGER): number {
  if (!/^\d{1,16}$/.test(value) || Number(value) > max) {
    throw new Error(`fault parameter ${key} must be a whole number 0..${max}, got "${value}"`);
  }
  return Number(value);
}

function globToRegExp(glob: string): RegExp {
  if (!/^\/[A-Za-z0-9/_.*-]{0,200}$/.test(glob))
    throw new Error(`fault path "${glob}" is not a plain path glob`);
  const escaped = glob.replace(/[.+?^${}()|[\]\\]/g, '\\$&').replace(/\*/g, '.*');
  return new RegExp(`^${escaped}$`);
}

export function parseFaultSpec(spec: string): FaultRule[] {
  if (spec.length > MAX_SPEC_CHARS) throw new Error(`fault spec longer than ${MAX_SPEC_CHARS} characters`);
  const rules: FaultRule[] = [];
  for (const [index, rawRule] of spec.split(';').entries()) {
    const ruleText = rawRule.trim();
    if (!ruleText) continue;
    const colon = ruleText.indexOf(':');
    const kind = (colon < 0 ? ruleText : ruleText.slice(0, colon)).trim() as FaultKind;
    if (!KINDS.includes(kind)) throw new Error(`unknown fault kind "${kind}" (known: ${KINDS.join(', ')})`);
    const rule: FaultRule = {
      kind,
      methods: null,
      path: null,
      pathText: null,
      after: 0,
      count: null,
      rate: 1,
      seed: index + 1,
    };
    const params = colon < 0 ? '' : ruleText.slice(colon + 1);
    for (const rawParam of params.split(',')) {
      const param = rawParam.trim();
      if (!param) continue;
      const eq = param.indexOf('=');
      if (eq < 1) throw new Error(`fault parameter "${param}" must be key=value`);
      const key = param.slice(0, eq).trim();
      const value = param.slice(eq + 1).trim();
      switch (key) {
        case 'method':
          if (!/^[A-Z|]{3,60}$/.test(value)) throw new Error(`fault method "${value}" is not like PUT|POST`);
          rule.methods = value.split('|').filter(Boolean);
          break;
        case 'path':
          rule.path = globToRegExp(value);
          rule.pathText = value;
          break;
        case 'after':
          rule.after = nonNegativeInt(key, value);
          break;
        case 'count':
          rule.count = nonNegativeInt(key, value);
          break;
        case 'rate': {
          const rate = Number(value);
          if (!/^\d*\.?\d+$/.test(value) || rate < 0 || rate > 1) {
            throw new Error(`fault rate must be 0..1, got "${value}"`);
          }
          rule.rate = rate;
          break;
        }
        case 'seed':
          rule.seed = nonNegativeInt(key, value, 2 ** 31);
          break;
        case 'bytes':
          rule.bytes = nonNegativeInt(key, value);
          break;
        case 'status':
          rule.status = nonNegativeInt(key, value, 599);
          if (rule.status < 500) throw new Error(`fault status must be 500..599, got ${value}`);
          break;
        case 'delay':
          rule.delayMs = nonNegativeInt(key, value, 600_000);
          break;
        case 'bps':
          rule.bytesPerSecond = nonNegativeInt(key, value);
          if (rule.bytesPerSecond < 1) throw new Error('fault bps must be at least 1');
          break;
        case 'mode':
          if (value !== 'apply' && value !== 'answer')
            throw new Error(`duplicate mode must be apply or answer`);
          rule.mode = value;
          break;
        default:
          throw new Error(`unknown fault parameter "${key}"`);
      }
    }
    if (kind === 'drop-request' && rule.bytes === undefined) throw new Error('drop-request needs bytes=N');
    if (kind === 'slow' && rule.delayMs === undefined && rule.bytesPerSecond === undefined) {
      throw new Error('slow needs delay=MS and/or bps=N');
    }
    rules.push(rule);
    if (rules.length > MAX_RULES) throw new Error(`more than ${MAX_RULES} fault rules`);
  }
  return rules;
}

interface RuleState {
  rule: FaultRule;
  matched: number;
  applied: number;
  random: () => number;
}

export interface FaultRuleReport {
  kind: FaultKind;
  method: string | null;
  path: string | null;
  matched: number;
  applied: number;
  remaining: number | null;
}

export class FaultController {
  private states: RuleState[] = [];
  private specText = '';

  constructor(spec = '') {
    this.set(spec);
  }

  /** Replaces every rule (counters restart). Throws with an English reason on a bad spec. */
  set(spec: string): void {
    const rules = parseFaultSpec(spec);
    this.specText = spec.trim();
    this.states = rules.map((rule) => ({ rule, matched: 0, applied: 0, random: seededRandom(rule.seed) }));
  }

  get spec(): string {
    return this.specText;
  }

  report(): FaultRuleReport[] {
    return this.states.map(({ rule, matched, applied }) => ({
      kind: rule.kind,
      method: rule.methods?.join('|') ?? null,
      path: rule.pathText,
      matched,
      applied,
      remaining: rule.count === null ? null : Math.max(0, rule.count - applied),
    }));
  }

  select(method: string, path: string): RequestFaults {
    const faults = noFaults();
    for (const state of this.states) {
      const { rule } = state;
      if (rule.methods && !rule.methods.includes(method)) continue;
      if (rule.path && !rule.path.test(path)) continue;
      state.matched += 1;
      if (state.matched <= rule.after) continue;
      if (rule.count !== null && state.applied >= rule.count) continue;
      if (rule.rate < 1 && state.random() >= rule.rate) continue;
      state.applied += 1;
      switch (rule.kind) {
        case 'drop-request':
          faults.dropRequestAfter = rule.bytes;
          break;
        case 'drop-response':
          faults.dropResponseAfter = rule.bytes ?? 0;
          break;
        case 'error':
          faults.errorStatus = rule.status ?? 503;
          break;
        case 'slow':
          if (rule.delayMs !== undefined) faults.delayMs = rule.delayMs;
          if (rule.bytesPerSecond !== undefined) faults.bytesPerSecond = rule.bytesPerSecond;
          break;
        case 'duplicate':
          faults.duplicate = rule.mode ?? 'apply';
          break;
      }
    }
    return faults;
  }
}
