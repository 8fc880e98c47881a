import { describe, expect, it } from 'vitest';
import { SimCluster } from './cluster.js';
import type { KubeObject } from './managed-fields.js';

const np = (name: string, labels: Record<string, string> = {}): KubeObject => ({ apiVersion: 'networking.k8s.io/v1', kind: 'NetworkPolicy', metadata: { name, labels }, spec: { podSelector: {} } });

describe('SimCluster watch', () => {
  it('keeps a bounded window: older resourceVersions expire, newer ones replay', () => {
    const c = new SimCluster({ name: 'c', watchWindow: 3 });
    const start = Number(c.resourceVersion);
    for (let i = 0; i < 5; i++) c.createNetworkPolicy('default', np(`p${i}`), { manager: 'm' });
    const seen: string[] = [];
    const h = c.watch(c.kinds.networkPolicy, { resourceVersion: String(start + 2) }, (type, o) => seen.push(`${type} ${o.metadata.name}`));
    expect(seen).toEqual(['ADDED p2', 'ADDED p3', 'ADDED p4']);
    expect('stop' in h).toBe(true);
    expect(c.watch(c.kinds.networkPolicy, { resourceVersion: String(start) }, () => {})).toEqual({ expired: `too old resource version: ${start} (${start + 2})` });
    c.compactEvents();
    expect(c.watch(c.kinds.networkPolicy, { resourceVersion: String(start + 4) }, () => {})).toEqual({ expired: `too old resource version: ${start + 4} (${start + 5})` });
  });

  it('turns label changes into ADDED/DELETED for a selector, and stops delivering after stop()', () => {
    const c = new SimCluster({ name: 'c' });
    const seen: string[] = [];
    const h = c.watch(c.kinds.networkPolicy, { labelSelector: 'w=yes', namespace: 'default' }, (type, o) => seen.push(`${type} ${o.metadata.name} ${o.metadata.labels?.w}`));
    c.createNetworkPolicy('default', np('a', { w: 'no' }), { manager: 'm' });
    c.patchNetworkPolicy('default', 'a', 'merge', { metadata: { labels: { w: 'yes' } } }, { manager: 'm' });
    c.patchNetworkPolicy('default', 'a', 'merge', { metadata: { labels: { w: 'no' } } }, { manager: 'm' });
    expect(seen).toEqual(['ADDED a yes', 'DELETED a yes']);
    expect(c.watchCount).toBe(1);
    if ('stop' in h) h.stop();
    expect(c.watchCount).toBe(0);
    c.patchNetworkPolicy('default', 'a', 'merge', { metadata: { labels: { w: 'yes' } } }, { manager: 'm' });
    expect(seen).toHaveLength(2);
  });

  it('continues a paged list at the first page’s resourceVersion, and 410s once that is compacted', () => {
    const c = new SimCluster({ name: 'c' });
    for (const n of ['a', 'b', 'c', 'd']) c.createNetworkPolicy('default', np(n), { manager: 'm' });
    const first = c.listNetworkPolicies({ namespace: 'default', limit: 2 }) as { metadata: { continue: string; resourceVersion: string }; items: KubeObject[] };
    c.deleteNetworkPolicy('default', 'c');
    c.createNetworkPolicy('default', np('e'), { manager: 'm' });
    const second = c.listNetworkPolicies({ namespace: 'default', limit: 10, continue: first.metadata.continue }) as { metadata: { resourceVersion: string }; items: KubeObject[] };
    expect(second.items.map((i) => i.metadata.name)).toEqual(['c', 'd']);
    expect(second.metadata.resourceVersion).toBe(first.metadata.resourceVersion);
    c.compactEvents();
    expect(() => c.listNetworkPolicies({ namespace: 'default', limit: 10, continue: first.metadata.continue })).toThrow(/continue parameter is too old/);
  });
});
