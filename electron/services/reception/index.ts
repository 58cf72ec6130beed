/** The reception workflow: draft → received / supplement-requested / refused, once-only reuse, desk forms. */
export * from './batch-parts';
export * from './desk-errors';
export * from './desk-reception';
export * from './prefill-report';
export * from './procedure-view';
export * from './reception-service';
export * from './types';
