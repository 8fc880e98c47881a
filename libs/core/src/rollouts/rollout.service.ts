import { Injectable } from '@nestjs/common';
import { z } from 'zod';
import { AuditService } from '../audit/audit.service.js';
import { type Actor, assertRole, systemActor } from '../auth/actor.js';
import { BindingRepository } from '../bindings/binding.repository.js';
import { ClusterRepository } from '../clusters/cluster.repository.js';
import { AssignedStateRepository } from '../desired-state/assigned-state.repository.js';
import { isUuid } from '../clusters/cluster.schemas.js';
import { DomainError, DomainErrorCode, type FieldError, parseOrThrow } from '../errors/index.js';
import { FeatureGateRepository } from '../feature-gates/feature-gate.repository.js';
import { type Page, decodeCursor, pageSize, toPage } from '../pagination/index.js';
import { PrismaService } from '../prisma/index.js';
import { parseLabelSelector } from '../selectors/index.js';
import { RolloutDispatchService } from './rollout-dispatch.service.js';
import { RolloutWaveService } from './rollout-wave.service.js';
import {
  type Rollout,
  type RolloutChange,
  type RolloutDetail,
  type RolloutKind,
  type RolloutSelection,
  type RolloutTarget,
  type StateCounts,
  TERMINAL_ROLLOUT,
  emptyCounts,
} from './rollout.model.js';
import { RolloutRepository } from './rollout.repository.js';
import {
  type BindingRolloutInput,
  type GateRolloutInput,
  type HistoryInput,
  type ListRolloutsInput,
  type ListTargetsInput,
  type RetryInput,
  type RollbackInput,
  type StartRolloutInput,
  bindingRolloutSchema,
  gateRolloutSchema,
  historySchema,
  listRolloutsSchema,
  listTargetsSchema,
  retrySchema,
  rollbackSchema,
  startRolloutSchema,
} from './rollout.schemas.js';
import { assignWaves, normalizeStrategy } from './rollout-strategy.builder.js';

export interface HistoryEntry {
  rollout: Pick<Rollout, 'id' | 'kind' | 'status' | 'change' | 'dryRun' | 'createdBy' | 'createdAt' | 'finishedAt'>;
  target: RolloutTarget;
}

const total = (c: StateCounts) => Object.values(c).reduce((a, b) => a + b, 0);

/** A selection that matches no cluster is a mistake far more often than an intent: 422 unless `allowEmpty`. */
function refuseEmpty(ids: readonly string[], allowEmpty: boolean | undefined, sel: RolloutSelection, prefix: string): void {
  if (ids.length > 0 || allowEmpty) return;
  const field = sel.labelSelector !== undefined ? 'labelSelector' : sel.clusters !== undefined ? 'clusters' : sel.role !== undefined ? 'role' : 'labelSelector';
  throw new DomainError(DomainErrorCode.NoTargets, 'The rollout would reach no cluster', {
    errors: [{ field: `${prefix}${field}`, message: 'matches no cluster; pass "allowEmpty": true to record a rollout of 0 targets' }],
  });
}

/**
 * A wave is `done` when every target in it ran; `cancelled` when the rollout was cancelled or
 * aborted before some of its targets ran (they are skipped); `running` once it has been opened.
 */
export function waveStatus(r: Pick<Rollout, 'status' | 'currentWave'>, w: number, c: StateCounts): RolloutDetail['waves'][number]['status'] {
  const open = c.pending + c.queued + c.running;
  if (open === 0) return c.skipped > 0 && (r.status === 'cancelled' || r.status === 'failed') ? 'cancelled' : 'done';
  if ((r.status === 'cancelled' || r.status === 'failed') && c.queued + c.running === 0) return 'cancelled';
  return w < r.currentWave || (w === r.currentWave && c.pending < total(c)) ? 'running' : 'pending';
}

