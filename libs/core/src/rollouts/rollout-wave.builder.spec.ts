import { describe, expect, it } from 'vitest';
import { type StateCounts, emptyCounts } from './rollout.model.js';
import { normalizeStrategy } from './rollout-strategy.builder.js';
import { nextWaveStep } from './rollout-wave.builder.js';

const counts = (waves: Array<Partial<StateCounts>>) => new Map(waves.map((c, i) => [i, { ...emptyCounts(), ...c }]));
const rollout = (strategy: unknown, currentWave: number, waveCount: number) => ({ strategy: normalizeStrategy(strategy), currentWave, waveCount });

describe('nextWaveStep', () => {
  it('a rollout without waves succeeds at once', () => {
    expect(nextWaveStep(rollout(undefined, 0, 0), new Map())).toEqual({ kind: 'finish', status: 'succeeded', reason: null });
  });

  it('keeps maxConcurrency targets of the current wave in flight, then waits for them', () => {
    const r = rollout({ waves: [{ percent: 100 }], maxConcurrency: 10 }, 0, 1);
    expect(nextWaveStep(r, counts([{ pending: 20, queued: 3, running: 4 }]))).toEqual({ kind: 'queue', wave: 0, slots: 3 });
    expect(nextWaveStep(r, counts([{ running: 2, succeeded: 18 }]))).toEqual({ kind: 'wait' });
  });

  it('spent failure budget: pause or abort as the strategy says; accepted failures count as allowed', () => {
    const pause = rollout({ waves: [{ percent: 100 }], failureBudget: { count: 1, action: 'pause' } }, 0, 1);
    expect(nextWaveStep(pause, counts([{ failed: 2, pending: 5 }]))).toEqual({ kind: 'pause', reason: 'failure budget exceeded in wave 0: 2 failed, 1 allowed' });
    const abort = rollout({ waves: [{ percent: 100 }], failureBudget: { count: 0, action: 'abort' } }, 0, 1);
    expect(nextWaveStep(abort, counts([{ failed: 1 }]))).toEqual({ kind: 'abort', reason: 'failure budget exceeded in wave 0: 1 failed, 0 allowed' });
    const accepted = { ...pause, strategy: { ...pause.strategy, acceptedFailures: { '0': 2 } } };
    expect(nextWaveStep(accepted, counts([{ failed: 2, pending: 5 }]))).toMatchObject({ kind: 'queue' });
  });

  it('the next wave opens at once, after the wait, or after an approval', () => {
    const waves = [{ count: 1 }, { percent: 100 }];
    const done = counts([{ succeeded: 1 }, { pending: 9 }]);
    expect(nextWaveStep(rollout({ waves }, 0, 2), done)).toEqual({ kind: 'open-wave', wave: 1, delayMs: 0 });
    expect(nextWaveStep(rollout({ waves, pauseBetweenWaves: '2s' }, 0, 2), done)).toEqual({ kind: 'open-wave', wave: 1, delayMs: 2000 });
    expect(nextWaveStep(rollout({ waves, pauseBetweenWaves: 'manual' }, 0, 2), done)).toEqual({ kind: 'await-approval', reason: 'wave 1 (waves 0-1) waits for approval' });
  });

  it('after the last wave: failed when any target of any wave failed', () => {
    const r = rollout({ waves: [{ count: 1 }, { percent: 100 }], failureBudget: { count: 5, action: 'pause' } }, 1, 2);
    expect(nextWaveStep(r, counts([{ succeeded: 1 }, { succeeded: 9 }]))).toEqual({ kind: 'finish', status: 'succeeded', reason: null });
    expect(nextWaveStep(r, counts([{ failed: 1 }, { succeeded: 7, failed: 2 }]))).toEqual({ kind: 'finish', status: 'failed', reason: '3 target(s) failed' });
  });
});

describe('nextWaveStep: retried and superseded targets', () => {
  const waves = [{ count: 1 }, { percent: 100 }];
  it('queues a retried (pending) target of an earlier wave, and waits for it before finishing', () => {
    const r = rollout({ waves }, 1, 2);
    expect(nextWaveStep(r, counts([{ pending: 1 }, { succeeded: 3 }]))).toMatchObject({ kind: 'queue', wave: 1 });
    expect(nextWaveStep(r, counts([{ running: 1 }, { succeeded: 3 }]))).toEqual({ kind: 'wait' });
  });
  it('a superseded target counts as done and is named in the final reason', () => {
    expect(nextWaveStep(rollout({ waves }, 1, 2), counts([{ succeeded: 1 }, { superseded: 2, succeeded: 1 }]))).toEqual({ kind: 'finish', status: 'succeeded', reason: '2 target(s) superseded by a newer rollout' });
  });
});
