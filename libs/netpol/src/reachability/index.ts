export * from './reachability.types.js';
export { compileModel, type CompiledModel } from './compile-model.js';
export * from './evaluate-queries.js';
export * from './reachability-matrix.js';
export * from './reachability-diff.js';
export * from './parse-reachability-input.js';
