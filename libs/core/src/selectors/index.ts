export * from './label-selector-sql.builder.js';
