import { Injectable, Logger } from '@nestjs/common';
import DataLoader from 'dataloader';
import { MANAGED_BY_LABEL, MANAGED_BY_VALUE } from '@fleetgate/netpol';
import { type ApplyReport, type ApplyScope, type DesiredObject, ForeignObjectError, KubeApiError, type KubeClient, type NetworkPolicy, applyToCluster } from '@fleetgate/kube';
import { AuditService } from '../audit/audit.service.js';
import { type Actor, systemActor } from '../auth/actor.js';
import type { Cluster } from '../clusters/cluster.model.js';
import { ClusterClientsService } from '../clusters/cluster-clients.service.js';
import { ClusterRepository } from '../clusters/cluster.repository.js';
import { DomainError } from '../errors/index.js';
import { type AssignedPolicy, AssignedStateRepository } from '../desired-state/assigned-state.repository.js';
import { ClusterFactsService } from '../desired-state/cluster-facts.service.js';
import { BINDING_LABEL, CLUSTER_LABEL, type BindingFacts, type ClusterFacts, type DesiredPolicy, buildDesiredState } from '../desired-state/desired-state.builder.js';
import { bindingFacts } from '../desired-state/desired-state.service.js';
import { BindingRepository } from '../bindings/binding.repository.js';
import { FeatureGateService } from '../feature-gates/feature-gate.service.js';
import { PrismaService } from '../prisma/index.js';
import { RolloutDispatchService } from './rollout-dispatch.service.js';
import { type BeforeState, type ObjectOutcome, type Rollout, type RolloutTarget, type TargetResult, TERMINAL_ROLLOUT, TERMINAL_TARGET, emptyCounts } from './rollout.model.js';
import { RolloutRepository } from './rollout.repository.js';
import { allowedFailures, budgetOf } from './rollout-strategy.builder.js';

const actor: Actor = systemActor('worker');
/** Reads of concurrent targets are batched: one query per few milliseconds, not one per target. */
const BATCH = { cache: false, maxBatchSize: 500, batchScheduleFn: (cb: () => void) => setTimeout(cb, 3) };

interface TargetContext {
  cluster: Cluster;
  seed: Cluster | null;
  facts: ClusterFacts | null;
  assigned: AssignedPolicy[];
}

interface FinishItem {
  rollout: Rollout;
  target: RolloutTarget;
  result: TargetResult;
  policies: DesiredPolicy[];
  gates: Record<string, boolean | null>;
}

/**
 * Collects items and hands them to `flush` in batches; `submit` resolves when its batch is
 * written. One flush at a time: items that arrive while one is written go into the next, so a
 * batch grows with the load instead of each few milliseconds paying a transaction of its own.
 */
class Batcher<T> {
  private items: Array<{ item: T; resolve: () => void; reject: (e: unknown) => void }> = [];
  private timer: NodeJS.Timeout | undefined;
  private flushing = false;
  constructor(
    private readonly flushFn: (items: T[]) => Promise<void>,
    private readonly opts: { maxItems: number; maxWaitMs: number },
  ) {}

  submit(item: T): Promise<void> {
    return new Promise((resolve, reject) => {
      this.items.push({ item, resolve, reject });
      if (this.flushing) return;
      if (this.items.length >= this.opts.maxItems) this.fire();
      else this.timer ??= setTimeout(() => this.fire(), this.opts.maxWaitMs);
    });
  }

  private fire(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = undefined;
    if (this.flushing) return;
    const batch = this.items.splice(0, this.opts.maxItems);
    if (batch.length === 0) return;
    this.flushing = true;
    this.flushFn(batch.map((b) => b.item))
      .then(
        () => batch.forEach((b) => b.resolve()),
        (err: unknown) => batch.forEach((b) => b.reject(err)),
      )
      .finally(() => {
        this.flushing = false;
        if (this.items.length) this.fire();
      });
  }
}

export type RunOutcome = { outcome: 'done'; state?: string } | { outcome: 'blocked'; retryInMs: number };

/** Observations for metrics (the worker wires them to Prometheus). */
export interface RolloutObserver {
  targetFinished(state: 'succeeded' | 'failed', durationMs: number, retries: number): void;
  applyLatency(ms: number): void;
}

