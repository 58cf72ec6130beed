import type { AccountAccess, ClerkRole, ClerkView, SessionView } from '../../api/desk-api';
import { vi } from '../../api/i18n';
import type { AuditLog } from '../audit/audit-log';
import type { ClerkStore } from './clerk-store';
import { ClerkError } from './errors';

const t = vi.reception.clerks;

/** The roles each access level lets in: IT accounts never reach dossiers, admins may do everything. */
const ROLES_FOR: Record<AccountAccess, readonly ClerkRole[]> = {
  clerk: ['clerk', 'admin'],
  admin: ['admin'],
  it: ['it', 'admin'],
  account: ['clerk', 'admin', 'it'],
};

/**
 * The one signed-in clerk of this desk (the desk is one PC). Every call that acts for the clerk goes through
 * `require`, which also enforces the idle lock: no call for `idleLockMs` → locked, and only the same clerk's PIN
 * opens it again (another clerk may sign in instead, which ends the first session).
 */
export class DeskSession {
  private clerk: ClerkView | null = null;
  private locked = false;
  private lastActivity = 0;
  private readonly clock: () => Date;

  constructor(
    private readonly clerks: ClerkStore,
    private readonly audit: AuditLog,
    private readonly options: { idleLockMs: number; clock?: () => Date },
  ) {
    this.clock = options.clock ?? (() => new Date());
  }

  view(): SessionView {
    this.applyIdleLock();
    return {
      clerk: this.locked ? null : this.clerk,
      needsSetup: this.clerks.count() === 0,
      locked: this.locked,
      lockedClerk: this.locked ? this.clerk : null,
      idleLockSeconds: Math.round(this.options.idleLockMs / 1000),
    };
  }

  /** The clerk a locked session belongs to (the lock screen asks for this clerk's PIN). */
  lockedClerk(): ClerkView | null {
    this.applyIdleLock();
    return this.locked ? this.clerk : null;
  }

  async setupFirstAdmin(input: { name: string; pin: string }): Promise<SessionView> {
    const admin = await this.clerks.setupFirstAdmin(input);
    this.start(admin);
    return this.view();
  }

  async signIn(clerkId: string, pin: string): Promise<SessionView> {
    this.applyIdleLock();
    const unlocking = this.locked && this.clerk?.id === clerkId;
    const clerk = await this.clerks.verify(clerkId, pin, unlocking ? 'unlock' : 'sign-in');
    if (this.clerk && this.clerk.id !== clerk.id) this.end('session.replaced');
    this.start(clerk);
    return this.view();
  }

  signOut(): SessionView {
    if (this.clerk) this.end('session.sign-out');
    return this.view();
  }

  lock(): SessionView {
    if (this.clerk && !this.locked) {
      this.locked = true;
      this.audit.append({ clerkId: this.clerk.id, action: 'session.lock', objects: {} });
    }
    return this.view();
  }

  /** The signed-in, unlocked clerk (with a role the access level lets in); refreshes the idle timer. */
  require(role: AccountAccess = 'clerk'): ClerkView {
    const clerk = this.check(role);
    this.lastActivity = this.clock().getTime();
    return clerk;
  }

  /**
   * The same test without counting as activity: the desk's gate on every call uses it, so a screen reloading
   * its lists on background events (sync, OCR) does not keep an unattended desk from locking.
   */
  check(role: AccountAccess = 'clerk'): ClerkView {
    this.applyIdleLock();
    if (!this.clerk) throw new ClerkError('not-signed-in', t.notSignedIn, 'no clerk signed in');
    if (this.locked) throw new ClerkError('session-locked', t.sessionLocked, 'session is idle-locked');
    if (role === 'admin' && this.clerk.role !== 'admin')
      throw new ClerkError('admin-only', t.adminOnly, 'admin role required');
    if (!ROLES_FOR[role].includes(this.clerk.role)) {
      const message = role === 'clerk' ? vi.gate.clerkWorkOnly : vi.gate.itWorkOnly;
      throw new ClerkError('role-refused', message, `${role} access refused to role ${this.clerk.role}`);
    }
    return this.clerk;
  }

  private start(clerk: ClerkView): void {
    this.clerk = clerk;
    this.locked = false;
    this.lastActivity = this.clock().getTime();
  }

  private end(action: string): void {
    if (!this.clerk) return;
    this.audit.append({ clerkId: this.clerk.id, action, objects: {} });
    this.clerk = null;
    this.locked = false;
  }

  private applyIdleLock(): void {
    if (!this.clerk || this.locked) return;
    if (this.clock().getTime() - this.lastActivity >= this.options.idleLockMs) {
      this.locked = true;
      this.audit.append({
        clerkId: this.clerk.id,
        action: 'session.idle-lock',
        objects: {},
        details: { idleSeconds: Math.round(this.options.idleLockMs / 1000) },
      });
    }
  }
}
