/** Clerks of the desk: PIN sign-in (scrypt), lockout, one session per desk with idle lock. */
export * from './clerk-store';
export * from './desk-session';
export * from './errors';
export * from './pin';
