import { Inject, Injectable } from '@nestjs/common';
import { WriteBatcher } from '../concurrency/index.js';
import { RolloutDispatchService } from './rollout-dispatch.service.js';
import { ROLLOUT_OBSERVER, type RolloutObserver } from './rollout-observer.model.js';
import { type FinishedTarget, RolloutResultWriter } from './rollout-result-writer.service.js';
import { RolloutWaveService } from './rollout-wave.service.js';

/**
 * Records finished targets in batches (one transaction per batch, not per target), then observes
 * them, publishes progress and advances the waves of the rollouts involved.
 */
@Injectable()
export class RolloutResultsService {
  private readonly batcher = new WriteBatcher<FinishedTarget>((items) => this.record(items), { maxItems: 200, maxWaitMs: 25 });

  constructor(
    private readonly writer: RolloutResultWriter,
    private readonly dispatch: RolloutDispatchService,
    private readonly waves: RolloutWaveService,
    @Inject(ROLLOUT_OBSERVER) private readonly observer: RolloutObserver,
  ) {}

  /** Resolves when the result is written (with the batch it joined). */
  submit(item: FinishedTarget): Promise<void> {
    return this.batcher.submit(item);
  }

  private async record(items: FinishedTarget[]): Promise<void> {
    const finished = await this.writer.write(items);
    for (const i of finished) this.observer.targetFinished(i.result.state, i.result.durationMs, i.result.retries);
    // progress events are best effort (Postgres holds the state): not awaited one by one
    for (const i of finished) void this.dispatch.publish({ type: 'rollout.target', rolloutId: i.rollout.id, cluster: i.target.clusterName, state: i.result.state }).catch(() => undefined);
    for (const id of new Set(items.map((i) => i.rollout.id))) await this.waves.advance(id);
  }
}
