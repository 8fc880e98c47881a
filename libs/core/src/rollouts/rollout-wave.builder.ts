import { type Rollout, type StateCounts, emptyCounts } from './rollout.model.js';
import { allowedFailures, budgetOf } from './rollout-strategy.builder.js';

/** What the wave state machine does next for a running rollout (decided without I/O). */
export type WaveStep =
  /** every wave is done (or there was none): the rollout ends */
  | { kind: 'finish'; status: 'succeeded' | 'failed'; reason: string | null }
  /** the failure budget of the current wave is spent and its action is `pause` */
  | { kind: 'pause'; reason: string }
  /** the failure budget of the current wave is spent and its action is `abort` */
  | { kind: 'abort'; reason: string }
  /** queue up to `slots` pending targets of the current wave (keeps `maxConcurrency` in flight) */
  | { kind: 'queue'; wave: number; slots: number }
  /** targets of the current wave are still in flight */
  | { kind: 'wait' }
  /** the next wave waits for an operator's approval */
  | { kind: 'await-approval'; reason: string }
  /** open the next wave, after `delayMs` */
  | { kind: 'open-wave'; wave: number; delayMs: number };

/**
 * The wave state machine: from a running rollout and its target counts per wave, the next step:
 * failure budget first, then keep `maxConcurrency` targets of the current wave in flight, then
 * the next wave (after a wait or an approval), then the final status.
 */
export function nextWaveStep(r: Pick<Rollout, 'waveCount' | 'currentWave' | 'strategy'>, countsByWave: ReadonlyMap<number, StateCounts>): WaveStep {
  if (r.waveCount === 0) return { kind: 'finish', status: 'succeeded', reason: null };
  const wave = r.currentWave;
  const c = countsByWave.get(wave) ?? emptyCounts();
  const size = Object.values(c).reduce((a, b) => a + b, 0);
  const budget = budgetOf(r.strategy, wave);
  const allowed = allowedFailures(budget, size) + (r.strategy.acceptedFailures?.[String(wave)] ?? 0);
  if (c.failed > allowed) {
    const reason = `failure budget exceeded in wave ${wave}: ${c.failed} failed, ${allowed} allowed`;
    return budget.action === 'pause' ? { kind: 'pause', reason } : { kind: 'abort', reason };
  }
  // Retried targets of earlier waves count with the current wave's: same concurrency, and the
  // next wave opens only when none of them is open any more.
  let pending = 0;
  let inflight = 0;
  for (const [w, x] of countsByWave) {
    if (w <= wave) pending += x.pending;
    inflight += x.queued + x.running;
  }
  if (pending > 0) return { kind: 'queue', wave, slots: r.strategy.maxConcurrency - inflight };
  if (inflight > 0) return { kind: 'wait' };
  if (wave + 1 >= r.waveCount) {
    let failed = 0;
    let superseded = 0;
    for (const w of countsByWave.values()) {
      failed += w.failed;
      superseded += w.superseded;
    }
    const reasons = [failed > 0 ? `${failed} target(s) failed` : '', superseded > 0 ? `${superseded} target(s) superseded by a newer rollout` : ''].filter(Boolean);
    return { kind: 'finish', status: failed > 0 ? 'failed' : 'succeeded', reason: reasons.length ? reasons.join('; ') : null };
  }
  const pause = r.strategy.pauseBetweenWaves;
  // waves are numbered from 0 everywhere (currentWave, waves[].index, targets' wave, reasons)
  if (pause.kind === 'manual') return { kind: 'await-approval', reason: `wave ${wave + 1} (waves 0-${r.waveCount - 1}) waits for approval` };
  return { kind: 'open-wave', wave: wave + 1, delayMs: pause.kind === 'wait' ? pause.ms : 0 };
}