/** Rollouts as callers see them: start, inspect, control. Transport-neutral (REST and GraphQL call this). */
@Injectable()
export class RolloutService {
  constructor(
    private readonly rollouts: RolloutRepository,
    private readonly clusters: ClusterRepository,
    private readonly bindings: BindingRepository,
    private readonly assigned: AssignedStateRepository,
    private readonly gates: FeatureGateRepository,
    private readonly waves: RolloutWaveService,
    private readonly dispatch: RolloutDispatchService,
    private readonly audit: AuditService,
    private readonly prisma: PrismaService,
  ) {}

  async start(actor: Actor, input: StartRolloutInput): Promise<RolloutDetail> {
    assertRole(actor, 'operator', 'Starting rollouts');
    const data = parseOrThrow(startRolloutSchema, input, 'rollout');
    const sel: RolloutSelection = { ...data.targets };
    if (data.change.kind === 'gate') return this.startGate(actor, data.change.gate, { enabled: data.change.enabled, ...sel, strategy: data.strategy, dryRun: data.dryRun, allowEmpty: data.allowEmpty }, 'change.gate', 'targets.');
    if (data.change.kind === 'binding') return this.startBinding(actor, data.change.binding, { ...sel, strategy: data.strategy, dryRun: data.dryRun, allowEmpty: data.allowEmpty }, 'targets.');
    const ids = await this.select(sel, 'targets.');
    refuseEmpty(ids, data.allowEmpty, sel, 'targets.');
    return this.create(actor, data.change.kind, { kind: data.change.kind }, sel, ids, data.strategy, data.dryRun ?? false, null);
  }

  async startGate(actor: Actor, key: string, input: GateRolloutInput, keyField = 'key', prefix = ''): Promise<RolloutDetail> {
    assertRole(actor, 'operator', 'Starting rollouts');
    const data = parseOrThrow(gateRolloutSchema, input, 'rollout');
    const known = await this.gates.existingKeys([key]);
    if (!known.has(key)) {
      if (keyField === 'key') throw DomainError.notFound('Feature gate', key);
      throw DomainError.validation('Unknown feature gate', [{ field: keyField, message: `no feature gate "${key}" is defined` }]);
    }
    const sel: RolloutSelection = { labelSelector: data.labelSelector, role: data.role, clusters: data.clusters };
    const ids = await this.select(sel, prefix);
    refuseEmpty(ids, data.allowEmpty, sel, prefix);
    return this.create(actor, 'gate', { kind: 'gate', gate: key, enabled: data.enabled }, sel, ids, data.strategy, data.dryRun ?? false, null);
  }

  /** A binding created, changed or deleted: the clusters it selects plus those holding its objects. */
  async startBinding(actor: Actor, ref: string, input: BindingRolloutInput, prefix = ''): Promise<RolloutDetail> {
    assertRole(actor, 'operator', 'Starting rollouts');
    const data = parseOrThrow(bindingRolloutSchema, input, 'rollout');
    const binding = isUuid(ref) ? await this.bindings.findById(ref.toLowerCase()) : await this.bindings.findByName(ref);
    // A deleted binding (by name) still reaches the clusters that hold its objects, to prune them.
    const name = binding?.name ?? ref;
    const holding = await this.assigned.clusterIdsHolding(name);
    if (!binding && (isUuid(ref) || holding.length === 0)) throw DomainError.notFound('Binding', ref);
    const selected = binding ? await this.clusters.idsMatching(parseLabelSelector(binding.clusterSelector), binding.clusterRole) : [];
    let ids = [...new Set([...selected, ...holding])];
    const sel: RolloutSelection = { labelSelector: data.labelSelector, role: data.role, clusters: data.clusters };
    if (sel.labelSelector !== undefined || sel.role !== undefined || sel.clusters !== undefined) {
      const narrowed = new Set(await this.select(sel, prefix));
      ids = ids.filter((id) => narrowed.has(id));
    }
    refuseEmpty(ids, data.allowEmpty, sel, prefix);
    return this.create(actor, 'binding', { kind: 'binding', bindingId: binding?.id ?? null, binding: name }, sel, ids, data.strategy, data.dryRun ?? false, null);
  }

