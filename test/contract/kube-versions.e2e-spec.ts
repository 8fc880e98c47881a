import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { contractTarget, failure, policy, rawRequest, type ContractTarget } from './support.js';

// The facts that differ between Kubernetes versions, checked against a simulator answering as
// 1.26 and as its default version (or, with KUBE_CONTRACT_KUBECONFIG, once against that cluster).
const versions = process.env.KUBE_CONTRACT_KUBECONFIG ? [undefined] : ['1.26', undefined];

describe.each(versions)('kube version %s', (kubeVersion) => {
  let t: ContractTarget;
  beforeAll(async () => {
    t = await contractTarget({ kubeVersion });
  });
  afterAll(async () => {
    await t?.cleanup();
  });

  it('reports its version on /version', async () => {
    const v = (await rawRequest(t, 'GET', '/version')).json() as { major: string; minor: string; gitVersion: string };
    expect(v.major).toBe('1');
    expect(v.gitVersion).toMatch(new RegExp(`^v1\\.${t.minor}\\.\\d+`));
    if (kubeVersion === '1.26') expect(v.gitVersion).toBe('v1.26.1');
  });

  it('names the group of an invalid NetworkPolicy as that version does', async () => {
    const bad = policy(t, 'invalid', { ingress: [{ ports: [{ port: 70000 }] }] });
    const group = t.minor <= 26 ? 'extensions' : 'networking.k8s.io';
    const raw = await rawRequest(t, 'POST', `/apis/networking.k8s.io/v1/namespaces/${t.namespace}/networkpolicies`, { body: bad });
    expect(raw.status).toBe(422);
    expect(raw.json()).toMatchObject({
      message: `NetworkPolicy.${group} "invalid" is invalid: spec.ingress[0].ports[0].port: Invalid value: 70000: must be between 1 and 65535, inclusive`,
      details: { group, kind: 'NetworkPolicy' },
    });
  });

  it('conflicts on an undefaulted re-apply by a second manager and shares a defaulted one', async () => {
    await t.client.applyNetworkPolicy(policy(t, 'shared', { ingress: [{ ports: [{ port: 80 }] }] }), { fieldManager: 'owner-a' });
    const err = await failure(t.client.applyNetworkPolicy(policy(t, 'shared', { ingress: [{ ports: [{ port: 80 }] }] }), { fieldManager: 'owner-b' }));
    expect(err.message).toBe('Apply failed with 1 conflict: conflict with "owner-a": .spec.ingress');
    const ok = await t.client.applyNetworkPolicy(policy(t, 'shared', { ingress: [{ ports: [{ port: 80, protocol: 'TCP' }] }] }), { fieldManager: 'owner-b' });
    const owners = (ok.metadata.managedFields ?? []).filter((m) => (m.fieldsV1 as { 'f:spec'?: Record<string, unknown> })['f:spec']?.['f:ingress']).map((m) => m.manager);
    expect(owners.sort()).toEqual(['owner-a', 'owner-b']);
  });

  it('refuses a field selector on spec with the API server message', async () => {
    const err = await failure(t.client.listNetworkPolicies({ namespace: t.namespace, fieldSelector: 'spec.podSelector=x' }));
    expect(err.status).toBe(400);
    expect(err.message).toBe('"spec.podSelector" is not a known field selector: only "metadata.name", "metadata.namespace"');
  });

  it('defaults spec {} to podSelector {} and policyTypes [Ingress]', async () => {
    const created = await t.client.createNetworkPolicy({ ...policy(t, 'empty'), spec: {} as never });
    expect(created.spec).toEqual({ podSelector: {}, policyTypes: ['Ingress'] });
  });
});
