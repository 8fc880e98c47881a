export * from './built-in-catalog.js';
export * from './built-in-catalog.service.js';
export * from './policy-template.model.js';
export * from './policy-template.schemas.js';
export * from './policy-template.repository.js';
export * from './policy-template.service.js';
export * from './version-diff.builder.js';
