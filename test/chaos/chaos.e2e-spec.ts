// The quick chaos profile (50 clusters, one of each fault, 500 fuzz cases) as part of `npm test`:
// own Postgres and Redis, the built API and worker as processes (npm test builds first).
import { describe, expect, it } from 'vitest';
import { PROFILES, formatReport, runChaos } from './chaos.js';
import { verdict } from './support/verdict.js';

describe('chaos (quick profile)', () => {
  it('loses, duplicates and strands no target and answers no request with >= 500', async () => {
    const report = await runChaos(PROFILES.quick);
    console.log(formatReport(report));
    expect(verdict(report)).toEqual([]);
  }, 600_000);
});
