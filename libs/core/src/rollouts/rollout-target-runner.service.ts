import { Inject, Injectable, Logger } from '@nestjs/common';
import DataLoader from 'dataloader';
import { MANAGED_BY_LABEL, MANAGED_BY_VALUE } from '@fleetgate/netpol';
import { type ApplyReport, type ApplyScope, type DesiredObject, ForeignObjectError, KubeApiError, type KubeClient, type NetworkPolicy, applyToCluster } from '@fleetgate/kube';
import type { Cluster } from '../clusters/cluster.model.js';
import { ClusterClientsService } from '../clusters/cluster-clients.service.js';
import { DomainError } from '../errors/index.js';
import { BINDING_LABEL, CLUSTER_LABEL, type DesiredPolicy, buildDesiredState } from '../desired-state/desired-state.builder.js';
import { type ObjectOutcome, type Rollout, type RolloutTarget, type TargetResult, TERMINAL_TARGET } from './rollout.model.js';
import { ROLLOUT_OBSERVER, type RolloutObserver } from './rollout-observer.model.js';
import { RolloutRepository } from './rollout.repository.js';
import { RolloutResultsService } from './rollout-results.service.js';
import { RolloutTargetContextService, TARGET_READ_BATCH } from './rollout-target-context.service.js';

export type RunOutcome = { outcome: 'done'; state?: string } | { outcome: 'blocked'; retryInMs: number };

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
 * cluster's new desired objects, applies them through the one applier, and hands exactly one
 * result to the results recorder.
 */
@Injectable()
export class RolloutTargetRunner {
  private readonly logger = new Logger(RolloutTargetRunner.name);
  /** Claims of concurrent jobs in one statement (jobs arrive in bursts when a batch finishes). */
  private readonly claims = new DataLoader<string, RolloutTarget | null>(async (keys) => {
    const unique = [...new Set(keys)].map((k) => {
      const [rolloutId = '', clusterId = ''] = k.split('/');
      return { rolloutId, clusterId };
    });
    const claimed = await this.rollouts.claimMany(unique);
    return keys.map((k) => claimed.get(k) ?? null);
  }, TARGET_READ_BATCH);

  constructor(
    private readonly rollouts: RolloutRepository,
    private readonly contexts: RolloutTargetContextService,
    private readonly clients: ClusterClientsService,
    private readonly results: RolloutResultsService,
    @Inject(ROLLOUT_OBSERVER) private readonly observer: RolloutObserver,
  ) {}

  async run(rolloutId: string, clusterId: string): Promise<RunOutcome> {
    const target = await this.claims.load(`${rolloutId}/${clusterId}`);
    if (!target) return this.notClaimed(rolloutId, clusterId);
    const rollout = await this.contexts.rolloutOf(rolloutId);
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
      const { message, kind } = describeTargetError(err);
      if (kind === 'internal') this.logger.warn(`rollout ${rolloutId} target ${target.clusterName}: ${message}`);
      result = { state: 'failed', created: 0, configured: 0, unchanged: 0, pruned: 0, retries: (err as { retries?: number }).retries ?? 0, requests: 0, durationMs: Math.round(performance.now() - started), error: message, errorKind: kind, objects: null };
    }
    await this.results.submit({ rollout, target, result, policies, gates });
    return { outcome: 'done', state: result.state };
  }

  private async notClaimed(rolloutId: string, clusterId: string): Promise<RunOutcome> {
    const [t, r] = await Promise.all([this.rollouts.target(rolloutId, clusterId), this.rollouts.findById(rolloutId)]);
    if (!t || !r || TERMINAL_TARGET.includes(t.state)) return { outcome: 'done' };
    if (r.status === 'running') return { outcome: 'blocked', retryInMs: 200 };
    if (r.status === 'paused') await this.rollouts.unqueue(rolloutId, clusterId);
    return { outcome: 'done' };
  }

  /** Desired objects, then one applier pass per API server involved (the cluster's own, its seed's). */
  private async execute(rollout: Rollout, target: RolloutTarget): Promise<{ policies: DesiredPolicy[]; gates: Record<string, boolean | null>; counts: Omit<TargetResult, 'state' | 'durationMs' | 'error' | 'errorKind' | 'objects'>; objects: ObjectOutcome[] }> {
    const ctx = await this.contexts.contextOf(target.clusterId);
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
      const bindings = await this.contexts.bindingsFor(rollout.id);
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
      this.observer.applyLatency(performance.now() - t0);
      counts.created += report.created;
      counts.configured += report.configured;
      counts.unchanged += report.unchanged;
      counts.pruned += report.pruned;
      counts.requests += report.requests;
      for (const o of report.objects) objects.push({ cluster: server.name, ...o });
    }
    return { policies, gates, counts, objects };
  }
}

/** The message and error kind a failed target records. */
function describeTargetError(err: unknown): { message: string; kind: string } {
  const server = (err as { server?: string }).server;
  const on = server ? `${server}: ` : '';
  if (err instanceof KubeApiError) return { message: `${on}${err.status ? `HTTP ${err.status}: ` : ''}${err.message}`, kind: err.kind };
  if (err instanceof ForeignObjectError) return { message: `${on}${err.message}`, kind: 'conflict' };
  if (err instanceof TargetFailure) return { message: err.message, kind: err.kind };
  return { message: (err as Error)?.message ?? String(err), kind: 'internal' };
}
