import { Inject, Injectable } from '@nestjs/common';
import { Counter, Histogram, register } from 'prom-client';
import { FLEETGATE_CONFIG, type FleetgateConfig } from '../config/index.js';
import { RedisConnections } from '../queues/redis-connections.service.js';
import { RedisEventsPublisher, eventsChannelOf } from '../queues/redis-events.publisher.js';
import type { DriftFinding, DriftResolution } from './drift.repository.js';

export type DriftEvent =
  | { type: 'opened'; finding: DriftFinding }
  | { type: 'resolved'; findingId: string; clusterId: string; cluster: string; resolution: DriftResolution }
  | { type: 'contested'; finding: DriftFinding }
  | { type: 'repair-started'; clusterId: string; cluster: string; findingIds: string[]; rolloutId: string | null };

/** What crosses Redis to the API replicas (the `driftEvents` subscription). */
export interface DriftEventMessage {
  type: DriftEvent['type'];
  cluster: string;
  clusterId: string;
  findingIds: string[];
  kind: string | null;
  resolution: string | null;
  rolloutId: string | null;
  at: string;
}

export function driftEventsChannel(prefix: string): string {
  return eventsChannelOf(prefix, 'drift');
}

export function toDriftEventMessage(e: DriftEvent): DriftEventMessage {
  const at = new Date().toISOString();
  switch (e.type) {
    case 'opened':
    case 'contested':
      return { type: e.type, cluster: e.finding.clusterName, clusterId: e.finding.clusterId, findingIds: [e.finding.id], kind: e.finding.kind, resolution: null, rolloutId: null, at };
    case 'resolved':
      return { type: e.type, cluster: e.cluster, clusterId: e.clusterId, findingIds: [e.findingId], kind: null, resolution: e.resolution, rolloutId: null, at };
    case 'repair-started':
      return { type: e.type, cluster: e.cluster, clusterId: e.clusterId, findingIds: e.findingIds, kind: null, resolution: null, rolloutId: e.rolloutId, at };
  }
}

function metric<T>(name: string, make: () => T): T {
  return (register.getSingleMetric(name) as T | undefined) ?? make();
}

/**
 * Drift metrics (prom-client, default registry) and drift events: in-process listeners, and
 * Redis pub/sub (best effort) so that any API replica can serve the `driftEvents` subscription.
 */
@Injectable()
export class DriftTelemetry {
  private readonly publisher: RedisEventsPublisher<DriftEventMessage>;

  constructor(redis: RedisConnections, @Inject(FLEETGATE_CONFIG) config: FleetgateConfig) {
    this.publisher = new RedisEventsPublisher(redis, driftEventsChannel(config.queuePrefix));
  }

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
    void this.publisher.publish(toDriftEventMessage(e)); // best effort; a failed publish is dropped
  }

  subscribe(listener: (e: DriftEvent) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }
}
