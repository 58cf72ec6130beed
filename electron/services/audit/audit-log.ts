import { randomUUID } from 'node:crypto';
import type { Database } from 'better-sqlite3';
import { format, vi } from '../../api/i18n';
import { sha256Hex } from '../store/files';
import { canonicalJson } from '../text/canonical-json';
import { AuditError } from './errors';

/** prev_hash of the first entry. */
export const GENESIS_HASH = '0'.repeat(64);

export type AuditValue = string | number | boolean | null;

export interface AuditInput {
  /** Who: the clerk's id (never their name). */
  clerkId: string;
  /** What: dotted lower-case verb, e.g. `dossier-code.issue`. */
  action: string;
  /** Ids of the objects acted on, e.g. `{ dossierId, code }`. */
  objects?: Record<string, string>;
  /** Non-personal facts: counts, codes, reasons chosen from a list. */
  details?: Record<string, AuditValue>;
}

export interface AuditEntry {
  seq: number;
  id: string;
  /** ISO instant (UTC). */
  at: string;
  clerkId: string;
  action: string;
  objects: Record<string, string>;
  details: Record<string, AuditValue>;
  prevHash: string;
  hash: string;
}

export type ChainBreak = 'gap' | 'link' | 'content' | 'truncated';

export type AuditVerification =
  | { ok: true; entries: number; headHash: string; headSeq: number }
  | {
      ok: false;
      /** Entries checked before the first bad one (all good). */
      entries: number;
      firstBad: { seq: number; id: string; reason: ChainBreak; expectedSeq: number };
    };

interface AuditRow {
  seq: number;
  id: string;
  at: string;
  clerk_id: string;
  action: string;
  objects: string;
  details: string;
  prev_hash: string;
  hash: string;
}

const ACTION = /^[a-z][a-z0-9-]*(\.[a-z][a-z0-9-]*)*$/;
// A 9- or 12-digit run standing alone (not part of a UUID or a dossier code) looks like an ID-card number.
const ID_NUMBER_LIKE = /(?<![\w-])(\d{12}|\d{9})(?![\w-])/;

/** The hash of one entry: SHA-256 over the previous hash, a newline, and the entry's canonical JSON. */
export function entryHash(entry: Omit<AuditEntry, 'hash'>): string {
  const { prevHash, ...content } = entry;
  return sha256Hex(`${prevHash}\n${canonicalJson(content)}`);
}

function reject(detail: string, clerkDetail = detail): never {
  throw new AuditError(format(vi.reception.audit.invalidEntry, { detail: clerkDetail }), detail);
}

function checkInput(input: AuditInput): void {
  if (!input.clerkId?.trim() || input.clerkId.length > 100) reject('clerkId must be 1-100 characters');
  if (!ACTION.test(input.action) || input.action.length > 100) reject(`bad action name ${input.action}`);
  const values: [string, unknown][] = [
    ['clerkId', input.clerkId],
    ...Object.entries(input.objects ?? {}).map(([k, v]): [string, unknown] => [`objects.${k}`, v]),
    ...Object.entries(input.details ?? {}).map(([k, v]): [string, unknown] => [`details.${k}`, v]),
  ];
  for (const [field, value] of values) {
    if (field.startsWith('objects.') && typeof value !== 'string') reject(`${field} must be a string id`);
    if (typeof value === 'number' && !Number.isFinite(value)) reject(`${field} is not a finite number`);
    if (typeof value === 'string' && ID_NUMBER_LIKE.test(value)) {
      throw new AuditError(
        format(vi.reception.audit.personalData, { field }),
        `${field} looks like an ID number`,
      );
    }
  }
}

function toEntry(row: AuditRow): AuditEntry {
  return {
    seq: row.seq,
    id: row.id,
    at: row.at,
    clerkId: row.clerk_id,
    action: row.action,
    objects: JSON.parse(row.objects),
    details: JSON.parse(row.details),
    prevHash: row.prev_hash,
    hash: row.hash,
  };
}

