/** Printable desk forms (PDF, Liberation Serif, versioned templates in assets/forms). */
export * from './desk-forms';
export * from './errors';
export * from './form-fonts';
export * from './form-template';
export * from './pdf-layout';
export * from './render-form';
export * from './supplement-register';
