export * from './gardener-service-policies.builder.js';
export * from './cni-enforcement.builder.js';
