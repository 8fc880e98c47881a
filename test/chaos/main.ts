// `npm run chaos [-- --profile quick|full] [--phases worker,redis,postgres,api,sim,fuzz] [--json FILE]`: runs the chaos and fuzz run and prints
// its table; exits 1 when a target was lost, duplicated or stuck, the clusters differ from their
// assigned state, or the API gave an answer >= 500 other than 503 + Retry-After during an outage.
import { writeFileSync } from 'node:fs';
import { arg } from '../bench/support/bench.js';
import { PHASES, type Phase, PROFILES, formatReport, runChaos } from './chaos.js';
import { verdict } from './support/verdict.js';

const name = arg('profile', 'quick') as keyof typeof PROFILES;
const profile = PROFILES[name];
if (!profile) {
  console.error(`--profile must be one of ${Object.keys(PROFILES).join(', ')}`);
  process.exit(2);
}
const only = (arg('phases') ?? PHASES.join(',')).split(',') as Phase[];
const unknown = only.filter((p) => !PHASES.includes(p));
if (unknown.length) {
  console.error(`--phases: unknown ${unknown.join(', ')} (known: ${PHASES.join(', ')})`);
  process.exit(2);
}
const report = await runChaos(profile, (l) => console.log(l), only);
console.log(formatReport(report));
const json = arg('json');
if (json) writeFileSync(json, JSON.stringify(report, null, 2));
const problems = verdict(report);
console.log(problems.length ? `\nchaos: FAILED\n- ${problems.join('\n- ')}` : '\nchaos: ok');
process.exit(problems.length ? 1 : 0);