/**
 * The desk's append-only audit log, hash-chained so that an edited, deleted or reordered entry is detected.
 * Append inside the caller's transaction to record an action atomically with its effect.
 */
export class AuditLog {
  constructor(
    private readonly db: Database,
    private readonly clock: () => Date = () => new Date(),
  ) {}

  append(input: AuditInput): AuditEntry {
    checkInput(input);
    // IMMEDIATE: take the write lock before reading the head, so two writers cannot both extend it.
    return this.db
      .transaction((): AuditEntry => {
        const head = this.db.prepare('SELECT seq, hash FROM audit_log ORDER BY seq DESC LIMIT 1').get() as
          | { seq: number; hash: string }
          | undefined;
        const unhashed = {
          seq: (head?.seq ?? 0) + 1,
          id: randomUUID(),
          at: this.clock().toISOString(),
          clerkId: input.clerkId.normalize('NFC'),
          action: input.action,
          objects: { ...input.objects },
          details: { ...input.details },
          prevHash: head?.hash ?? GENESIS_HASH,
        };
        const entry: AuditEntry = { ...unhashed, hash: entryHash(unhashed) };
        this.db
          .prepare(
            `INSERT INTO audit_log (seq, id, at, clerk_id, action, objects, details, prev_hash, hash)
             VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`,
          )
          .run(
            entry.seq,
            entry.id,
            entry.at,
            entry.clerkId,
            entry.action,
            canonicalJson(entry.objects),
            canonicalJson(entry.details),
            entry.prevHash,
            entry.hash,
          );
        return entry;
      })
      .immediate();
  }

  /** Newest first. */
  recent(limit = 100): AuditEntry[] {
    const rows = this.db
      .prepare('SELECT * FROM audit_log ORDER BY seq DESC LIMIT ?')
      .all(Math.min(Math.max(limit, 1), 10_000)) as AuditRow[];
    return rows.map(toEntry);
  }

  verify(): AuditVerification {
    return verifyAuditChain(this.db);
  }
}

/**
 * Walks the chain in seq order and returns the first entry that does not hold: a missing seq (`gap`), a
 * prev_hash that is not the previous entry's hash (`link`: deleted or reordered), or a hash that does not
 * match the entry's content (`content`: edited). Truncating the newest entries is only visible against a head
 * kept elsewhere (the provincial server), which `expectedHead` checks when given.
 */
export function verifyAuditChain(
  db: Database,
  expectedHead?: { seq: number; hash: string },
): AuditVerification {
  let expectedSeq = 1;
  let prevHash = GENESIS_HASH;
  let checked = 0;
  let hashAtHead: string | null = null;
  const rows = db.prepare('SELECT * FROM audit_log ORDER BY seq').iterate() as IterableIterator<AuditRow>;
  for (const row of rows) {
    let reason: ChainBreak | null = null;
    if (row.seq !== expectedSeq) reason = 'gap';
    else if (row.prev_hash !== prevHash) reason = 'link';
    else {
      let computed: string | null = null;
      try {
        const { hash: _stored, ...unhashed } = toEntry(row);
        computed = entryHash(unhashed);
      } catch {
        // Unparseable JSON in a row is an edit too.
      }
      if (computed !== row.hash) reason = 'content';
    }
    if (reason) {
      rows.return?.();
      return { ok: false, entries: checked, firstBad: { seq: row.seq, id: row.id, reason, expectedSeq } };
    }
    checked += 1;
    expectedSeq += 1;
    prevHash = row.hash;
    if (row.seq === expectedHead?.seq) hashAtHead = row.hash;
  }
  if (expectedHead && (expectedHead.seq > checked || hashAtHead !== expectedHead.hash)) {
    // The newest entries the server saw are gone, or the chain was rebuilt from an earlier point.
    const reason: ChainBreak = expectedHead.seq > checked ? 'truncated' : 'link';
    return { ok: false, entries: checked, firstBad: { seq: expectedHead.seq, id: '', reason, expectedSeq } };
  }
  return { ok: true, entries: checked, headHash: prevHash, headSeq: expectedSeq - 1 };
}
