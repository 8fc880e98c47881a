import { Processor, WorkerHost } from '@nestjs/bullmq';
import { type OnModuleInit } from '@nestjs/common';
import { type JobHandlers, type JobName, ROLLOUT_QUEUE, RolloutSweepService, RolloutTargetRunner, type RunOutcome, parseJobPayload } from '@fleetgate/core';
import { DelayedError, type Job } from 'bullmq';
import { JobHandlerRegistry } from '../jobs/job-handler-registry.service.js';

const QUEUE = ROLLOUT_QUEUE;

/**
 * One job per (rollout, cluster). The processor parses the ids and calls the target runner;
 * a target whose cluster is still busy with an earlier rollout's target goes back to the delayed
 * set (the per-cluster lock, in rollout creation order). A worker killed mid-job loses nothing:
 * the lock expires, BullMQ re-delivers, and the target records exactly one result. The job
 * scheduler's `sweep-open-targets` re-adds jobs that were never added.
 */
@Processor(QUEUE, { concurrency: 64, lockDuration: 10_000, stalledInterval: 5_000, maxStalledCount: 1000 })
export class RolloutTargetProcessor extends WorkerHost implements OnModuleInit {
  readonly handlers: JobHandlers<typeof QUEUE> = {
    'run-target': async ({ rolloutId, clusterId }) => this.runner.run(rolloutId, clusterId),
    'sweep-open-targets': async () => ({ readded: await this.sweeper.sweep() }),
  };

  constructor(
    private readonly runner: RolloutTargetRunner,
    private readonly sweeper: RolloutSweepService,
    private readonly registry: JobHandlerRegistry,
  ) {
    super();
  }

  onModuleInit(): void {
    this.registry.register(QUEUE, Object.keys(this.handlers));
  }

  async process(job: Job, token?: string): Promise<unknown> {
    const name = job.name as JobName<typeof QUEUE>;
    const handler = this.handlers[name] as ((payload: unknown) => Promise<unknown>) | undefined;
    if (!handler) throw new Error(`No handler for ${QUEUE}/${job.name}`);
    const result = await handler(parseJobPayload(QUEUE, name, job.data));
    const run = result as RunOutcome;
    if (name === 'run-target' && run.outcome === 'blocked') {
      await job.moveToDelayed(Date.now() + run.retryInMs, token);
      throw new DelayedError();
    }
    return result;
  }
}