  /** A new rollout restoring, on every cluster the original changed, the assigned state from before it. */
  async rollback(actor: Actor, id: string, input: RollbackInput = {}): Promise<RolloutDetail> {
    assertRole(actor, 'operator', 'Rolling back');
    const data = parseOrThrow(rollbackSchema, input, 'rollback');
    const orig = await this.mustFind(id);
    if (orig.dryRun) throw new DomainError(DomainErrorCode.Conflict, 'a dry-run rollout changed nothing; there is nothing to roll back');
    if (orig.status === 'running' || orig.status === 'pending') throw new DomainError(DomainErrorCode.Conflict, `rollout ${id} is ${orig.status}; pause or cancel it before rolling back`);
    const changed = (await this.rollouts.succeededTargets(id)).filter((t) => t.before !== null);
    const strategy = data.strategy ?? this.callerStrategy(orig);
    return this.create(actor, 'rollback', { kind: 'rollback', rollbackOf: id }, { clusters: changed.map((t) => t.clusterName) }, changed.map((t) => t.clusterId), strategy, data.dryRun ?? false, id);
  }

  async get(actor: Actor, id: string): Promise<RolloutDetail> {
    assertRole(actor, 'viewer', 'Reading rollouts');
    return this.detail(await this.mustFind(id));
  }

  async list(actor: Actor, input: ListRolloutsInput = {}): Promise<Page<RolloutDetail>> {
    assertRole(actor, 'viewer', 'Reading rollouts');
    const q = parseOrThrow(listRolloutsSchema, input, 'query');
    const limit = pageSize(q.limit);
    const beforeSeq = q.cursor ? decodeCursor(q.cursor, z.object({ seq: z.number().int() })).seq : undefined;
    let clusterId: string | undefined;
    if (q.cluster) {
      const c = isUuid(q.cluster) ? await this.clusters.findById(q.cluster.toLowerCase()) : await this.clusters.findByName(q.cluster);
      if (!c) throw DomainError.validation('Unknown cluster', [{ field: 'cluster', message: `no cluster "${q.cluster}"` }]);
      clusterId = c.id;
    }
    const rows = await this.rollouts.list({ status: q.status, kind: q.kind, clusterId, beforeSeq, take: limit + 1 });
    const page = toPage(rows, limit, (r) => ({ seq: r.seq }), (r) => r);
    return { items: await Promise.all(page.items.map((r) => this.detail(r))), nextCursor: page.nextCursor };
  }

  async targets(actor: Actor, id: string, input: ListTargetsInput = {}): Promise<Page<RolloutTarget>> {
    assertRole(actor, 'viewer', 'Reading rollouts');
    const q = parseOrThrow(listTargetsSchema, input, 'query');
    await this.mustFind(id);
    const limit = pageSize(q.limit);
    const after = q.cursor ? decodeCursor(q.cursor, z.object({ position: z.number().int() })).position : undefined;
    const rows = await this.rollouts.targets(id, { state: q.state, afterPosition: after, take: limit + 1 });
    return toPage(rows, limit, (t) => ({ position: t.position }), (t) => t);
  }

  async history(actor: Actor, clusterRef: string, input: HistoryInput = {}): Promise<Page<HistoryEntry>> {
    assertRole(actor, 'viewer', 'Reading cluster history');
    const q = parseOrThrow(historySchema, input, 'query');
    const c = isUuid(clusterRef) ? await this.clusters.findById(clusterRef.toLowerCase()) : await this.clusters.findByName(clusterRef);
    if (!c) throw DomainError.notFound('Cluster', clusterRef);
    const limit = pageSize(q.limit);
    const beforeSeq = q.cursor ? decodeCursor(q.cursor, z.object({ seq: z.number().int() })).seq : undefined;
    const rows = await this.rollouts.historyOf(c.id, beforeSeq, limit + 1);
    return toPage(rows, limit, (r) => ({ seq: r.rollout.seq }), (r) => ({
      rollout: { id: r.rollout.id, kind: r.rollout.kind, status: r.rollout.status, change: r.rollout.change, dryRun: r.rollout.dryRun, createdBy: r.rollout.createdBy, createdAt: r.rollout.createdAt, finishedAt: r.rollout.finishedAt },
      target: r.target,
    }));
  }