class TargetFailure extends Error {
  constructor(
    message: string,
    readonly kind: string,
  ) {
    super(message);
  }
}

const isOwnedBy = (p: NetworkPolicy, userCluster: string | null) =>
  p.metadata.labels?.[MANAGED_BY_LABEL] === MANAGED_BY_VALUE && p.metadata.labels?.[BINDING_LABEL] !== undefined && (p.metadata.labels?.[CLUSTER_LABEL] ?? null) === userCluster;

/**
 * Carries out one rollout target in the worker: claims it (per-cluster order), computes the
 * cluster's new desired objects, applies them through the one applier, and records exactly one
 * terminal result together with the new assigned state and gate value; then advances the waves.
 */
@Injectable()
export class RolloutExecutionService {
  private readonly logger = new Logger(RolloutExecutionService.name);
  private bindingsCache: { rolloutId: string; at: number; value: Promise<BindingFacts[]> } | undefined;
  private readonly rolloutCache = new Map<string, { at: number; value: Promise<Rollout> }>();
  private readonly finisher = new Batcher<FinishItem>((items) => this.flush(items), { maxItems: 200, maxWaitMs: 25 });
  private readonly loaders = {
    /** Claims of concurrent jobs in one statement (jobs arrive in bursts when a batch finishes). */
    claim: new DataLoader<string, RolloutTarget | null>(async (keys) => {
      const unique = [...new Set(keys)].map((k) => {
        const [rolloutId = '', clusterId = ''] = k.split('/');
        return { rolloutId, clusterId };
      });
      const claimed = await this.rollouts.claimMany(unique);
      return keys.map((k) => claimed.get(k) ?? null);
    }, BATCH),
    /**
     * Everything a target reads about its cluster, for all targets of a burst at once: the
     * cluster and its seed, the builder's facts, the credentials of clusters without a client yet
     * (cluster and seed) and the assigned state. One batching stage (not one per read, each waiting for its own window).
     */
    context: new DataLoader<string, TargetContext | null>(async (ids) => {
      const clusters = await this.clusters.findByIds(ids);
      const byId = new Map(clusters.map((c) => [c.id, c]));
      const seedIds = [...new Set(clusters.map((c) => c.seedId).filter((id): id is string => id !== null && !byId.has(id)))];
      const [seeds, facts, assigned] = await Promise.all([
        this.clusters.findByIds(seedIds),
        this.facts.forClusters(actor, clusters),
        this.assignedRepo.ofClusters([...byId.keys()]),
        this.clients.prime(clusters),
      ]);
      await this.clients.prime(seeds);
      for (const s of seeds) byId.set(s.id, s);
      const factsById = new Map(facts.map((f) => [f.id, f]));
      const assignedById = new Map<string, AssignedPolicy[]>();
      for (const a of assigned) assignedById.set(a.clusterId, [...(assignedById.get(a.clusterId) ?? []), a]);
      return ids.map((id) => {
        const cluster = byId.get(id);
        if (!cluster) return null;
        return {
          cluster,
          seed: cluster.seedId ? (byId.get(cluster.seedId) ?? null) : null,
          facts: factsById.get(id) ?? null,
          assigned: assignedById.get(id) ?? [],
        };
      });
    }, BATCH),
  };
  observer: RolloutObserver | undefined;

  constructor(
    private readonly rollouts: RolloutRepository,
    private readonly clusters: ClusterRepository,
    private readonly clients: ClusterClientsService,
    private readonly facts: ClusterFactsService,
    private readonly bindings: BindingRepository,
    private readonly assignedRepo: AssignedStateRepository,
    private readonly gates: FeatureGateService,
    private readonly audit: AuditService,
    private readonly prisma: PrismaService,
    private readonly dispatch: RolloutDispatchService,
  ) {}

