/** Hash-chained audit log: who did what to which object, when; tamper-evident. */
export * from './audit-log';
export * from './canonical-json';
export * from './errors';
