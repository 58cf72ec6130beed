export * from './dossier-facts';
export * from './formula-sets';
export * from './indicators';
export * from './period';
export * from './quality-error';
export * from './quality-report';
export * from './ratings';
export * from './scoped-report';
