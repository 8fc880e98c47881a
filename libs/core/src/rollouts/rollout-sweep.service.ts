import { Injectable } from '@nestjs/common';
import { RolloutDispatchService } from './rollout-dispatch.service.js';
import { RolloutRepository } from './rollout.repository.js';

/**
 * The safety net for a process that died between committing and enqueueing: re-adds the jobs of
 * queued and running targets of running rollouts (job ids dedupe, so live jobs are not doubled).
 * The worker runs it from a BullMQ job scheduler.
 */
@Injectable()
export class RolloutSweepService {
  constructor(
    private readonly rollouts: RolloutRepository,
    private readonly dispatch: RolloutDispatchService,
  ) {}

  /** Returns how many targets had their job re-added. */
  async sweep(): Promise<number> {
    const open = await this.rollouts.openTargets(20_000);
    const byRollout = new Map<string, string[]>();
    for (const o of open) byRollout.set(o.rolloutId, [...(byRollout.get(o.rolloutId) ?? []), o.clusterId]);
    for (const [rolloutId, ids] of byRollout) await this.dispatch.enqueue(rolloutId, ids);
    return open.length;
  }
}
