import { describe, expect, it } from 'vitest';
import type { KubeClient, ListPage } from './kube-client.js';
import { readClusterInventory } from './inventory-reader.js';

/** A list endpoint that pages like an API server: `limit` items, then a `continue` token. */
function pagedServer(objects: Record<string, unknown[]>) {
  const calls: string[] = [];
  const client = {
    listPage: async <T>(path: string, opts: { limit?: number; continue?: string }): Promise<ListPage<T>> => {
      calls.push(`${path}?limit=${opts.limit}&continue=${opts.continue ?? ''}`);
      const all = objects[path];
      if (!all) throw Object.assign(new Error('not found'), { kind: 'not-found' });
      const start = Number(opts.continue ?? 0);
      const end = start + (opts.limit ?? 500);
      return { items: all.slice(start, end) as T[], resourceVersion: '1', continue: end < all.length ? String(end) : undefined };
    },
    version: async () => ({ major: '1', minor: '30', gitVersion: 'v1.30.2' }),
  };
  return { client: client as unknown as KubeClient, calls };
}

const pod = (i: number) => ({
  metadata: { namespace: 'apps', name: `p${i}`, labels: { app: 'web' } },
  spec: { containers: [{ ports: [{ name: 'http', containerPort: 8080 }] }] },
  status: { podIP: `10.0.0.${i}`, phase: 'Running' },
});

describe('readClusterInventory', () => {
  it('pages each kind with limit/continue and keeps the compact form only', async () => {
    const { client, calls } = pagedServer({
      '/api/v1/namespaces': [{ metadata: { name: 'apps', labels: { team: 'a' } } }],
      '/api/v1/pods': Array.from({ length: 5 }, (_, i) => pod(i)),
      '/api/v1/services': [
        {
          metadata: { namespace: 'apps', name: 'web', annotations: { a: 'b', 'kubectl.kubernetes.io/last-applied-configuration': '{…}' } },
          spec: { selector: { app: 'web' }, ports: [{ port: 80, targetPort: 8080, protocol: 'TCP' }, { port: 81 }] },
        },
      ],
      '/apis/apps/v1/namespaces/kube-system/daemonsets': [{ metadata: { namespace: 'kube-system', name: 'calico-node' }, spec: { template: { spec: { containers: [{ image: 'calico/node:v3.27.0' }] } } } }],
    });
    const inv = await readClusterInventory(client, { pageSize: 2 });
    expect(calls.filter((c) => c.startsWith('/api/v1/pods'))).toEqual(['/api/v1/pods?limit=2&continue=', '/api/v1/pods?limit=2&continue=2', '/api/v1/pods?limit=2&continue=4']);
    expect(inv.pods).toHaveLength(5);
    expect(inv.pods[0]).toEqual({ namespace: 'apps', name: 'p0', labels: { app: 'web' }, ip: '10.0.0.0', phase: 'Running', ports: [{ name: 'http', containerPort: 8080, protocol: 'TCP' }] });
    expect(inv.services[0]).toEqual({
      namespace: 'apps',
      name: 'web',
      selector: { app: 'web' },
      ports: [
        { port: 80, targetPort: 8080, protocol: 'TCP' },
        { port: 81, targetPort: 81, protocol: 'TCP' },
      ],
      annotations: { a: 'b' },
    });
    expect(inv.daemonSets).toEqual([{ namespace: 'kube-system', name: 'calico-node', labels: {}, images: ['calico/node:v3.27.0'] }]);
    expect(inv.version?.gitVersion).toBe('v1.30.2');
    expect(inv.truncated).toEqual([]);
  });

  it('stops at maxItems and flags the kind as truncated', async () => {
    const { client } = pagedServer({
      '/api/v1/namespaces': [],
      '/api/v1/pods': Array.from({ length: 7 }, (_, i) => pod(i)),
      '/api/v1/services': [],
    });
    const inv = await readClusterInventory(client, { pageSize: 2, maxItems: 3 });
    expect(inv.pods.map((p) => p.name)).toEqual(['p0', 'p1', 'p2']);
    expect(inv.truncated).toEqual(['pods']);
    expect(inv.daemonSets).toEqual([]);
  });
});
