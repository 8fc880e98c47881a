import { randomBytes } from 'node:crypto';
import { mkdtemp, readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { KubeApiError, KubeClient, connectionFromKubeconfig, type ClusterConnection, type NetworkPolicy } from '@fleetgate/kube';
import { startSimulator, type Simulator } from '@fleetgate/kube-sim';

/**
 * The API server the contract suite runs against: an in-process simulator by default, or the
 * cluster of KUBE_CONTRACT_KUBECONFIG. Either way the suite works in a fresh namespace with a
 * random name and removes only what it created.
 */
export interface ContractTarget {
  kind: 'simulator' | 'real';
  client: KubeClient;
  connection: ClusterConnection;
  kubeconfigPath: string;
  namespace: string;
  /** A second fresh namespace (for cross-namespace listing). */
  otherNamespace: string;
  runId: string;
  sim?: Simulator;
  cleanup(): Promise<void>;
}

export async function contractTarget(): Promise<ContractTarget> {
  const runId = randomBytes(4).toString('hex');
  const namespace = `fg-contract-${runId}`;
  const otherNamespace = `fg-contract-${runId}-b`;
  let sim: Simulator | undefined;
  let kubeconfigPath = process.env.KUBE_CONTRACT_KUBECONFIG;
  let connection: ClusterConnection;
  if (kubeconfigPath) {
    connection = connectionFromKubeconfig(await readFile(kubeconfigPath, 'utf8'));
  } else {
    sim = await startSimulator({ clusters: [{ name: 'contract' }] });
    const dir = await mkdtemp(join(tmpdir(), 'kube-contract-'));
    kubeconfigPath = join(dir, 'contract.kubeconfig');
    await writeFile(kubeconfigPath, sim.kubeconfig('contract'), { mode: 0o600 });
    connection = sim.connection('contract');
  }
  const client = new KubeClient(connection, { timeoutMs: 20_000 });
  const labels = { 'fleetgate.io/contract-run': runId };
  await client.createNamespace(namespace, labels);
  await client.createNamespace(otherNamespace, labels);
  return {
    kind: sim ? 'simulator' : 'real',
    client,
    connection,
    kubeconfigPath,
    namespace,
    otherNamespace,
    runId,
    sim,
    async cleanup() {
      for (const ns of [namespace, otherNamespace]) {
        try {
          // Only what this run created: policies carry the run label, the namespaces are ours.
          for (const p of await client.listNetworkPolicies({ namespace: ns, labelSelector: `fleetgate.io/contract-run=${runId}` })) {
            await client.deleteNetworkPolicy(ns, p.metadata.name ?? '');
          }
          await client.deleteNamespace(ns);
        } catch (err) {
          if (!(err instanceof KubeApiError && err.kind === 'not-found')) throw err;
        }
      }
      client.close();
      await sim?.close();
    },
  };
}

/** A NetworkPolicy as a user writes it, labelled with the run id. */
export function policy(t: ContractTarget, name: string, over: Partial<NetworkPolicy['spec']> = {}, labels: Record<string, string> = {}, namespace = t.namespace): NetworkPolicy {
  return {
    apiVersion: 'networking.k8s.io/v1',
    kind: 'NetworkPolicy',
    metadata: { name, namespace, labels: { 'fleetgate.io/contract-run': t.runId, ...labels } },
    spec: { podSelector: { matchLabels: { app: name } }, ingress: [{ ports: [{ port: 8080 }] }], ...over },
  };
}

export async function failure(p: Promise<unknown>): Promise<KubeApiError> {
  try {
    await p;
  } catch (err) {
    if (err instanceof KubeApiError) return err;
    throw err;
  }
  throw new Error('expected the API server to refuse the request');
}
