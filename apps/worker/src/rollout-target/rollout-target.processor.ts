import { Processor, WorkerHost } from '@nestjs/bullmq';
import { Logger, type OnApplicationBootstrap, type OnModuleDestroy, type OnModuleInit } from '@nestjs/common';
import { type JobHandlers, type JobName, ROLLOUT_QUEUE, RolloutExecutionService, parseJobPayload } from '@fleetgate/core';
import { DelayedError, type Job } from 'bullmq';
import { JobHandlerRegistry } from '../jobs/job-handler-registry.service.js';
import { RolloutMetrics } from './rollout-metrics.service.js';

const QUEUE = ROLLOUT_QUEUE;
/**
 * How often queued/running targets of running rollouts get their job re-added (ids dedupe): the
 * safety net for a process that died between committing and enqueueing. Stalled jobs of a killed
 * worker come back sooner through BullMQ's own stalled check (lockDuration 10 s).
 */
const SWEEP_MS = 30_000;

/**
 * One job per (rollout, cluster). The processor parses the ids and calls the execution service;
 * a target whose cluster is still busy with an earlier rollout's target goes back to the delayed
 * set (the per-cluster lock, in rollout creation order). A worker killed mid-job loses nothing:
 * the lock expires, BullMQ re-delivers, and the target records exactly one result.
 */
@Processor(QUEUE, { concurrency: 64, lockDuration: 10_000, stalledInterval: 5_000, maxStalledCount: 1000 })
export class RolloutTargetProcessor extends WorkerHost implements OnModuleInit, OnApplicationBootstrap, OnModuleDestroy {
  private readonly logger = new Logger(RolloutTargetProcessor.name);
  private sweeper: NodeJS.Timeout | undefined;

  readonly handlers: JobHandlers<typeof QUEUE> = {
    'run-target': async ({ rolloutId, clusterId }) => this.execution.run(rolloutId, clusterId),
  };

  constructor(
    private readonly execution: RolloutExecutionService,
    private readonly registry: JobHandlerRegistry,
    metrics: RolloutMetrics,
  ) {
    super();
    this.execution.observer = metrics;
  }

  onModuleInit(): void {
    this.registry.register(QUEUE, Object.keys(this.handlers));
  }

  onApplicationBootstrap(): void {
    const sweep = () => {
      this.execution.sweep().catch((err: unknown) => this.logger.warn(`rollout sweep failed: ${(err as Error).message}`));
    };
    sweep();
    this.sweeper = setInterval(sweep, SWEEP_MS);
    this.sweeper.unref();
  }

  onModuleDestroy(): void {
    if (this.sweeper) clearInterval(this.sweeper);
  }

  async process(job: Job, token?: string): Promise<unknown> {
    const name = job.name as JobName<typeof QUEUE>;
    const handler = this.handlers[name] as ((payload: unknown) => ReturnType<RolloutExecutionService['run']>) | undefined;
    if (!handler) throw new Error(`No handler for ${QUEUE}/${job.name}`);
    const result = await handler(parseJobPayload(QUEUE, name, job.data));
    if (result.outcome === 'blocked') {
      await job.moveToDelayed(Date.now() + result.retryInMs, token);
      throw new DelayedError();
    }
    return result;
  }
}
