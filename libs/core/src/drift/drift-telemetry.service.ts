import { Injectable } from '@nestjs/common';
import { Counter, Histogram, register } from 'prom-client';
import type { DriftFinding, DriftResolution } from './drift.repository.js';

export type DriftEvent =
  | { type: 'opened'; finding: DriftFinding }
  | { type: 'resolved'; findingId: string; clusterId: string; cluster: string; resolution: DriftResolution }
  | { type: 'contested'; finding: DriftFinding }
  | { type: 'repair-started'; clusterId: string; cluster: string; findingIds: string[]; rolloutId: string | null };

function metric<T>(name: string, make: () => T): T {
  return (register.getSingleMetric(name) as T | undefined) ?? make();
}

/**
 * Drift metrics (prom-client, default registry) and drift events. Listeners (the GraphQL
 * `driftEvents` subscription, tests) subscribe in-process; the process that scans emits.
 */
@Injectable()
export class DriftTelemetry {
  private readonly listeners = new Set<(e: DriftEvent) => void>();
  readonly scans = metric('fleetgate_drift_scans_total', () => new Counter({ name: 'fleetgate_drift_scans_total', help: 'Drift scans by outcome', labelNames: ['status'] }));
  readonly latency = metric('fleetgate_drift_scan_seconds', () => new Histogram({ name: 'fleetgate_drift_scan_seconds', help: 'Latency of one cluster scan', buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10] }));
  readonly repairs = metric('fleetgate_drift_repairs_total', () => new Counter({ name: 'fleetgate_drift_repairs_total', help: 'Repairs started by enforce-mode drift' }));
  readonly contested = metric('fleetgate_drift_contested_total', () => new Counter({ name: 'fleetgate_drift_contested_total', help: 'Findings marked contested (repairs stopped)' }));

  scanned(_cluster: string, status: string, ms: number): void {
    this.scans.inc({ status });
    this.latency.observe(ms / 1000);
  }

  event(e: DriftEvent): void {
    if (e.type === 'repair-started') this.repairs.inc();
    if (e.type === 'contested') this.contested.inc();
    for (const l of this.listeners) l(e);
  }

  subscribe(listener: (e: DriftEvent) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }
}
