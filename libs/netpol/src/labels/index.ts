export * from './requirement.js';
export * from './selector-parse-error.js';
export { parseSelector } from './selector-parser.js';
export * from './label-selector.js';
