/** Hash-chained audit log: who did what to which object, when; tamper-evident. */

export * from '../text/canonical-json';
export * from './audit-log';
export * from './errors';