  async run(rolloutId: string, clusterId: string): Promise<RunOutcome> {
    const target = await this.loaders.claim.load(`${rolloutId}/${clusterId}`);
    if (!target) return this.notClaimed(rolloutId, clusterId);
    const rollout = await this.rolloutOf(rolloutId);
    const started = performance.now();
    let result: TargetResult;
    let policies: DesiredPolicy[] = [];
    let gates: Record<string, boolean | null> = {};
    try {
      const out = await this.execute(rollout, target);
      policies = out.policies;
      gates = out.gates;
      result = { state: 'succeeded', ...out.counts, durationMs: Math.round(performance.now() - started), error: null, errorKind: null, objects: out.objects };
    } catch (err) {
      const { message, kind } = describe(err);
      if (kind === 'internal') this.logger.warn(`rollout ${rolloutId} target ${target.clusterName}: ${message}`);
      result = { state: 'failed', created: 0, configured: 0, unchanged: 0, pruned: 0, retries: (err as { retries?: number }).retries ?? 0, requests: 0, durationMs: Math.round(performance.now() - started), error: message, errorKind: kind, objects: null };
    }
    await this.finisher.submit({ rollout, target, result, policies, gates });
    return { outcome: 'done', state: result.state };
  }

  private async notClaimed(rolloutId: string, clusterId: string): Promise<RunOutcome> {
    const [t, r] = await Promise.all([this.rollouts.target(rolloutId, clusterId), this.rollouts.findById(rolloutId)]);
    if (!t || !r || TERMINAL_TARGET.includes(t.state)) return { outcome: 'done' };
    if (r.status === 'running') return { outcome: 'blocked', retryInMs: 200 };
    if (r.status === 'paused') await this.rollouts.unqueue(rolloutId, clusterId);
    return { outcome: 'done' };
  }

  /** A rollout's immutable parts (kind, change, strategy) for a second; status is checked by claim. */
  private rolloutOf(id: string): Promise<Rollout> {
    const now = Date.now();
    const hit = this.rolloutCache.get(id);
    if (hit && now - hit.at < 1000) return hit.value;
    const value = this.rollouts.findById(id).then((r) => {
      if (!r) throw new Error(`rollout ${id} vanished`);
      return r;
    });
    this.rolloutCache.set(id, { at: now, value });
    if (this.rolloutCache.size > 1000) this.rolloutCache.delete(this.rolloutCache.keys().next().value as string);
    return value;
  }

  /**
   * Records a batch of finished targets in one transaction: exactly one terminal result each
   * (a re-delivered duplicate finds its target finished and changes nothing), the assigned
   * state from before (for rollback), the new assigned state and gate values of the targets
   * that succeeded (not for dry-runs), one audit event each. Then the waves advance.
   */
  private async flush(items: FinishItem[]): Promise<void> {
    const ids = [...new Set(items.map((i) => i.target.clusterId))];
    const finished = await this.prisma.transaction(async () => {
      const beforeRows = await this.assignedRepo.ofClusters(ids);
      const byCluster = new Map<string, BeforeState['policies']>();
      for (const { clusterId: c, assignedAt: _a, rolloutId: _r, ...p } of beforeRows) byCluster.set(c, [...(byCluster.get(c) ?? []), p]);
      const gateKeys = new Map<string, string[]>();
      for (const i of items) {
        const keys = Object.keys(i.gates);
        if (i.rollout.change.kind === 'gate') keys.push(i.rollout.change.gate);
        if (keys.length) gateKeys.set(i.target.clusterId, [...new Set(keys)]);
      }
      const gateValues = gateKeys.size ? await this.gates.forClusterIds(actor, [...gateKeys.keys()]) : new Map<string, Array<{ key: string; enabled: boolean }>>();
      const beforeOf = (clusterId: string): BeforeState => ({
        policies: byCluster.get(clusterId) ?? [],
        gates: Object.fromEntries((gateKeys.get(clusterId) ?? []).map((k) => [k, gateValues.get(clusterId)?.find((g) => g.key === k)?.enabled ?? null])),
      });
      const done = await this.rollouts.finishMany(items.map((i) => ({ targetId: i.target.id, result: i.result, before: beforeOf(i.target.clusterId) })));
      const first = new Map<string, FinishItem>();
      for (const i of items) if (done.has(i.target.id) && !first.has(i.target.id)) first.set(i.target.id, i);
      const applied = [...first.values()].filter((i) => i.result.state === 'succeeded' && !i.rollout.dryRun);
      await this.rollouts.replaceAssigned(applied.map((i) => ({ clusterId: i.target.clusterId, rolloutId: i.rollout.id, policies: i.policies })));
      await this.rollouts.setGateValues(
        applied.flatMap((i) =>
          Object.entries(i.gates)
            .filter((e): e is [string, boolean] => e[1] !== null)
            .map(([key, enabled]) => ({ clusterId: i.target.clusterId, key, enabled, rolloutId: i.rollout.id })),
        ),
      );
      await this.rollouts.auditMany(
        [...first.values()].map((i) => ({
          actor: actor.name,
          action: `rollout.target.${i.result.state}`,
          subject: `rollout/${i.rollout.id}`,
          summary: {
            cluster: i.target.clusterName,
            attempts: i.target.attempts,
            dryRun: i.rollout.dryRun,
            created: i.result.created,
            configured: i.result.configured,
            unchanged: i.result.unchanged,
            pruned: i.result.pruned,
            gates: i.result.state === 'succeeded' && !i.rollout.dryRun ? { before: beforeOf(i.target.clusterId).gates, after: i.gates } : undefined,
            error: i.result.error,
          },
        })),
      );
      return [...first.values()];
    });
    for (const i of finished) this.observer?.targetFinished(i.result.state, i.result.durationMs, i.result.retries);
    // progress events are best effort (Postgres holds the state): not awaited one by one
    for (const i of finished) void this.dispatch.publish({ type: 'rollout.target', rolloutId: i.rollout.id, cluster: i.target.clusterName, state: i.result.state }).catch(() => undefined);
    for (const id of new Set(items.map((i) => i.rollout.id))) await this.advance(id);
  }

