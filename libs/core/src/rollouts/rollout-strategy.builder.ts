/**
 * Rollout strategies, pure: parsing the strategy a caller gives into its normal form (defaults
 * filled in), splitting the ordered targets into waves, and the failure budget of a wave.
 */
import { z } from 'zod';
import { DomainError, type FieldError, parseOrThrow } from '../errors/index.js';

export const MAX_WAIT_MS = 24 * 3600 * 1000;

const waveSchema = z.union([
  z.strictObject({ clusters: z.array(z.string().min(1).max(253)).min(1).max(10_000) }),
  z.strictObject({ count: z.int().min(1).max(1_000_000) }),
  z.strictObject({ percent: z.number().gt(0).max(100) }),
]);

const budgetSchema = z
  .strictObject({
    count: z.int().min(0).optional(),
    percent: z.number().min(0).max(100).optional(),
    action: z.enum(['pause', 'abort']).default('pause'),
  })
  .refine((b) => (b.count === undefined) !== (b.percent === undefined), { message: 'give either count or percent' });

export const strategySchema = z.strictObject({
  waves: z.array(waveSchema).min(1).max(100).optional(),
  maxConcurrency: z.int().min(1).max(100_000).optional(),
  failureBudget: budgetSchema.optional(),
  pauseBetweenWaves: z
    .union([z.literal('manual'), z.string().regex(/^\d+(ms|s|m|h)$/, 'must be "manual" or a duration like "30s", "5m"')])
    .optional(),
});
export type StrategyInput = z.input<typeof strategySchema>;

export type WaveSpec = { clusters: string[] } | { count: number } | { percent: number };
export interface FailureBudget {
  count?: number;
  percent?: number;
  action: 'pause' | 'abort';
}
export type Pause = { kind: 'none' } | { kind: 'wait'; ms: number; text: string } | { kind: 'manual' };

export interface Strategy {
  waves: WaveSpec[];
  maxConcurrency: number;
  /** budget of the first (canary) wave */
  canaryBudget: FailureBudget;
  /** budget of every later wave */
  budget: FailureBudget;
  pauseBetweenWaves: Pause;
}

export const DEFAULT_WAVES: WaveSpec[] = [{ count: 1 }, { percent: 10 }, { percent: 100 }];
export const DEFAULT_MAX_CONCURRENCY = 50;

export function parseDuration(text: string): number {
  const m = /^(\d+)(ms|s|m|h)$/.exec(text);
  if (!m) return NaN;
  const n = Number(m[1]);
  const unit = { ms: 1, s: 1000, m: 60_000, h: 3_600_000 }[m[2] as 'ms' | 's' | 'm' | 'h'];
  return n * unit;
}

/** Defaults: 1 canary cluster, then 10 %, then the rest; 50 at a time; 0 failures in the canary, 5 % after, pause. */
export function normalizeStrategy(input: unknown, prefix = 'strategy'): Strategy {
  const s = parseOrThrow(strategySchema, input ?? {}, 'strategy', prefix);
  let pause: Pause = { kind: 'none' };
  if (s.pauseBetweenWaves === 'manual') pause = { kind: 'manual' };
  else if (s.pauseBetweenWaves !== undefined) {
    const ms = parseDuration(s.pauseBetweenWaves);
    if (!(ms <= MAX_WAIT_MS)) throw DomainError.validation('Invalid strategy', [{ field: `${prefix}.pauseBetweenWaves`, message: 'must be at most 24h' }]);
    pause = ms > 0 ? { kind: 'wait', ms, text: s.pauseBetweenWaves } : { kind: 'none' };
  }
  const given = s.failureBudget ? { ...(s.failureBudget.count !== undefined ? { count: s.failureBudget.count } : { percent: s.failureBudget.percent as number }), action: s.failureBudget.action } : undefined;
  return {
    waves: (s.waves ?? DEFAULT_WAVES) as WaveSpec[],
    maxConcurrency: s.maxConcurrency ?? DEFAULT_MAX_CONCURRENCY,
    canaryBudget: given ?? { count: 0, action: 'pause' },
    budget: given ?? { percent: 5, action: 'pause' },
    pauseBetweenWaves: pause,
  };
}

/** The strategy as the API shows it (the shape callers send). */
export function strategyView(s: Strategy): Record<string, unknown> {
  return {
    waves: s.waves,
    maxConcurrency: s.maxConcurrency,
    failureBudget: { canary: s.canaryBudget, rest: s.budget },
    pauseBetweenWaves: s.pauseBetweenWaves.kind === 'manual' ? 'manual' : s.pauseBetweenWaves.kind === 'wait' ? s.pauseBetweenWaves.text : null,
  };
}

/**
 * Splits targets (in rollout order) into waves: named clusters, a count, or a cumulative
 * percentage of all targets (at least one while any remain). The last wave takes whatever is
 * left; empty waves are dropped. Returns the wave index of each target.
 */
export function assignWaves(names: readonly string[], waves: readonly WaveSpec[], prefix = 'strategy.waves'): { waveOf: number[]; waveCount: number } {
  const total = names.length;
  const index = new Map(names.map((n, i) => [n, i]));
  const waveOf = new Array<number>(total).fill(-1);
  const errors: FieldError[] = [];
  waves.forEach((w, i) => {
    if ('clusters' in w) {
      w.clusters.forEach((c, j) => {
        if (!index.has(c)) errors.push({ field: `${prefix}[${i}].clusters[${j}]`, message: `"${c}" is not one of this rollout's target clusters` });
      });
    }
  });
  if (errors.length) throw DomainError.validation('Invalid strategy', errors);
  let assigned = 0;
  let wave = 0;
  const take = (i: number) => {
    if (waveOf[i] === -1) {
      waveOf[i] = wave;
      assigned++;
    }
  };
  const nextFree = () => waveOf.indexOf(-1);
  for (let w = 0; w < waves.length && assigned < total; w++) {
    const spec = waves[w] as WaveSpec;
    const before = assigned;
    if (w === waves.length - 1) {
      for (let i = 0; i < total; i++) take(i);
    } else if ('clusters' in spec) {
      for (const c of spec.clusters) take(index.get(c) as number);
    } else {
      const goal = 'count' in spec ? assigned + spec.count : Math.max(assigned + 1, Math.ceil((total * spec.percent) / 100));
      while (assigned < Math.min(goal, total)) take(nextFree());
    }
    if (assigned > before) wave++;
  }
  return { waveOf, waveCount: wave };
}

/** How many failures a wave of `size` targets may have. */
export function allowedFailures(budget: FailureBudget, size: number): number {
  if (budget.count !== undefined) return budget.count;
  return Math.floor((size * (budget.percent ?? 0)) / 100);
}

export function budgetOf(s: Strategy, wave: number): FailureBudget {
  return wave === 0 && s.waves.length > 1 ? s.canaryBudget : s.budget;
}
