import { randomUUID } from 'node:crypto';
import type { Database } from 'better-sqlite3';
import type { ClerkRole, ClerkView } from '../../api/desk-api';
import { format, vi } from '../../api/i18n';
import type { AuditLog } from '../audit/audit-log';
import { normalizeText } from '../text/fold';
import { ClerkError } from './errors';
import { hashPin, PIN_PATTERN, verifyPin } from './pin';

const t = vi.reception.clerks;

export interface ClerkStoreOptions {
  audit: AuditLog;
  clock?: () => Date;
  /** Wrong PINs in a row before the clerk is locked out. */
  maxAttempts?: number;
  lockoutMinutes?: number;
  /** Wait after an attempt before the next is looked at; doubles with each wrong PIN in a row (1 s, 2 s, 4 s…). */
  backoffMs?: number;
}

/** The backoff between attempts never exceeds this; a lockout doubles at most this many times (5 min → 80 min). */
const MAX_BACKOFF_MS = 30_000;
const MAX_LOCKOUT_DOUBLINGS = 4;

interface ClerkRow {
  id: string;
  name: string;
  role: ClerkRole;
  pin_hash: string;
  failed_attempts: number;
  locked_until: string | null;
  next_attempt_at: string | null;
  lockouts: number;
  disabled_at: string | null;
}

const toView = (row: Pick<ClerkRow, 'id' | 'name' | 'role'>): ClerkView => ({
  id: row.id,
  name: row.name,
  role: row.role,
});

/** "HH:mm" on Vietnam's clock, for the lockout message. */
function vietnamClock(at: Date): string {
  const local = new Date(at.getTime() + 7 * 3_600_000);
  return local.toISOString().slice(11, 16);
}

export function checkPinFormat(pin: string): void {
  if (!PIN_PATTERN.test(pin))
    throw new ClerkError('invalid-pin-format', t.pinFormat, 'PIN is not 4-8 digits');
}

/**
 * The desk's clerks: PINs hashed with scrypt, 5 wrong PINs in a row → locked for 5 minutes (longer each time). Every sign-in, failure
 * and lockout is an audit entry naming the clerk by id only (never the PIN, never the name).
 */
export class ClerkStore {
  private readonly clock: () => Date;
  private readonly maxAttempts: number;
  private readonly lockoutMs: number;
  private readonly backoffMs: number;

  constructor(
    private readonly db: Database,
    private readonly options: ClerkStoreOptions,
  ) {
    this.clock = options.clock ?? (() => new Date());
    this.maxAttempts = options.maxAttempts ?? 5;
    this.lockoutMs = (options.lockoutMinutes ?? 5) * 60_000;
    this.backoffMs = options.backoffMs ?? 1000;
  }

  count(): number {
    return (
      this.db.prepare('SELECT COUNT(*) AS n FROM clerks WHERE disabled_at IS NULL').get() as { n: number }
    ).n;
  }

  list(): ClerkView[] {
    const rows = this.db
      .prepare('SELECT id, name, role FROM clerks WHERE disabled_at IS NULL ORDER BY name, id')
      .all() as ClerkRow[];
    return rows.map(toView);
  }

  get(id: string): ClerkView | null {
    const row = this.db.prepare('SELECT * FROM clerks WHERE id = ? AND disabled_at IS NULL').get(id) as
      | ClerkRow
      | undefined;
    return row ? toView(row) : null;
  }

  /** `actorId` is who adds the clerk (an admin's id, `setup` for the first admin, `cli:<user>` for IT staff). */
  async create(input: { name: string; pin: string; role: ClerkRole }, actorId: string): Promise<ClerkView> {
    const name = normalizeText(input.name);
    if (!name || name.length > 200 || /\p{Cc}/u.test(name))
      throw new ClerkError('invalid-name', t.nameInvalid, 'clerk name empty or invalid');
    checkPinFormat(input.pin);
    const pinHash = await hashPin(input.pin);
    const clerk: ClerkView = { id: randomUUID(), name, role: input.role };
    this.db
      .transaction(() => {
        this.db
          .prepare('INSERT INTO clerks (id, name, role, pin_hash, created_at) VALUES (?, ?, ?, ?, ?)')
          .run(clerk.id, clerk.name, clerk.role, pinHash, this.clock().toISOString());
        this.options.audit.append({
          clerkId: actorId,
          action: 'clerk.create',
          objects: { clerkId: clerk.id },
          details: { role: clerk.role },
        });
      })
      .immediate();
    return clerk;
  }

  /** The first admin, only while no clerk exists (checked again inside the write, so two setups cannot race). */
  async setupFirstAdmin(input: { name: string; pin: string }): Promise<ClerkView> {
    if (this.count() > 0) throw new ClerkError('setup-done', t.setupDone, 'clerks already exist');
    const name = normalizeText(input.name);
    if (!name) throw new ClerkError('invalid-name', t.nameInvalid, 'clerk name empty');
    checkPinFormat(input.pin);
    const pinHash = await hashPin(input.pin);
    const clerk: ClerkView = { id: randomUUID(), name, role: 'admin' };
    this.db
      .transaction(() => {
        if (this.count() > 0) throw new ClerkError('setup-done', t.setupDone, 'clerks already exist');
        this.db
          .prepare('INSERT INTO clerks (id, name, role, pin_hash, created_at) VALUES (?, ?, ?, ?, ?)')
          .run(clerk.id, clerk.name, clerk.role, pinHash, this.clock().toISOString());
        this.options.audit.append({
          clerkId: clerk.id,
          action: 'clerk.setup-first-admin',
          objects: { clerkId: clerk.id },
        });
      })
      .immediate();
    return clerk;
  }

