import { Inject, Injectable, Logger } from '@nestjs/common';
import { MANAGED_BY_LABEL, MANAGED_BY_VALUE } from '@fleetgate/netpol';
import { type ApplyReport, type ApplyScope, type DesiredObject, ForeignObjectError, KubeApiError, KubeClient, type NetworkPolicy, applyToCluster } from '@fleetgate/kube';
import { AuditService } from '../audit/audit.service.js';
import { type Actor, systemActor } from '../auth/actor.js';
import type { Cluster } from '../clusters/cluster.model.js';
import { ClusterCredentialsService } from '../clusters/cluster-credentials.service.js';
import { ClusterRepository } from '../clusters/cluster.repository.js';
import { FLEETGATE_CONFIG, type FleetgateConfig } from '../config/index.js';
import { AssignedStateRepository } from '../desired-state/assigned-state.repository.js';
import { AssignedStateService } from '../desired-state/assigned-state.service.js';
import { ClusterFactsService } from '../desired-state/cluster-facts.service.js';
import { BINDING_LABEL, CLUSTER_LABEL, type BindingFacts, type DesiredPolicy, buildDesiredState } from '../desired-state/desired-state.builder.js';
import { bindingFacts } from '../desired-state/desired-state.service.js';
import { BindingRepository } from '../bindings/binding.repository.js';
import { FeatureGateService } from '../feature-gates/feature-gate.service.js';
import { PrismaService } from '../prisma/index.js';
import { RolloutDispatchService } from './rollout-dispatch.service.js';
import { type BeforeState, type ObjectOutcome, type Rollout, type RolloutTarget, type TargetResult, TERMINAL_ROLLOUT } from './rollout.model.js';
import { RolloutRepository } from './rollout.repository.js';
import { allowedFailures, budgetOf } from './rollout-strategy.builder.js';

