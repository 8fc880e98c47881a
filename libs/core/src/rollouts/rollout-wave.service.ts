import { Injectable } from '@nestjs/common';
import { AuditService } from '../audit/audit.service.js';
import { type Actor, systemActor } from '../auth/actor.js';
import { PrismaService } from '../prisma/index.js';
import { RolloutDispatchService } from './rollout-dispatch.service.js';
import type { Rollout } from './rollout.model.js';
import { RolloutRepository } from './rollout.repository.js';
import { nextWaveStep } from './rollout-wave.builder.js';

const actor: Actor = systemActor('worker');

/** What a step decided: target jobs to add (after `delayMs`) and the new status, if it changed. */
export interface WavePlan {
  ids: string[];
  delayMs: number;
  status?: string;
}

/**
 * Carries out the wave state machine (`nextWaveStep`) on a locked rollout: queues targets, opens
 * waves, pauses and finishes rollouts. Called by the worker after targets finish and by the API
 * when a rollout starts, resumes or is approved.
 */
@Injectable()
export class RolloutWaveService {
  constructor(
    private readonly rollouts: RolloutRepository,
    private readonly audit: AuditService,
    private readonly prisma: PrismaService,
    private readonly dispatch: RolloutDispatchService,
  ) {}

  /** Wave control after targets finished (serialised on the rollout row), then the jobs and the status event. */
  async advance(rolloutId: string): Promise<void> {
    const plan = await this.prisma.transaction(async () => {
      const r = await this.rollouts.lock(rolloutId);
      if (!r || r.status !== 'running') return null;
      return this.step(r);
    });
    if (plan && plan.ids.length) await this.dispatch.enqueue(rolloutId, plan.ids, plan.delayMs);
    if (plan?.status) await this.dispatch.publish({ type: 'rollout.status', rolloutId, status: plan.status }).catch(() => undefined);
  }

  /** One step of the state machine for a locked, running rollout (inside the caller's transaction). */
  async step(r: Rollout): Promise<WavePlan> {
    const next = nextWaveStep(r, await this.rollouts.countsByWave(r.id));
    switch (next.kind) {
      case 'finish':
        await this.finishRollout(r, next.status, next.reason);
        return { ids: [], delayMs: 0, status: next.status };
      case 'pause':
        await this.rollouts.update(r.id, { status: 'paused', reason: next.reason });
        await this.audit.record(actor, 'rollout.pause', `rollout/${r.id}`, { reason: next.reason });
        return { ids: [], delayMs: 0, status: 'paused' };
      case 'abort':
        await this.rollouts.skipOpen(r.id);
        await this.finishRollout(r, 'failed', `aborted: ${next.reason}`);
        return { ids: [], delayMs: 0, status: 'failed' };
      case 'queue':
        return { ids: await this.rollouts.queueNext(r.id, next.wave, next.slots), delayMs: 0 };
      case 'wait':
        return { ids: [], delayMs: 0 };
      case 'await-approval':
        await this.rollouts.update(r.id, { status: 'paused', awaitingApproval: true, reason: next.reason });
        return { ids: [], delayMs: 0, status: 'paused' };
      case 'open-wave':
        return this.openWave(r, next.wave, next.delayMs);
    }
  }

  async openWave(r: Rollout, wave: number, delayMs: number): Promise<WavePlan> {
    const opened = await this.rollouts.update(r.id, { currentWave: wave, awaitingApproval: false, nextWaveAt: delayMs ? new Date(Date.now() + delayMs) : null, reason: null, status: 'running' });
    const ids = await this.rollouts.queueNext(r.id, wave, r.strategy.maxConcurrency);
    // a wave left with nothing to run (its targets superseded) must not leave the rollout running with no job to advance it
    if (ids.length === 0 && (await this.rollouts.openTargetCount(r.id)) === 0) return this.step(opened);
    return { ids, delayMs };
  }

  private async finishRollout(r: Rollout, status: 'succeeded' | 'failed', reason: string | null): Promise<void> {
    await this.rollouts.update(r.id, { status, reason, finishedAt: new Date(), nextWaveAt: null, awaitingApproval: false });
    await this.audit.record(actor, `rollout.${status}`, `rollout/${r.id}`, { reason });
  }
}
