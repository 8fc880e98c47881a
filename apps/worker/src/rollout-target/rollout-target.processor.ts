import { Processor } from '@nestjs/bullmq';
import { type JobHandlers, QUEUE, RolloutSweepService, RolloutTargetRunner, type RunOutcome } from '@fleetgate/core';
import { DelayedError, type Job } from 'bullmq';
import { JobHandlerRegistry } from '../jobs/job-handler-registry.service.js';
import { QueueProcessor } from '../jobs/queue.processor.js';

/**
 * One job per (rollout, cluster). The processor parses the ids and calls the target runner;
 * a target whose cluster is still busy with an earlier rollout's target goes back to the delayed
 * set (the per-cluster lock, in rollout creation order). A worker killed mid-job loses nothing:
 * the lock expires, BullMQ re-delivers, and the target records exactly one result. The job
 * scheduler's `sweep-open-targets` re-adds jobs that were never added.
 */
@Processor(QUEUE.rolloutTarget, { concurrency: 64, lockDuration: 10_000, stalledInterval: 5_000, maxStalledCount: 1000 })
export class RolloutTargetProcessor extends QueueProcessor<typeof QUEUE.rolloutTarget> {
  readonly handlers: JobHandlers<typeof QUEUE.rolloutTarget> = {
    'run-target': async ({ rolloutId, clusterId }) => this.runner.run(rolloutId, clusterId),
    'sweep-open-targets': async () => ({ readded: await this.sweeper.sweep() }),
  };

  constructor(
    private readonly runner: RolloutTargetRunner,
    private readonly sweeper: RolloutSweepService,
    registry: JobHandlerRegistry,
  ) {
    super(QUEUE.rolloutTarget, registry);
  }

  override async process(job: Job, token?: string): Promise<unknown> {
    const result = await super.process(job, token);
    const run = result as RunOutcome;
    if (job.name === 'run-target' && run.outcome === 'blocked') {
      await job.moveToDelayed(Date.now() + run.retryInMs, token);
      throw new DelayedError();
    }
    return result;
  }
}
