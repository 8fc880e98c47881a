import js from '@eslint/js';
import nx from '@nx/eslint-plugin';
import tseslint from 'typescript-eslint';

// Module boundaries on two axes (CONVENTIONS.md rule 2): scope:<domain> and type:<kind>.
const depConstraints = [
  { sourceTag: 'type:app', onlyDependOnLibsWithTags: ['type:feature', 'type:domain', 'type:data-access', 'type:util', 'type:testing'] },
  { sourceTag: 'type:feature', onlyDependOnLibsWithTags: ['type:domain', 'type:data-access', 'type:util', 'type:testing'] },
  { sourceTag: 'type:domain', onlyDependOnLibsWithTags: ['type:domain', 'type:data-access', 'type:util', 'type:testing'] },
  { sourceTag: 'type:data-access', onlyDependOnLibsWithTags: ['type:data-access', 'type:util', 'type:testing'] },
  { sourceTag: 'type:util', onlyDependOnLibsWithTags: ['type:util'] },
  { sourceTag: 'type:testing', onlyDependOnLibsWithTags: ['type:domain', 'type:data-access', 'type:util'] },
  { sourceTag: 'scope:shared', onlyDependOnLibsWithTags: ['scope:shared', 'scope:testing'] },
  { sourceTag: 'scope:sim', onlyDependOnLibsWithTags: ['scope:sim', 'scope:shared'] },
  { sourceTag: 'scope:fleet', onlyDependOnLibsWithTags: ['scope:fleet', 'scope:shared', 'scope:testing'] },
  { sourceTag: 'scope:api', onlyDependOnLibsWithTags: ['scope:api', 'scope:fleet', 'scope:shared', 'scope:testing'] },
  { sourceTag: 'scope:worker', onlyDependOnLibsWithTags: ['scope:worker', 'scope:fleet', 'scope:shared', 'scope:testing'] },
  // the CLI talks to fleetgate only through its REST API: no workspace library at all
  { sourceTag: 'scope:cli', onlyDependOnLibsWithTags: [] },
  { sourceTag: 'scope:testing', onlyDependOnLibsWithTags: ['scope:sim', 'scope:shared', 'scope:fleet'] },
];

// libs/netpol is pure: no framework, no persistence, no queue, no cluster client, no I/O.
const impure = ['@nestjs/*', '@prisma/*', 'prisma', 'bullmq', 'ioredis', '@kubernetes/client-node', 'pg',
  'node:fs', 'node:fs/*', 'fs', 'node:net', 'node:http', 'node:https', 'node:child_process', 'node:dns', 'node:tls'];

const testingOnly = { name: '@fleetgate/testing', message: 'Test helpers are for tests only.' };

// The domain folders of libs/core form a DAG, lowest first: a folder imports only folders listed
// before it. A new folder must be placed here. CORE_FOLDER_LOOPS are the back-edges that still
// exist (loops to remove, e.g. by moving the shared types down); no other may be added.
const CORE_FOLDERS = ['generated', 'errors', 'config', 'prisma', 'pagination', 'selectors', 'concurrency', 'auth', 'audit', 'crypto', 'queues', 'idempotency',
  'clusters', 'feature-gates', 'inventory', 'bindings', 'desired-state', 'rollouts', 'service-policies', 'drift', 'policy-templates', 'netpol', 'tokens', 'key-rotation'];
const CORE_FOLDER_LOOPS = new Set(['clusters -> feature-gates', 'bindings -> desired-state', 'bindings -> policy-templates']);
const coreFolderOrder = {
  meta: { type: 'problem', schema: [] },
  create(context) {
    const here = /libs\/core\/src\/([^/]+)\/[^/]+$/.exec(context.filename.replaceAll('\\', '/'))?.[1];
    if (!here) return {};
    const check = (node) => {
      const to = typeof node.source?.value === 'string' ? /^\.\.\/([^/]+)\//.exec(node.source.value)?.[1] : undefined;
      if (!to || to === here) return;
      const [a, b] = [CORE_FOLDERS.indexOf(here), CORE_FOLDERS.indexOf(to)];
      if (a < 0 || b < 0) context.report({ node, message: `libs/core/src/${a < 0 ? here : to} is not placed in CORE_FOLDERS (eslint.config.mjs)` });
      else if (b > a && !CORE_FOLDER_LOOPS.has(`${here} -> ${to}`)) {
        context.report({ node, message: `libs/core/src/${here} may not import ${to}: the domain folders form a DAG and ${to} comes after ${here} in CORE_FOLDERS (eslint.config.mjs)` });
      }
    };
    return { ImportDeclaration: check, ExportNamedDeclaration: check, ExportAllDeclaration: check };
  },
};

export default tseslint.config(
  { ignores: ['**/dist/**', '**/node_modules/**', '.nx/**', 'libs/core/src/generated/**', 'coverage/**'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    files: ['**/*.ts', '**/*.tsx'],
    plugins: { '@nx': nx },
    rules: {
      '@nx/enforce-module-boundaries': ['error', { enforceBuildableLibDependency: false, allow: [], depConstraints }],
      '@typescript-eslint/consistent-type-imports': ['error', { prefer: 'type-imports', fixStyle: 'inline-type-imports', disallowTypeAnnotations: false }],
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_', caughtErrors: 'none' }],
      '@typescript-eslint/no-explicit-any': 'error',
      'no-console': 'off',
    },
  },
  {
    // Nest's DI reads constructor parameter types at runtime: type-only imports there would
    // erase the injection token, so classes used as injected types keep value imports.
    files: ['apps/**/*.ts', 'libs/core/**/*.ts'],
    rules: { '@typescript-eslint/consistent-type-imports': 'off' },
  },
  {
    files: ['apps/*/src/**/*.ts', 'libs/*/src/**/*.ts'],
    ignores: ['**/*.spec.ts', '**/*.int-spec.ts', '**/*.e2e-spec.ts', 'libs/testing/**'],
    rules: {
      'no-restricted-imports': ['error', { paths: [testingOnly] }],
    },
  },
  {
    files: ['libs/core/src/**/*.ts'],
    ignores: ['**/*.spec.ts', '**/*.int-spec.ts', 'libs/core/src/generated/**'],
    plugins: { fleetgate: { rules: { 'core-folder-order': coreFolderOrder } } },
    rules: { 'fleetgate/core-folder-order': 'error' },
  },
  {
    files: ['libs/netpol/src/**/*.ts'],
    rules: {
      'no-restricted-imports': ['error', {
        paths: [testingOnly],
        patterns: impure.map((group) => ({ group: [group], message: 'libs/netpol is pure: no I/O or framework imports.' })),
      }],
    },
  },
  {
    files: ['**/*.mjs', '**/*.js'],
    languageOptions: { globals: { process: 'readonly', console: 'readonly', setTimeout: 'readonly', clearTimeout: 'readonly', URL: 'readonly', Buffer: 'readonly', setInterval: 'readonly', clearInterval: 'readonly', fetch: 'readonly', AbortController: 'readonly' } },
  },
);
