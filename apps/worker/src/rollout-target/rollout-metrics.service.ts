import { Injectable } from '@nestjs/common';
import type { RolloutObserver } from '@fleetgate/core';
import { Counter, Histogram, Registry, collectDefaultMetrics } from 'prom-client';

/** The worker's Prometheus metrics for rollouts (served by the worker's metrics-only listener). */
@Injectable()
export class RolloutMetrics implements RolloutObserver {
  readonly registry = new Registry();
  private readonly targets = new Counter({ name: 'fleetgate_rollout_targets_total', help: 'Rollout targets finished, by result', labelNames: ['result'], registers: [this.registry] });
  private readonly retries = new Counter({ name: 'fleetgate_rollout_retries_total', help: 'Cluster requests retried during rollouts', registers: [this.registry] });
  private readonly latency = new Histogram({
    name: 'fleetgate_rollout_apply_seconds',
    help: 'Time to apply one cluster (per API server)',
    buckets: [0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30],
    registers: [this.registry],
  });

  constructor() {
    collectDefaultMetrics({ register: this.registry, prefix: 'fleetgate_worker_' });
  }

  targetFinished(state: 'succeeded' | 'failed', _durationMs: number, retries: number): void {
    this.targets.inc({ result: state });
    if (retries) this.retries.inc(retries);
  }

  applyLatency(ms: number): void {
    this.latency.observe(ms / 1000);
  }
}
