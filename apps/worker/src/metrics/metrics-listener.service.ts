import { createServer, type Server } from 'node:http';
import { Inject, Injectable, Logger, type OnApplicationBootstrap, type OnModuleDestroy } from '@nestjs/common';
import { FLEETGATE_CONFIG, type FleetgateConfig, RolloutDispatchService } from '@fleetgate/core';
import { Gauge, Registry, register } from 'prom-client';
import { RolloutMetrics } from '../rollout-target/rollout-metrics.service.js';

/**
 * The worker's only listener: GET /metrics in Prometheus text format (rollouts: targets by result,
 * apply latency, retries, queue depth; drift, from prom-client's default registry: scans, scan
 * latency, repairs, contested findings; process metrics) on FLEETGATE_WORKER_METRICS_PORT. No API.
 */
@Injectable()
export class MetricsListener implements OnApplicationBootstrap, OnModuleDestroy {
  private readonly logger = new Logger(MetricsListener.name);
  private server: Server | undefined;
  private readonly depth: Gauge;

  constructor(
    private readonly metrics: RolloutMetrics,
    private readonly dispatch: RolloutDispatchService,
    @Inject(FLEETGATE_CONFIG) private readonly config: FleetgateConfig,
  ) {
    this.depth = new Gauge({ name: 'fleetgate_rollout_queue_depth', help: 'Rollout target jobs in the queue, by state', labelNames: ['state'], registers: [metrics.registry] });
  }

  async onApplicationBootstrap(): Promise<void> {
    if (!this.config.workerMetricsPort) return;
    this.server = createServer((req, res) => {
      if (req.method !== 'GET' || req.url !== '/metrics') {
        res.writeHead(404).end();
        return;
      }
      this.dispatch
        .depth()
        .then(async (d) => {
          for (const [state, n] of Object.entries(d)) this.depth.set({ state }, n);
          const all = Registry.merge([this.metrics.registry, register]);
          res.writeHead(200, { 'content-type': all.contentType }).end(await all.metrics());
        })
        .catch((err: unknown) => res.writeHead(500).end((err as Error).message));
    });
    await new Promise<void>((resolve) => this.server?.listen(this.config.workerMetricsPort, resolve));
    this.logger.log(`metrics on :${this.config.workerMetricsPort}/metrics`);
  }

  async onModuleDestroy(): Promise<void> {
    await new Promise<void>((resolve) => (this.server ? this.server.close(() => resolve()) : resolve()));
  }
}