  /** Fleet-wide figures for Prometheus: targets by state, rollouts by status, queue depth. */
  async metrics(actor: Actor): Promise<{ targets: Record<string, number>; rollouts: Record<string, number>; queue: Record<string, number> }> {
    assertRole(actor, 'viewer', 'Reading metrics');
    const [totals, queue] = await Promise.all([this.rollouts.stateTotals(), this.dispatch.depth()]);
    return { ...totals, queue };
  }

  async pause(actor: Actor, id: string): Promise<RolloutDetail> {
    return this.control(actor, id, 'pause', async (r) => {
      if (r.status !== 'running') throw this.badState(r, 'pause', 'running');
      return { update: { status: 'paused', reason: `paused by ${actor.name}` } };
    });
  }

  async resume(actor: Actor, id: string): Promise<RolloutDetail> {
    return this.control(actor, id, 'resume', async (r) => {
      if (r.status !== 'paused' || r.awaitingApproval) throw this.badState(r, 'resume', r.awaitingApproval ? 'paused by the failure budget or an operator (this one waits for approval: approve it)' : 'paused');
      // Failures that paused the wave are accepted: the budget counts from here.
      const counts = await this.rollouts.waveCounts(r.id, r.currentWave);
      const accepted = { ...(r.strategy.acceptedFailures ?? {}), [String(r.currentWave)]: counts.failed };
      return { update: { status: 'running', reason: null, strategy: { ...r.strategy, acceptedFailures: accepted } }, step: true };
    });
  }

  async approve(actor: Actor, id: string): Promise<RolloutDetail> {
    return this.control(actor, id, 'approve', async (r) => {
      if (!r.awaitingApproval) throw this.badState(r, 'approve', 'waiting for approval between waves');
      return { openWave: r.currentWave + 1 };
    });
  }

  /**
   * Failed targets (all, or those of the named clusters) run again under the same rollout: they
   * become pending, the rollout runs (a finished one reopens), and the waves go on from where
   * they were. Audited as `rollout.retry`.
   */
  async retry(actor: Actor, id: string, input: RetryInput = {}): Promise<RolloutDetail> {
    const data = parseOrThrow(retrySchema, input, 'retry');
    return this.control(actor, id, 'retry', async (r) => {
      if (r.status === 'cancelled') throw this.badState(r, 'retry', 'not cancelled');
      const failed = await this.rollouts.failedTargets(r.id);
      let chosen = failed;
      if (data.clusters) {
        const byName = new Map(failed.map((t) => [t.clusterName, t]));
        const errors: FieldError[] = [];
        data.clusters.forEach((n, i) => {
          if (!byName.has(n)) errors.push({ field: `clusters[${i}]`, message: `"${n}" is not a failed target of rollout ${r.id}` });
        });
        if (errors.length) throw DomainError.validation('Only failed targets can be retried', errors);
        chosen = [...new Set(data.clusters)].map((n) => byName.get(n) as { id: string; clusterName: string });
      }
      if (chosen.length === 0) throw new DomainError(DomainErrorCode.Conflict, `rollout ${r.id} has no failed targets to retry`, { details: { status: r.status } });
      await this.rollouts.resetFailed(r.id, chosen.map((t) => t.id));
      return {
        update: { status: 'running', reason: null, finishedAt: null, awaitingApproval: false, nextWaveAt: null },
        step: true,
        summary: { clusters: chosen.map((t) => t.clusterName) },
      };
    });
  }

  /** Running targets finish; every other open target is skipped. */
  async cancel(actor: Actor, id: string): Promise<RolloutDetail> {
    return this.control(actor, id, 'cancel', async (r) => {
      if ((TERMINAL_ROLLOUT as readonly string[]).includes(r.status)) throw this.badState(r, 'cancel', 'pending, running or paused');
      const skipped = await this.rollouts.skipOpen(r.id);
      return { update: { status: 'cancelled', awaitingApproval: false, nextWaveAt: null, reason: `cancelled by ${actor.name}`, finishedAt: new Date() }, summary: { skipped } };
    });
  }

