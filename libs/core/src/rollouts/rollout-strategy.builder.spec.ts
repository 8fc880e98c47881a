import { describe, expect, it } from 'vitest';
import { DomainError } from '../errors/index.js';
import { allowedFailures, assignWaves, budgetOf, normalizeStrategy } from './rollout-strategy.builder.js';

const names = (n: number) => Array.from({ length: n }, (_, i) => `c${String(i).padStart(3, '0')}`);
const sizes = (waveOf: number[], count: number) => Array.from({ length: count }, (_, w) => waveOf.filter((x) => x === w).length);

describe('rollout strategy', () => {
  it('defaults: 1 canary, then 10 %, then the rest; budget 0 in the canary, 5 % after, pause', () => {
    const s = normalizeStrategy(undefined);
    const { waveOf, waveCount } = assignWaves(names(100), s.waves);
    expect(waveCount).toBe(3);
    expect(sizes(waveOf, 3)).toEqual([1, 9, 90]);
    expect(budgetOf(s, 0)).toEqual({ count: 0, action: 'pause' });
    expect(allowedFailures(budgetOf(s, 2), 90)).toBe(4);
    expect(s.maxConcurrency).toBe(50);
    expect(s.pauseBetweenWaves).toEqual({ kind: 'none' });
  });

  it('named canary clusters, counts, and a last wave that takes the rest; empty waves dropped', () => {
    const { waveOf, waveCount } = assignWaves(names(5), [{ clusters: ['c003'] }, { count: 2 }, { percent: 50 }]);
    expect(waveCount).toBe(3);
    expect(waveOf).toEqual([1, 1, 2, 0, 2]);
    expect(assignWaves(names(2), [{ count: 1 }, { percent: 10 }, { percent: 100 }]).waveCount).toBe(2);
    expect(assignWaves([], [{ count: 1 }]).waveCount).toBe(0);
  });

  it('rejects unknown canary clusters and bad strategies with field paths', () => {
    const e1 = (() => {
      try {
        assignWaves(names(3), [{ clusters: ['nope'] }, { percent: 100 }]);
      } catch (e) {
        return e as DomainError;
      }
    })();
    expect(e1?.errors).toEqual([{ field: 'strategy.waves[0].clusters[0]', message: '"nope" is not one of this rollout\'s target clusters' }]);
    const e2 = (() => {
      try {
        normalizeStrategy({ waves: [{ percent: 0 }], maxConcurrency: 0, pauseBetweenWaves: 'soon', failureBudget: { count: 1, percent: 2 } });
      } catch (e) {
        return e as DomainError;
      }
    })();
    expect(e2).toBeInstanceOf(DomainError);
    const fields = e2?.errors.map((e) => e.field) ?? [];
    expect(fields).toEqual(expect.arrayContaining(['strategy.waves.0.percent', 'strategy.maxConcurrency', 'strategy.pauseBetweenWaves', 'strategy.failureBudget']));
  });

  it('a given budget applies to every wave; waits parse', () => {
    const s = normalizeStrategy({ failureBudget: { percent: 20, action: 'abort' }, pauseBetweenWaves: '30s' });
    expect(budgetOf(s, 0)).toEqual({ percent: 20, action: 'abort' });
    expect(allowedFailures(budgetOf(s, 1), 10)).toBe(2);
    expect(s.pauseBetweenWaves).toEqual({ kind: 'wait', ms: 30_000, text: '30s' });
    expect(normalizeStrategy({ pauseBetweenWaves: 'manual' }).pauseBetweenWaves).toEqual({ kind: 'manual' });
  });
});