const actor: Actor = systemActor('worker');

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
  private bindingsCache: { at: number; value: Promise<BindingFacts[]> } | undefined;
  observer: RolloutObserver | undefined;

  constructor(
    private readonly rollouts: RolloutRepository,
    private readonly clusters: ClusterRepository,
    private readonly credentials: ClusterCredentialsService,
    private readonly facts: ClusterFactsService,
    private readonly bindings: BindingRepository,
    private readonly assignedRepo: AssignedStateRepository,
    private readonly assigned: AssignedStateService,
    private readonly gates: FeatureGateService,
    private readonly audit: AuditService,
    private readonly prisma: PrismaService,
    private readonly dispatch: RolloutDispatchService,
    @Inject(FLEETGATE_CONFIG) private readonly config: FleetgateConfig,
  ) {}

  async run(rolloutId: string, clusterId: string): Promise<RunOutcome> {
    const target = await this.rollouts.claim(rolloutId, clusterId);
    if (!target) return this.notClaimed(rolloutId, clusterId);
    const rollout = (await this.rollouts.findById(rolloutId)) as Rollout;
    const started = performance.now();
    let result: TargetResult;
    let policies: DesiredPolicy[] = [];
    let gateRestore: Record<string, boolean | null> = {};
    try {
      const out = await this.execute(rollout, target);
      policies = out.policies;
      gateRestore = out.gates;
      result = { state: 'succeeded', ...out.counts, durationMs: Math.round(performance.now() - started), error: null, errorKind: null, objects: out.objects };
    } catch (err) {
      const { message, kind } = describe(err);
      if (kind === 'internal') this.logger.warn(`rollout ${rolloutId} target ${target.clusterName}: ${message}`);
      result = { state: 'failed', created: 0, configured: 0, unchanged: 0, pruned: 0, retries: (err as { retries?: number }).retries ?? 0, requests: 0, durationMs: Math.round(performance.now() - started), error: message, errorKind: kind, objects: null };
    }
    const recorded = await this.prisma.transaction(async () => {
      const before = await this.beforeState(clusterId, rollout);
      if (!(await this.rollouts.finish(target.id, result, before))) return false;
      if (result.state === 'succeeded' && !rollout.dryRun) {
        await this.assigned.recordAssigned(actor, clusterId, rolloutId, policies);
        for (const [key, enabled] of Object.entries(gateRestore)) {
          if (enabled !== null) await this.gates.applyAssigned(actor, clusterId, key, enabled, rolloutId);
        }
      }
      await this.audit.record(actor, `rollout.target.${result.state}`, `rollout/${rolloutId}`, {
        cluster: target.clusterName,
        attempts: target.attempts,
        dryRun: rollout.dryRun,
        created: result.created,
        configured: result.configured,
        unchanged: result.unchanged,
        pruned: result.pruned,
        error: result.error,
      });
      return true;
    });
    if (recorded) {
      this.observer?.targetFinished(result.state, result.durationMs, result.retries);
      await this.dispatch.publish({ type: 'rollout.target', rolloutId, cluster: target.clusterName, state: result.state }).catch(() => undefined);
    }
    await this.advance(rolloutId);
    return { outcome: 'done', state: result.state };
  }

  private async notClaimed(rolloutId: string, clusterId: string): Promise<RunOutcome> {
    const [t, r] = await Promise.all([this.rollouts.target(rolloutId, clusterId), this.rollouts.findById(rolloutId)]);
    if (!t || !r || ['succeeded', 'failed', 'skipped'].includes(t.state)) return { outcome: 'done' };
    if (r.status === 'running') return { outcome: 'blocked', retryInMs: 200 };
    if (r.status === 'paused') await this.rollouts.unqueue(rolloutId, clusterId);
    return { outcome: 'done' };
  }

  /** The assigned state and the changed gates' values right now (read in the finishing transaction). */
  private async beforeState(clusterId: string, rollout: Rollout): Promise<BeforeState> {
    const rows = await this.assignedRepo.ofClusters([clusterId]);
    const keys = rollout.change.kind === 'gate' ? [rollout.change.gate] : [];
    if (rollout.change.kind === 'rollback') {
      const orig = await this.rollouts.findById(rollout.change.rollbackOf);
      if (orig?.change.kind === 'gate') keys.push(orig.change.gate);
    }
    const values = keys.length ? ((await this.gates.forClusterIds(actor, [clusterId])).get(clusterId) ?? []) : [];
    return {
      policies: rows.map(({ clusterId: _c, assignedAt: _a, rolloutId: _r, ...p }) => p),
      gates: Object.fromEntries(keys.map((k) => [k, values.find((v) => v.key === k)?.enabled ?? null])),
    };
  }

  private cachedBindings(): Promise<BindingFacts[]> {
    const now = Date.now();
    if (!this.bindingsCache || now - this.bindingsCache.at > 1000) {
      this.bindingsCache = { at: now, value: this.bindings.allWithVersions().then((rows) => rows.map(bindingFacts)) };
    }
    return this.bindingsCache.value;
  }

  private client(cluster: Cluster, sealed: { ciphertext: string; keyId: string }): KubeClient {
    return new KubeClient(this.credentials.unseal(cluster.id, sealed), { timeoutMs: this.config.clusterTimeoutMs, maxSockets: 4 });
  }

  /** Desired objects, then one applier pass per API server involved (the cluster's own, its seed's). */
  private async execute(rollout: Rollout, target: RolloutTarget): Promise<{ policies: DesiredPolicy[]; gates: Record<string, boolean | null>; counts: Omit<TargetResult, 'state' | 'durationMs' | 'error' | 'errorKind' | 'objects'>; objects: ObjectOutcome[] }> {
    const cluster = await this.clusters.findById(target.clusterId);
    if (!cluster) throw new TargetFailure(`cluster ${target.clusterName} is no longer registered`, 'not-found');
    const seed = cluster.seedId ? await this.clusters.findById(cluster.seedId) : null;
    const clients = new Map<string, KubeClient>();
    const clientFor = async (c: Cluster) => {
      let k = clients.get(c.name);
      if (!k) {
        const sealed = await this.clusters.sealedCredentials(c.id);
        if (!sealed) throw new TargetFailure(`cluster ${c.name} has no credentials`, 'not-found');
        k = this.client(c, sealed);
        clients.set(c.name, k);
      }
      return k;
    };
    try {
      let policies: DesiredPolicy[];
      let gates: Record<string, boolean | null> = {};
      if (rollout.change.kind === 'rollback') {
        const orig = await this.rollouts.target(rollout.change.rollbackOf, cluster.id);
        if (!orig?.before) throw new TargetFailure(`rollout ${rollout.change.rollbackOf} holds no earlier state for ${cluster.name}`, 'not-found');
        policies = orig.before.policies.map((p) => ({ ...p, origin: { ...p.origin, bindingId: '', templateId: '' }, driftMode: 'enforce' as const }));
        gates = orig.before.gates;
      } else {
        const [facts] = await this.facts.forIds(actor, [cluster.id]);
        if (!facts) throw new TargetFailure(`cluster ${cluster.name} is no longer registered`, 'not-found');
        if (rollout.change.kind === 'gate') {
          facts.gates = { ...facts.gates, [rollout.change.gate]: rollout.change.enabled };
          gates = { [rollout.change.gate]: rollout.change.enabled };
        }
        const bindings = await this.cachedBindings();
        let state = buildDesiredState(facts, bindings);
        if (state.policies.some((p) => p.target.namespaceRule !== null)) {
          const ns = await (await clientFor(cluster)).listNamespaces();
          state = buildDesiredState(facts, bindings, { namespaces: { [cluster.name]: ns.map((n) => ({ name: n.metadata.name ?? '', labels: n.metadata.labels ?? {} })) } });
        }
        if (state.conflicts.length) throw new TargetFailure(`desired state has name conflicts: ${state.conflicts.map((c) => `${c.key} (${c.bindings.join(', ')})`).join('; ')}`, 'conflict');
        if (state.errors.length) throw new TargetFailure(`templates do not render: ${state.errors.map((e) => `${e.binding}: ${e.field}: ${e.message}`).join('; ')}`, 'invalid');
        policies = state.policies;
      }
      const before = await this.assignedRepo.ofClusters([cluster.id]);
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
    } finally {
      for (const c of clients.values()) c.close();
    }
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
    const c = all.get(wave) ?? { pending: 0, queued: 0, running: 0, succeeded: 0, failed: 0, skipped: 0 };
    const size = c.pending + c.queued + c.running + c.succeeded + c.failed + c.skipped;
    const budget = budgetOf(r.strategy, wave);
    const allowed = allowedFailures(budget, size) + (r.strategy.acceptedFailures?.[String(wave)] ?? 0);
    if (c.failed > allowed) {
      const reason = `failure budget exceeded in wave ${wave + 1}: ${c.failed} failed, ${allowed} allowed`;
      if (budget.action === 'pause') {
        await this.rollouts.update(r.id, { status: 'paused', reason });
        await this.audit.record(actor, 'rollout.pause', `rollout/${r.id}`, { reason });
        return { ids: [], delayMs: 0, status: 'paused' };
      }
      await this.rollouts.skipOpen(r.id);
      await this.finishRollout(r, 'failed', `aborted: ${reason}`);
      return { ids: [], delayMs: 0, status: 'failed' };
    }
    const inflight = c.queued + c.running;
    if (c.pending > 0) return { ids: await this.rollouts.queueNext(r.id, wave, r.strategy.maxConcurrency - inflight), delayMs: 0 };
    if (inflight > 0) return { ids: [], delayMs: 0 };
    if (wave + 1 >= r.waveCount) {
      let failed = 0;
      for (const w of all.values()) failed += w.failed;
      const status = failed > 0 ? 'failed' : 'succeeded';
      await this.finishRollout(r, status, failed > 0 ? `${failed} target(s) failed` : null);
      return { ids: [], delayMs: 0, status };
    }
    const pause = r.strategy.pauseBetweenWaves;
    if (pause.kind === 'manual') {
      await this.rollouts.update(r.id, { status: 'paused', awaitingApproval: true, reason: `wave ${wave + 2} of ${r.waveCount} waits for approval` });
      return { ids: [], delayMs: 0, status: 'paused' };
    }
    return this.openWave(r, wave + 1, pause.kind === 'wait' ? pause.ms : 0);
  }

  async openWave(r: Rollout, wave: number, delayMs: number): Promise<{ ids: string[]; delayMs: number; status?: string }> {
    await this.rollouts.update(r.id, { currentWave: wave, awaitingApproval: false, nextWaveAt: delayMs ? new Date(Date.now() + delayMs) : null, reason: null, status: 'running' });
    return { ids: await this.rollouts.queueNext(r.id, wave, r.strategy.maxConcurrency), delayMs };
  }

  private async finishRollout(r: Rollout, status: 'succeeded' | 'failed', reason: string | null): Promise<void> {
    await this.rollouts.update(r.id, { status, reason, finishedAt: new Date() });
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