  /**
   * Bindings for a rollout's targets, shared by its concurrent targets for a second. Keyed by
   * rollout: a rollout started after a binding changed never sees the bindings from before.
   */
  private cachedBindings(rolloutId: string): Promise<BindingFacts[]> {
    const now = Date.now();
    if (!this.bindingsCache || this.bindingsCache.rolloutId !== rolloutId || now - this.bindingsCache.at > 1000) {
      this.bindingsCache = { rolloutId, at: now, value: this.bindings.allWithVersions().then((rows) => rows.map(bindingFacts)) };
    }
    return this.bindingsCache.value;
  }

  /** Desired objects, then one applier pass per API server involved (the cluster's own, its seed's). */
  private async execute(rollout: Rollout, target: RolloutTarget): Promise<{ policies: DesiredPolicy[]; gates: Record<string, boolean | null>; counts: Omit<TargetResult, 'state' | 'durationMs' | 'error' | 'errorKind' | 'objects'>; objects: ObjectOutcome[] }> {
    const ctx = await this.loaders.context.load(target.clusterId);
    if (!ctx) throw new TargetFailure(`cluster ${target.clusterName} is no longer registered`, 'not-found');
    const { cluster, seed } = ctx;
    const clientFor = async (c: Cluster): Promise<KubeClient> => {
      try {
        return await this.clients.clientOf(c);
      } catch (err) {
        throw err instanceof DomainError ? new TargetFailure(`cluster ${c.name} has no credentials: ${err.message}`, 'not-found') : err;
      }
    };
    let policies: DesiredPolicy[];
    let gates: Record<string, boolean | null> = {};
    if (rollout.change.kind === 'rollback') {
      const orig = await this.rollouts.target(rollout.change.rollbackOf, cluster.id);
      if (!orig?.before) throw new TargetFailure(`rollout ${rollout.change.rollbackOf} holds no earlier state for ${cluster.name}`, 'not-found');
      policies = orig.before.policies.map((p) => ({ ...p, origin: { ...p.origin, bindingId: '', templateId: '' }, driftMode: 'enforce' as const }));
      gates = orig.before.gates;
    } else {
      const facts = ctx.facts ? { ...ctx.facts } : null;
      if (!facts) throw new TargetFailure(`cluster ${cluster.name} is no longer registered`, 'not-found');
      if (rollout.change.kind === 'gate') {
        facts.gates = { ...facts.gates, [rollout.change.gate]: rollout.change.enabled };
        gates = { [rollout.change.gate]: rollout.change.enabled };
      }
      const bindings = await this.cachedBindings(rollout.id);
      let state = buildDesiredState(facts, bindings);
      if (state.policies.some((p) => p.target.namespaceRule !== null)) {
        const ns = await (await clientFor(cluster)).listNamespaces();
        state = buildDesiredState(facts, bindings, { namespaces: { [cluster.name]: ns.map((n) => ({ name: n.metadata.name ?? '', labels: n.metadata.labels ?? {} })) } });
      }
      if (state.conflicts.length) throw new TargetFailure(`desired state has name conflicts: ${state.conflicts.map((c) => `${c.key} (${c.bindings.join(', ')})`).join('; ')}`, 'conflict');
      if (state.errors.length) throw new TargetFailure(`templates do not render: ${state.errors.map((e) => `${e.binding}: ${e.field}: ${e.message}`).join('; ')}`, 'invalid');
      policies = state.policies;
    }
    const before = ctx.assigned;
    // Which API servers, and which namespaces on a seed.
    const servers = new Map<string, { desired: DesiredObject[]; namespaces: Set<string> }>();
    const serverOf = (name: string) => {
      let s = servers.get(name);
      if (!s) servers.set(name, (s = { desired: [], namespaces: new Set() }));
      return s;
    };
    if (rollout.kind === 'sync' || rollout.kind === 'repair') serverOf(cluster.name);
    for (const p of policies) {
      if (p.target.namespace === null) throw new TargetFailure(`${p.key}: namespace rule was not resolved`, 'invalid');
      const s = serverOf(p.target.cluster);
      s.desired.push({ namespace: p.target.namespace, name: p.name, policy: p.policy as DesiredObject['policy'] });
      s.namespaces.add(p.target.namespace);
    }
    for (const a of before) if (a.target.namespace) serverOf(a.target.cluster).namespaces.add(a.target.namespace);
    const counts = { created: 0, configured: 0, unchanged: 0, pruned: 0, retries: 0, requests: 0 };
    const objects: ObjectOutcome[] = [];
    for (const [name, s] of [...servers.entries()].sort(([a], [b]) => (a < b ? -1 : 1))) {
      const server = name === cluster.name ? cluster : seed && name === seed.name ? seed : null;
      if (!server) throw new TargetFailure(`desired objects target cluster ${name}, which is neither ${cluster.name} nor its seed`, 'invalid');
      const own = server.id === cluster.id;
      const scope: ApplyScope = {
        list: own ? 'all' : [...s.namespaces],
        owns: (p) => isOwnedBy(p, own ? null : cluster.name),
        managed: (p) => p.metadata.labels?.[MANAGED_BY_LABEL] === MANAGED_BY_VALUE,
      };
      const t0 = performance.now();
      let report: ApplyReport;
      try {
        report = await applyToCluster(await clientFor(server), s.desired, scope, {
          dryRun: rollout.dryRun,
          // A repair leaves a foreign object holding one of the names alone (reported as skipped,
          // the drift conflict stays open) and repairs the rest; every other rollout fails on it.
          foreign: rollout.kind === 'repair' ? 'skip' : 'fail',
          retry: { attempts: 6, baseMs: 200, maxMs: 5000, maxRetryAfterMs: 30_000, onRetry: () => counts.retries++ },
        });
      } catch (err) {
        if (err instanceof KubeApiError || err instanceof ForeignObjectError) Object.assign(err, { retries: counts.retries, server: server.name });
        throw err;
      }
      this.observer?.applyLatency(performance.now() - t0);
      counts.created += report.created;
      counts.configured += report.configured;
      counts.unchanged += report.unchanged;
      counts.pruned += report.pruned;
      counts.requests += report.requests;
      for (const o of report.objects) objects.push({ cluster: server.name, ...o });
    }
    return { policies, gates, counts, objects };
  }

