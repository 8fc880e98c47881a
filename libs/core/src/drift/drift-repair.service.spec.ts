import { describe, expect, it } from 'vitest';
import { assignWaves, budgetOf, normalizeStrategy } from '../rollouts/rollout-strategy.builder.js';
import { REPAIR_STRATEGY } from './drift-repair.service.js';

describe('repair strategy', () => {
  it('one wave with the one cluster; its first failure aborts (the repair ends failed), never pauses', () => {
    const s = normalizeStrategy(REPAIR_STRATEGY);
    expect(assignWaves(['c1'], s.waves)).toEqual({ waveOf: [0], waveCount: 1 });
    expect(budgetOf(s, 0)).toEqual({ count: 0, action: 'abort' });
    expect(s.canaryBudget).toEqual({ count: 0, action: 'abort' });
  });
});
