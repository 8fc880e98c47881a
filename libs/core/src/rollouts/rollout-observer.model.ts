/** Observations of the rollout worker, for metrics (the worker provides a Prometheus implementation). */
export interface RolloutObserver {
  targetFinished(state: 'succeeded' | 'failed', durationMs: number, retries: number): void;
  applyLatency(ms: number): void;
}

/** Injection token of the `RolloutObserver` (`CoreModule.forRoot(config, { rolloutObserver })`). */
export const ROLLOUT_OBSERVER = Symbol('RolloutObserver');

export const noRolloutObserver: RolloutObserver = {
  targetFinished: () => undefined,
  applyLatency: () => undefined,
};
