#!/usr/bin/env node
// Regenerates apps/api/schema.gql from the API's resolvers (code-first), or with --check fails
// when the committed file differs from what the code produces. Runs the built app: `npm run build`.
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const target = join(root, 'apps', 'api', 'schema.gql');
const builder = join(root, 'apps', 'api', 'dist', 'graphql', 'schema.builder.js');
const check = process.argv.includes('--check');

if (!existsSync(builder)) {
  console.error(`schema-gql: ${builder} is missing; run \`npm run build\` first.`);
  process.exit(1);
}
const { buildSchemaText } = await import(pathToFileURL(builder).href);
const text = await buildSchemaText();

if (check) {
  const committed = existsSync(target) ? readFileSync(target, 'utf8') : '';
  if (committed !== text) {
    const a = committed.split('\n');
    const b = text.split('\n');
    const line = a.findIndex((l, i) => l !== b[i]);
    console.error(`schema-gql: apps/api/schema.gql is out of date (first difference at line ${line + 1}).`);
    console.error(`  committed: ${JSON.stringify(a[line] ?? '<end of file>')}`);
    console.error(`  generated: ${JSON.stringify(b[line] ?? '<end of file>')}`);
    console.error('Run `npm run build && npm run schema:gql` and commit the result.');
    process.exit(1);
  }
  console.log('schema-gql: apps/api/schema.gql matches the code.');
} else {
  writeFileSync(target, text);
  console.log(`schema-gql: wrote ${target}`);
}