  /**
   * Checks a PIN. Wrong → 'wrong-pin' with the attempts left, or 'locked-out' with the time it ends. The attempt is
   * reserved (counted as wrong) in a write transaction BEFORE the PIN is hashed, so parallel attempts cannot all
   * pass the lockout check while the hashes run: at most `maxAttempts` PINs are ever evaluated per lockout. Each
   * attempt also sets a short backoff before the next one is looked at, and each repeated lockout lasts twice as
   * long. A good PIN clears all three.
   */
  async verify(clerkId: string, pin: string, purpose: 'sign-in' | 'unlock' = 'sign-in'): Promise<ClerkView> {
    const row = this.reserveAttempt(clerkId);
    const ok = PIN_PATTERN.test(pin) && (await verifyPin(pin, row.pin_hash));
    if (ok) {
      this.db
        .transaction(() => {
          this.db
            .prepare(
              'UPDATE clerks SET failed_attempts = 0, locked_until = NULL, next_attempt_at = NULL, lockouts = 0 WHERE id = ?',
            )
            .run(row.id);
          this.options.audit.append({ clerkId: row.id, action: `session.${purpose}`, objects: {} });
        })
        .immediate();
      return toView(row);
    }
    const at = this.clock();
    const outcome = this.db
      .transaction(() => {
        // Read again inside the write: the attempt was already counted when it was reserved.
        const { failed_attempts: failed, lockouts } = this.db
          .prepare('SELECT failed_attempts, lockouts FROM clerks WHERE id = ?')
          .get(row.id) as { failed_attempts: number; lockouts: number };
        const locks = failed >= this.maxAttempts;
        const lockedUntil = locks
          ? new Date(
              at.getTime() + this.lockoutMs * 2 ** Math.min(lockouts, MAX_LOCKOUT_DOUBLINGS),
            ).toISOString()
          : null;
        if (locks)
          this.db
            .prepare(
              'UPDATE clerks SET failed_attempts = 0, locked_until = ?, lockouts = lockouts + 1 WHERE id = ?',
            )
            .run(lockedUntil, row.id);
        this.options.audit.append({
          clerkId: row.id,
          action: locks ? 'session.locked-out' : 'session.wrong-pin',
          objects: {},
          details: { failed, purpose, ...(locks ? { lockouts: lockouts + 1 } : {}) },
        });
        return { failed, lockedUntil };
      })
      .immediate();
    if (outcome.lockedUntil) throw this.lockedOut(outcome.lockedUntil);
    const left = this.maxAttempts - outcome.failed;
    throw new ClerkError('wrong-pin', format(t.wrongPin, { left }), `wrong PIN, ${left} attempts left`);
  }

  /**
   * Counts an attempt before its PIN is hashed, or refuses it: locked out, all attempts already taken by
   * attempts still in flight, or too soon after the last one.
   */
  private reserveAttempt(clerkId: string): ClerkRow {
    return this.db
      .transaction((): ClerkRow => {
        const row = this.row(clerkId);
        const now = this.clock();
        if (row.locked_until && new Date(row.locked_until) > now) throw this.lockedOut(row.locked_until);
        // The lockout is decided when the last of the attempts in flight finishes: until then, no new guess.
        if (row.failed_attempts >= this.maxAttempts)
          throw new ClerkError(
            'too-soon',
            format(t.tooSoon, { seconds: 1 }),
            'attempts in flight use the lockout',
          );
        if (row.next_attempt_at && new Date(row.next_attempt_at) > now) {
          const seconds = Math.ceil((new Date(row.next_attempt_at).getTime() - now.getTime()) / 1000);
          throw new ClerkError('too-soon', format(t.tooSoon, { seconds }), `attempt within the backoff`);
        }
        const failed = row.failed_attempts + 1;
        const backoffMs = Math.min(this.backoffMs * 2 ** (failed - 1), MAX_BACKOFF_MS);
        this.db
          .prepare('UPDATE clerks SET failed_attempts = ?, next_attempt_at = ? WHERE id = ?')
          .run(failed, new Date(now.getTime() + backoffMs).toISOString(), row.id);
        return { ...row, failed_attempts: failed };
      })
      .immediate();
  }

  private lockedOut(until: string): ClerkError {
    return new ClerkError(
      'locked-out',
      format(t.lockedOut, { until: vietnamClock(new Date(until)) }),
      `locked out until ${until}`,
    );
  }

  private row(clerkId: string): ClerkRow {
    const row = this.db.prepare('SELECT * FROM clerks WHERE id = ? AND disabled_at IS NULL').get(clerkId) as
      | ClerkRow
      | undefined;
    if (!row) throw new ClerkError('unknown-clerk', t.unknownClerk, 'no such clerk');
    return row;
  }
}