  /**
   * Wave control after a target finished (serialised on the rollout row): failure budget, then
   * keep `maxConcurrency` targets of the current wave in flight, then the next wave (after a wait
   * or an approval), then the final status.
   */
  async advance(rolloutId: string): Promise<void> {
    const plan = await this.prisma.transaction(async () => {
      const r = await this.rollouts.lock(rolloutId);
      if (!r || r.status !== 'running') return null;
      return this.step(r);
    });
    if (plan && plan.ids.length) await this.dispatch.enqueue(rolloutId, plan.ids, plan.delayMs);
    if (plan?.status) await this.dispatch.publish({ type: 'rollout.status', rolloutId, status: plan.status }).catch(() => undefined);
  }

  /** One step of the state machine for a locked, running rollout. */
  async step(r: Rollout): Promise<{ ids: string[]; delayMs: number; status?: string }> {
    const all = await this.rollouts.countsByWave(r.id);
    if (r.waveCount === 0) {
      await this.finishRollout(r, 'succeeded', null);
      return { ids: [], delayMs: 0, status: 'succeeded' };
    }
    const wave = r.currentWave;
    const c = all.get(wave) ?? emptyCounts();
    const size = Object.values(c).reduce((a, b) => a + b, 0);
    const budget = budgetOf(r.strategy, wave);
    const allowed = allowedFailures(budget, size) + (r.strategy.acceptedFailures?.[String(wave)] ?? 0);
    if (c.failed > allowed) {
      const reason = `failure budget exceeded in wave ${wave}: ${c.failed} failed, ${allowed} allowed`;
      if (budget.action === 'pause') {
        await this.rollouts.update(r.id, { status: 'paused', reason });
        await this.audit.record(actor, 'rollout.pause', `rollout/${r.id}`, { reason });
        return { ids: [], delayMs: 0, status: 'paused' };
      }
      await this.rollouts.skipOpen(r.id);
      await this.finishRollout(r, 'failed', `aborted: ${reason}`);
      return { ids: [], delayMs: 0, status: 'failed' };
    }
    // Retried targets of earlier waves count with the current wave's: same concurrency, and the
    // next wave opens only when none of them is open any more.
    let pending = 0;
    let inflight = 0;
    for (const [w, x] of all) {
      if (w <= wave) pending += x.pending;
      inflight += x.queued + x.running;
    }
    if (pending > 0) return { ids: await this.rollouts.queueNext(r.id, wave, r.strategy.maxConcurrency - inflight), delayMs: 0 };
    if (inflight > 0) return { ids: [], delayMs: 0 };
    if (wave + 1 >= r.waveCount) {
      let failed = 0;
      let superseded = 0;
      for (const w of all.values()) {
        failed += w.failed;
        superseded += w.superseded;
      }
      const status = failed > 0 ? 'failed' : 'succeeded';
      const reasons = [failed > 0 ? `${failed} target(s) failed` : '', superseded > 0 ? `${superseded} target(s) superseded by a newer rollout` : ''].filter(Boolean);
      await this.finishRollout(r, status, reasons.length ? reasons.join('; ') : null);
      return { ids: [], delayMs: 0, status };
    }
    const pause = r.strategy.pauseBetweenWaves;
    if (pause.kind === 'manual') {
      await this.rollouts.update(r.id, { status: 'paused', awaitingApproval: true, reason: `wave ${wave + 1} (waves 0-${r.waveCount - 1}) waits for approval` });
      return { ids: [], delayMs: 0, status: 'paused' };
    }
    return this.openWave(r, wave + 1, pause.kind === 'wait' ? pause.ms : 0);
  }

