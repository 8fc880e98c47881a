import { Controller, Get, Header } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import { type Actor, DriftService, RolloutService, TARGET_STATES, ROLLOUT_STATUSES } from '@fleetgate/core';
import { Gauge, Registry, collectDefaultMetrics } from 'prom-client';
import { CurrentActor } from '../common/auth.decorator.js';

/** Prometheus text format for the API: process metrics plus fleet-wide rollout and drift figures from Postgres and the queue. */
@ApiExcludeController()
@Controller()
export class MetricsController {
  private readonly registry = new Registry();
  private readonly targets = new Gauge({ name: 'fleetgate_rollout_targets', help: 'Rollout targets by state (all rollouts)', labelNames: ['state'], registers: [this.registry] });
  private readonly rollouts = new Gauge({ name: 'fleetgate_rollouts', help: 'Rollouts by status', labelNames: ['status'], registers: [this.registry] });
  private readonly depth = new Gauge({ name: 'fleetgate_rollout_queue_depth', help: 'Rollout target jobs in the queue, by state', labelNames: ['state'], registers: [this.registry] });

  private readonly findings = new Gauge({ name: 'fleetgate_drift_open_findings', help: 'Open drift findings by kind (contested included)', labelNames: ['kind'], registers: [this.registry] });

  constructor(
    private readonly service: RolloutService,
    private readonly drift: DriftService,
  ) {
    collectDefaultMetrics({ register: this.registry, prefix: 'fleetgate_api_' });
  }

  @Get('metrics')
  @Header('Content-Type', 'text/plain; version=0.0.4; charset=utf-8')
  async metrics(@CurrentActor() actor: Actor): Promise<string> {
    const m = await this.service.metrics(actor);
    for (const s of TARGET_STATES) this.targets.set({ state: s }, m.targets[s] ?? 0);
    for (const s of ROLLOUT_STATUSES) this.rollouts.set({ status: s }, m.rollouts[s] ?? 0);
    for (const [state, n] of Object.entries(m.queue)) this.depth.set({ state }, n);
    for (const [kind, n] of Object.entries(await this.drift.openCountsByKind(actor))) this.findings.set({ kind }, n);
    return this.registry.metrics();
  }
}
