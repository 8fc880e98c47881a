#!/usr/bin/env node
// `fleetgate`: the built CLI (dist/) when there is one, otherwise its TypeScript sources through tsx.
import { existsSync } from 'node:fs';

const dist = new URL('../dist/main.js', import.meta.url);
if (existsSync(dist)) {
  await import(dist.href);
} else {
  const { register } = await import('tsx/esm/api');
  register();
  await import(new URL('../src/main.ts', import.meta.url).href);
}