  // ---- internals ----

  private async control(
    actor: Actor,
    id: string,
    action: string,
    decide: (r: Rollout) => Promise<{ update?: Parameters<RolloutRepository['update']>[1]; step?: boolean; openWave?: number; summary?: Record<string, unknown> }>,
  ): Promise<RolloutDetail> {
    assertRole(actor, 'operator', `${action[0]?.toUpperCase()}${action.slice(1)} of rollouts`);
    if (!isUuid(id)) throw DomainError.notFound('Rollout', id);
    const plan = await this.prisma.transaction(async () => {
      const r = await this.rollouts.lock(id.toLowerCase());
      if (!r) throw DomainError.notFound('Rollout', id);
      const d = await decide(r);
      let next = r;
      let ids: string[] = [];
      let delayMs = 0;
      if (d.update) next = await this.rollouts.update(r.id, d.update);
      if (d.step) ({ ids, delayMs } = await this.waves.step(next));
      if (d.openWave !== undefined) ({ ids, delayMs } = await this.waves.openWave(next, d.openWave, 0));
      await this.audit.record(actor, `rollout.${action}`, `rollout/${r.id}`, { before: r.status, ...(d.summary ?? {}) });
      return { ids, delayMs };
    });
    if (plan.ids.length) await this.dispatch.enqueue(id, plan.ids, plan.delayMs);
    const detail = await this.get(actor, id);
    await this.dispatch.publish({ type: 'rollout.status', rolloutId: id, status: detail.status }).catch(() => undefined);
    return detail;
  }

  private badState(r: Rollout, action: string, needed: string): DomainError {
    return new DomainError(DomainErrorCode.Conflict, `cannot ${action} rollout ${r.id}: it is ${r.status}${r.awaitingApproval ? ' (waiting for approval)' : ''}; ${action} needs it ${needed}`, {
      details: { status: r.status, awaitingApproval: r.awaitingApproval },
    });
  }

  private async mustFind(id: string): Promise<Rollout> {
    if (!isUuid(id)) throw DomainError.notFound('Rollout', id);
    const r = await this.rollouts.findById(id.toLowerCase());
    if (!r) throw DomainError.notFound('Rollout', id);
    return r;
  }

  /** The clusters a selection names: selector and role filter the fleet; explicit names must exist. */
  private async select(sel: RolloutSelection, prefix: string): Promise<string[]> {
    const reqs = parseLabelSelector(sel.labelSelector, `${prefix}labelSelector`);
    let ids: string[] | undefined;
    if (sel.labelSelector !== undefined || sel.role !== undefined || sel.clusters === undefined) ids = await this.clusters.idsMatching(reqs, sel.role ?? null);
    if (sel.clusters !== undefined) {
      const found = await this.clusters.idsNamed(sel.clusters);
      const byName = new Map(found.map((c) => [c.name, c.id]));
      const errors: FieldError[] = [];
      sel.clusters.forEach((n, i) => {
        if (!byName.has(n)) errors.push({ field: `${prefix}clusters[${i}]`, message: `no cluster "${n}"` });
      });
      if (errors.length) throw DomainError.validation('Unknown clusters', errors);
      const named = new Set(byName.values());
      ids = ids ? ids.filter((id) => named.has(id)) : [...named];
    }
    return ids ?? [];
  }

  private callerStrategy(r: Rollout): unknown {
    const s = r.strategy;
    const pause = s.pauseBetweenWaves.kind === 'manual' ? 'manual' : s.pauseBetweenWaves.kind === 'wait' ? s.pauseBetweenWaves.text : undefined;
    return { waves: s.waves, maxConcurrency: s.maxConcurrency, ...(s.canaryBudget === s.budget || JSON.stringify(s.canaryBudget) === JSON.stringify(s.budget) ? { failureBudget: s.budget } : {}), ...(pause ? { pauseBetweenWaves: pause } : {}) };
  }

