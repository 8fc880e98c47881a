export * from './inventory.model.js';
export * from './inventory.repository.js';
export * from './inventory-scan.service.js';
export * from './inventory.service.js';
export * from './service-policy-facts.builder.js';
export * from './inventory-view.builder.js';