  async openWave(r: Rollout, wave: number, delayMs: number): Promise<{ ids: string[]; delayMs: number; status?: string }> {
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

  /** Re-adds jobs for queued/running targets of running rollouts (ids dedupe): nothing is lost when a process dies between commit and enqueue. */
  async sweep(): Promise<number> {
    const open = await this.rollouts.openTargets(20_000);
    const byRollout = new Map<string, string[]>();
    for (const o of open) byRollout.set(o.rolloutId, [...(byRollout.get(o.rolloutId) ?? []), o.clusterId]);
    for (const [rolloutId, ids] of byRollout) await this.dispatch.enqueue(rolloutId, ids);
    return open.length;
  }

  isTerminal(status: string): boolean {
    return (TERMINAL_ROLLOUT as readonly string[]).includes(status);
  }
}

function describe(err: unknown): { message: string; kind: string } {
  const server = (err as { server?: string }).server;
  const on = server ? `${server}: ` : '';
  if (err instanceof KubeApiError) return { message: `${on}${err.status ? `HTTP ${err.status}: ` : ''}${err.message}`, kind: err.kind };
  if (err instanceof ForeignObjectError) return { message: `${on}${err.message}`, kind: 'conflict' };
  if (err instanceof TargetFailure) return { message: err.message, kind: err.kind };
  return { message: (err as Error)?.message ?? String(err), kind: 'internal' };
}
