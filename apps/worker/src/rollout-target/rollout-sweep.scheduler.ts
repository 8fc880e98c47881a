import { InjectQueue } from '@nestjs/bullmq';
import { Injectable, type OnApplicationBootstrap } from '@nestjs/common';
import { QUEUE } from '@fleetgate/core';
import type { Queue } from 'bullmq';

export const ROLLOUT_SWEEP_SCHEDULER_ID = 'sweep-open-targets';
/**
 * How often queued/running targets of running rollouts get their job re-added (ids dedupe): the
 * safety net for a process that died between committing and enqueueing. Stalled jobs of a killed
 * worker come back sooner through BullMQ's own stalled check (lockDuration 10 s).
 */
export const ROLLOUT_SWEEP_MS = 30_000;

/** Keeps one BullMQ job scheduler that runs `sweep-open-targets` every 30 s (the first run at start). */
@Injectable()
export class RolloutSweepScheduler implements OnApplicationBootstrap {
  constructor(@InjectQueue(QUEUE.rolloutTarget) private readonly queue: Queue) {}

  async onApplicationBootstrap(): Promise<void> {
    await this.queue.upsertJobScheduler(
      ROLLOUT_SWEEP_SCHEDULER_ID,
      { every: ROLLOUT_SWEEP_MS },
      { name: 'sweep-open-targets', data: {}, opts: { removeOnComplete: 10, removeOnFail: 10 } },
    );
  }
}
