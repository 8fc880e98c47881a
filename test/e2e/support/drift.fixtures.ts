// Drift tests: simulated clusters registered in fleetgate, and "what a successful rollout does"
// (desired state with namespace rules resolved, applied by the one applier, recorded as the
// assigned state) until rollouts are started from tests directly.
import { AssignedStateService, CLUSTER_LABEL, DesiredStateService, systemActor } from '@fleetgate/core';
import { KubeClient, type NetworkPolicy, applyToCluster } from '@fleetgate/kube';
import type { Simulator } from '@fleetgate/kube-sim';
import { MANAGED_BY_LABEL, MANAGED_BY_VALUE } from '@fleetgate/netpol';
import type { TestApi } from './api-app.js';
import { b64 } from './clusters.fixtures.js';

export interface SimClusterInput {
  name: string;
  role: 'seed' | 'user';
  seed?: string;
  labels?: Record<string, string>;
  namespaces?: string[];
  featureGates?: Record<string, boolean>;
}

/** Adds the cluster to the simulator and registers it in fleetgate. */
export async function registerSimCluster(api: TestApi, sim: Simulator, c: SimClusterInput): Promise<{ id: string; name: string }> {
  await sim.addCluster({ name: c.name, namespaces: (c.namespaces ?? []).map((name) => ({ name })) });
  if (c.role === 'user' && c.seed) sim.cluster(c.seed).ensureNamespace({ name: `cluster-${c.name}` });
  const conn = sim.connection(c.name);
  const body: Record<string, unknown> = {
    name: c.name,
    role: c.role,
    labels: c.labels ?? {},
    credentials: { server: conn.server, caData: b64(sim.caPem), token: conn.token },
    networks: { pods: '10.244.0.0/16', services: '10.96.0.0/12', nodes: '10.0.0.0/24' },
    ...(c.role === 'seed' ? { blockedCIDRs: ['169.254.169.254/32'] } : { seed: c.seed, controlPlaneNamespace: `cluster-${c.name}` }),
    ...(c.featureGates ? { featureGates: c.featureGates } : {}),
  };
  const res = await api.as('admin').post('/api/v1/clusters').send(body);
  if (res.status !== 201) throw new Error(`registering ${c.name}: ${res.status} ${JSON.stringify(res.body)}`);
  return res.body as { id: string; name: string };
}

export function simClient(sim: Simulator, name: string): KubeClient {
  return new KubeClient(sim.connection(name));
}

/** What a successful rollout to the cluster does: apply its desired state, record it as assigned. */
export async function assignAndApply(api: TestApi, sim: Simulator, cluster: { id: string; name: string; seed?: string }): Promise<number> {
  const actor = systemActor('test-rollout');
  const servers = [cluster.name, ...(cluster.seed ? [cluster.seed] : [])];
  const namespaces: Record<string, { name: string; labels?: Record<string, string> }[]> = {};
  for (const s of servers) {
    const client = simClient(sim, s);
    namespaces[s] = (await client.listNamespaces()).map((n) => ({ name: n.metadata.name ?? '', labels: n.metadata.labels ?? {} }));
    client.close();
  }
  const state = await api.app.get(DesiredStateService).forClusterId(actor, cluster.id, namespaces);
  if (state.conflicts.length || state.errors.length) throw new Error(`desired state of ${cluster.name}: ${JSON.stringify({ conflicts: state.conflicts, errors: state.errors })}`);
  for (const server of servers) {
    const own = server === cluster.name;
    const objects = state.policies.filter((p) => p.target.cluster === server && p.target.namespace !== null).map((p) => ({ namespace: p.target.namespace as string, name: p.name, policy: p.policy }));
    const owns = (p: NetworkPolicy) => {
      if (p.metadata.labels?.[MANAGED_BY_LABEL] !== MANAGED_BY_VALUE) return false;
      const owner = p.metadata.labels?.[CLUSTER_LABEL];
      return own ? owner === undefined || owner === cluster.name : owner === cluster.name;
    };
    const client = simClient(sim, server);
    await applyToCluster(client, objects, { list: own ? 'all' : [...new Set(objects.map((o) => o.namespace))], owns, managed: (p) => p.metadata.labels?.[MANAGED_BY_LABEL] === MANAGED_BY_VALUE });
    client.close();
  }
  await api.app.get(AssignedStateService).recordAssigned(actor, cluster.id, 'test-rollout', state.policies);
  return state.policies.length;
}

export async function until<T>(what: string, fn: () => Promise<T | undefined> | T | undefined, ms = 15_000): Promise<T> {
  const deadline = Date.now() + ms;
  let delay = 20;
  for (;;) {
    const v = await fn();
    if (v !== undefined) return v;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, delay));
    delay = Math.min(delay * 2, 200);
  }
}
