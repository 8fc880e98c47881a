import swc from 'unplugin-swc';
import { defineConfig } from 'vitest/config';

// SWC compiles the TypeScript so that NestJS gets its decorator metadata; Vite's own oxc
// transform is turned off. Workspace packages resolve to their sources through the
// "@fleetgate/source" export condition, so tests never need a build.
const swcPlugin = () =>
  swc.vite({
    jsc: {
      parser: { syntax: 'typescript', decorators: true },
      transform: { legacyDecorator: true, decoratorMetadata: true, useDefineForClassFields: false },
      target: 'es2023',
    },
    module: { type: 'es6' },
  });

const shared = {
  plugins: [swcPlugin()],
  oxc: false as const,
  resolve: {
    conditions: ['@fleetgate/source', 'node', 'import', 'default'],
    // graphql 16 ships index.js (CJS, what Node loads) and index.mjs (picked by Vite's "module"
    // field): two copies break instanceof checks between our code and @nestjs/graphql.
    alias: [{ find: /^graphql$/, replacement: 'graphql/index.js' }],
  },
  // Vitest also passes these to the forked workers as `node --conditions`: 'import' there makes
  // `require('pg-pool')` inside pg load the ESM build ("Class extends value [object Module]").
  ssr: { resolve: { conditions: ['@fleetgate/source', 'node'] } },
};

export default defineConfig({
  ...shared,
  test: {
    pool: 'forks',
    env: { LOG_LEVEL: process.env.LOG_LEVEL ?? 'silent' },
    projects: [
      {
        ...shared,
        test: {
          name: 'unit',
          include: ['apps/*/src/**/*.spec.ts', 'libs/*/src/**/*.spec.ts', 'scripts/**/*.spec.ts'],
          pool: 'forks',
        },
      },
      {
        ...shared,
        test: {
          name: 'int',
          include: ['apps/*/src/**/*.int-spec.ts', 'libs/*/src/**/*.int-spec.ts', 'test/int/**/*.int-spec.ts'],
          globalSetup: ['test/global-setup.ts'],
          pool: 'forks',
          testTimeout: 30_000,
          hookTimeout: 60_000,
        },
      },
      {
        ...shared,
        test: {
          name: 'e2e',
          include: ['test/e2e/**/*.e2e-spec.ts'],
          globalSetup: ['test/global-setup.ts'],
          pool: 'forks',
          testTimeout: 60_000,
          hookTimeout: 90_000,
        },
      },
      {
        ...shared,
        test: {
          name: 'contract',
          include: ['test/contract/**/*.e2e-spec.ts'],
          pool: 'forks',
          testTimeout: 30_000,
          hookTimeout: 60_000,
        },
      },
    ],
  },
});
