import { type ReactNode, useCallback, useEffect, useRef, useState } from 'react';
import { DeskCallError } from '../../../electron/api/client';
import type { ClerkView, SessionView } from '../../../electron/api/desk-api';
import { desk } from '../desk-client';
import { t } from '../i18n';
import { LockScreen } from './LockScreen';
import { SetupAdminScreen, SignInScreen } from './SignInScreen';

/** What the signed-in screens get: the clerk, and the session actions the header offers. */
export interface SignedIn {
  clerk: ClerkView;
  idleLockSeconds: number;
  lock: () => void;
  signOut: () => void;
  /** Call when any desk call answered 'forbidden': the desk locked the session (idle) or ended it. */
  recheck: () => void;
}

/** The desk enforces the idle lock; the renderer only learns it by asking. */
const POLL_MS = 15_000;

export const isForbidden = (error: unknown) => error instanceof DeskCallError && error.code === 'forbidden';

/**
 * Nothing of the desk shows until a clerk is signed in and unlocked. While locked the work underneath stays
 * mounted but hidden and inert, so a half-received dossier is exactly where the clerk left it after the PIN.
 */
export function SessionGate({ children }: { children: (signedIn: SignedIn) => ReactNode }) {
  const [session, setSession] = useState<SessionView | null>(null);
  const [loadError, setLoadError] = useState<string | null>(null);
  /** The clerk of the locked session, should the desk not name them while locked. */
  const lastClerk = useRef<ClerkView | null>(null);

  const apply = useCallback((next: SessionView) => {
    if (next.clerk) lastClerk.current = next.clerk;
    else if (!next.locked) lastClerk.current = null;
    setSession(next);
    setLoadError(null);
  }, []);

  const recheck = useCallback(() => {
    desk.getSession().then(apply, (error: unknown) => {
      // A 'forbidden' answer to the session check itself means the session is locked.
      if (isForbidden(error)) setSession((current) => (current ? { ...current, locked: true } : current));
      else setLoadError((error as Error).message);
    });
  }, [apply]);

  useEffect(() => {
    recheck();
    const timer = setInterval(recheck, POLL_MS);
    return () => clearInterval(timer);
  }, [recheck]);

  const lock = useCallback(() => {
    desk.lockSession().then(apply, recheck);
  }, [apply, recheck]);
  const signOut = useCallback(() => {
    desk.signOut().then(apply, recheck);
  }, [apply, recheck]);

  // Back to the very field the clerk was in when the lock came down (focus inside the work is tracked, since
  // the lock screen takes the focus as it appears).
  const lockedNow = Boolean(session?.locked);
  const lastFocus = useRef<HTMLElement | null>(null);
  // A ref callback with cleanup (React 19): follows the work area however often it mounts.
  const trackFocus = useCallback((element: HTMLDivElement | null) => {
    if (!element) return;
    const remember = (event: FocusEvent) => {
      lastFocus.current = event.target as HTMLElement;
    };
    element.addEventListener('focusin', remember);
    return () => element.removeEventListener('focusin', remember);
  }, []);
  useEffect(() => {
    if (!lockedNow && lastFocus.current?.isConnected) lastFocus.current.focus();
  }, [lockedNow]);

  if (!session) {
    return (
      <div className="gate">
        <p className={loadError ? 'message error' : 'muted'} role={loadError ? 'alert' : 'status'}>
          {loadError ?? t.receptionUi.signIn.loading}
        </p>
      </div>
    );
  }
  if (session.needsSetup) return <SetupAdminScreen onSignedIn={apply} />;
  const clerk = session.clerk ?? (session.locked ? (session.lockedClerk ?? lastClerk.current) : null);
  if (!clerk) return <SignInScreen onSignedIn={apply} />;
  const locked = session.locked;
  return (
    <>
      {locked && <LockScreen clerk={clerk} onUnlocked={apply} onOtherClerk={signOut} />}
      <div className="gate-content" hidden={locked} inert={locked} ref={trackFocus}>
        {children({ clerk, idleLockSeconds: session.idleLockSeconds, lock, signOut, recheck })}
      </div>
    </>
  );
}
