export * from './template.types.js';
export * from './parameters.js';
export { templateFunctions } from './context-functions.js';
export * from './render-template.js';
