/** The procedure catalog: versioned procedures (mã TTHC), their components, times, fees and forms. */
export * from './catalog-schema';
export * from './errors';
export * from './procedure-catalog';