  private async create(actor: Actor, kind: RolloutKind, change: RolloutChange, selection: RolloutSelection, ids: string[], strategyInput: unknown, dryRun: boolean, rollbackOfId: string | null): Promise<RolloutDetail> {
    const strategy = normalizeStrategy(strategyInput);
    const named = (await this.clusters.namesOf(ids)).sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
    // Named canary clusters come first in their waves; everything else in name order.
    const { waveOf, waveCount } = assignWaves(
      named.map((c) => c.name),
      strategy.waves,
    );
    const targets = named.map((c, i) => ({ clusterId: c.id, clusterName: c.name, wave: waveOf[i] as number })).sort((a, b) => a.wave - b.wave);
    const plan = await this.prisma.transaction(async () => {
      await this.rollouts.lockCreation();
      const r = await this.rollouts.create({ kind, change, selection, strategy, dryRun, waveCount, rollbackOfId, createdBy: actor.name }, targets);
      await this.audit.record(actor, 'rollout.start', `rollout/${r.id}`, { kind, change, selection, dryRun, targets: targets.length, waves: waveCount });
      const others = await this.supersedeOlder(r, targets.map((t) => t.clusterId));
      const running = await this.rollouts.update(r.id, { status: 'running', startedAt: new Date() });
      const step = await this.waves.step(running);
      return { id: r.id, ...step, others };
    });
    for (const o of plan.others) {
      if (o.ids.length) await this.dispatch.enqueue(o.id, o.ids, o.delayMs);
      if (o.status) await this.dispatch.publish({ type: 'rollout.status', rolloutId: o.id, status: o.status }).catch(() => undefined);
    }
    if (plan.ids.length) await this.dispatch.enqueue(plan.id, plan.ids, plan.delayMs);
    await this.dispatch.publish({ type: 'rollout.started', rolloutId: plan.id, status: 'running' }).catch(() => undefined);
    return this.get(actor, plan.id);
  }

  /**
   * The supersede policy: a newer rollout of a gate or binding takes over the not-yet-started
   * targets of older open rollouts of the same gate or binding on the clusters they share, so
   * approving or resuming a stale rollout never flips those clusters back. Each older rollout
   * is audited (`rollout.supersede`) and stepped, so one left with nothing to do finishes.
   */
  private async supersedeOlder(r: Rollout, clusterIds: string[]): Promise<Array<{ id: string; ids: string[]; delayMs: number; status?: string | undefined }>> {
    if (r.dryRun || (r.change.kind !== 'gate' && r.change.kind !== 'binding')) return [];
    const match = r.change.kind === 'gate' ? { gate: r.change.gate } : { binding: r.change.binding };
    const affected = await this.rollouts.supersede(r, match, clusterIds);
    const out: Array<{ id: string; ids: string[]; delayMs: number; status?: string | undefined }> = [];
    for (const [id, clusters] of affected) {
      const older = await this.rollouts.lock(id);
      if (!older) continue;
      await this.audit.record(systemActor('supersede'), 'rollout.supersede', `rollout/${id}`, { by: r.id, clusters: clusters.length <= 100 ? clusters : clusters.length });
      if (older.status === 'running') out.push({ id, ...(await this.waves.step(older)) });
    }
    return out;
  }

  private async detail(r: Rollout): Promise<RolloutDetail> {
    const byWave = await this.rollouts.countsByWave(r.id);
    const counts = emptyCounts();
    const waves: RolloutDetail['waves'] = [];
    for (let w = 0; w < r.waveCount; w++) {
      const c = byWave.get(w) ?? emptyCounts();
      for (const k of Object.keys(counts) as Array<keyof StateCounts>) counts[k] += c[k];
      waves.push({ index: w, counts: { ...c, total: total(c) }, status: waveStatus(r, w, c) });
    }
    return { ...r, counts: { ...counts, total: total(counts) }, waves };
  }
}
