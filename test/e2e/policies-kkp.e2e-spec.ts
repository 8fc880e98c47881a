// Issue 5: the KKP scenario at the data level. A seed with a defaulting template, user clusters
// registered before and after the template changes, their effective gates and desired policies.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type TestApi, bootApi } from './support/api-app.js';
import { seedBody } from './support/clusters.fixtures.js';
import { userBody } from './support/policies.fixtures.js';

let api: TestApi;

beforeAll(async () => {
  api = await bootApi();
});
afterAll(async () => {
  await api?.close();
});

type Gate = { key: string; enabled: boolean; source: string; since: string | null };
const gateOf = async (cluster: string, key: string): Promise<Gate | undefined> => {
  const res = await api.as('viewer').get(`/api/v1/clusters/${cluster}/feature-gates`).expect(200);
  return (res.body as { items: Gate[] }).items.find((g) => g.key === key);
};

describe('KKP: apiserverNetworkPolicy through a seed defaulting template', () => {
  it('copies the template onto clusters registered later, never onto existing ones, and renders their policies on the seed', async () => {
    const seed = (await api.as('admin').post('/api/v1/clusters').send(seedBody()).expect(201)).body as { name: string };

    const first = await api
      .as('admin')
      .put(`/api/v1/clusters/${seed.name}/defaulting-template`)
      .send({ featureGates: { apiserverNetworkPolicy: false } })
      .expect(200);
    expect(first.body).toMatchObject({ seed: seed.name, featureGates: { apiserverNetworkPolicy: false }, appliesTo: 'clusters registered from now on', existingUserClustersUnchanged: 0 });

    const before = (await api.as('admin').post('/api/v1/clusters').send(userBody(seed.name)).expect(201)).body as { name: string; createdAt: string };
    expect(await gateOf(before.name, 'apiserverNetworkPolicy')).toEqual({ key: 'apiserverNetworkPolicy', enabled: false, source: 'seedTemplate', since: before.createdAt, rolloutId: null });

    const changed = await api
      .as('admin')
      .put(`/api/v1/clusters/${seed.name}/defaulting-template`)
      .send({ featureGates: { apiserverNetworkPolicy: true } })
      .expect(200);
    expect(changed.body).toMatchObject({ featureGates: { apiserverNetworkPolicy: true }, appliesTo: 'clusters registered from now on', existingUserClustersUnchanged: 1 });
    const template = await api.as('viewer').get(`/api/v1/clusters/${seed.name}/defaulting-template`).expect(200);
    expect(template.body).toMatchObject({ featureGates: { apiserverNetworkPolicy: true } });

    const after = (await api.as('admin').post('/api/v1/clusters').send(userBody(seed.name)).expect(201)).body as { name: string };
    const explicit = (await api
      .as('admin')
      .post('/api/v1/clusters')
      .send(userBody(seed.name, { featureGates: { apiserverNetworkPolicy: false } }))
      .expect(201)).body as { name: string };

    // the earlier cluster keeps what it was registered with
    expect(await gateOf(before.name, 'apiserverNetworkPolicy')).toMatchObject({ enabled: false, source: 'seedTemplate' });
    expect(await gateOf(after.name, 'apiserverNetworkPolicy')).toMatchObject({ enabled: true, source: 'seedTemplate' });
    expect(await gateOf(explicit.name, 'apiserverNetworkPolicy')).toMatchObject({ enabled: false, source: 'explicit' });
    // gates the template does not mention keep their default
    expect(await gateOf(after.name, 'gardenerGeneralPolicies')).toEqual({ key: 'gardenerGeneralPolicies', enabled: false, source: 'default', since: null, rolloutId: null });

    const none = await api.as('viewer').get(`/api/v1/clusters/${before.name}/desired-policies`).expect(200);
    expect(none.body.items).toEqual([]);
    const desired = await api.as('viewer').get(`/api/v1/clusters/${after.name}/desired-policies`).expect(200);
    const items = desired.body.items as { target: unknown; policy: { metadata: { name: string; namespace: string; labels: Record<string, string> } }; hash: string; origin: unknown }[];
    expect(items.map((i) => i.policy.metadata.name)).toEqual([
      'apiserver-allow-dns-resolver',
      'apiserver-allow-etcd',
      'apiserver-allow-machine-controller-webhook',
      'apiserver-allow-metrics-server',
      'apiserver-allow-openvpn-server',
      'apiserver-deny-all-egress',
    ]);
    for (const item of items) {
      expect(item.target).toEqual({ cluster: seed.name, namespace: `cluster-${after.name}`, namespaceRule: null });
      expect(item.origin).toEqual({ binding: 'kkp-apiserver', template: 'kkp-apiserver', version: 1, gate: 'apiserverNetworkPolicy', kind: 'template' });
      expect(item.hash).toMatch(/^[0-9a-f]{64}$/);
      expect(item.policy.metadata.labels).toMatchObject({ 'app.kubernetes.io/managed-by': 'fleetgate', 'fleetgate.io/binding': 'kkp-apiserver', 'fleetgate.io/cluster': after.name });
    }
    const etcd = items.find((i) => i.policy.metadata.name === 'apiserver-allow-etcd')!;
    expect((etcd.policy as unknown as { spec: unknown }).spec).toEqual({
      podSelector: { matchLabels: { app: 'apiserver' } },
      policyTypes: ['Egress'],
      egress: [{ to: [{ podSelector: { matchLabels: { app: 'etcd' } } }] }],
    });

    // the fleet view counts effective values over the selected clusters
    const fleet = await api.as('viewer').get(`/api/v1/feature-gates/apiserverNetworkPolicy/clusters?role=user&labelSelector=env%3Dprod&enabled=`).expect(200);
    expect(fleet.body.counts).toEqual({ on: 1, off: 2, total: 3 });
    expect(fleet.body.items).toHaveLength(3);
    const bad = await api.as('viewer').get(`/api/v1/feature-gates/apiserverNetworkPolicy/clusters?enabled=yes&labelSelector=env%20in%20(`).expect(400);
    expect(bad.body.errors.map((e: { field: string }) => e.field)).toEqual(['enabled']);
    await api.as('viewer').get(`/api/v1/feature-gates/noSuchGate/clusters`).expect(404);
    const on = await api.as('viewer').get(`/api/v1/feature-gates/apiserverNetworkPolicy/clusters?enabled=true`).expect(200);
    expect(on.body.items).toEqual([{ cluster: expect.objectContaining({ name: after.name, role: 'user' }), enabled: true, source: 'seedTemplate', since: expect.any(String) }]);
    const paged = await api.as('viewer').get(`/api/v1/feature-gates/apiserverNetworkPolicy/clusters?limit=2`).expect(200);
    expect(paged.body.items).toHaveLength(2);
    const next = await api.as('viewer').get(`/api/v1/feature-gates/apiserverNetworkPolicy/clusters?limit=2&cursor=${paged.body.nextCursor}`).expect(200);
    expect(next.body.items).toHaveLength(2);
    expect(next.body.nextCursor).toBeNull();
  });

  it('rejects unknown gates at registration and in a defaulting template, with the field', async () => {
    const seed = (await api.as('admin').post('/api/v1/clusters').send(seedBody()).expect(201)).body as { name: string };
    const bad = await api.as('admin').post('/api/v1/clusters').send(userBody(seed.name, { featureGates: { noSuchGate: true } })).expect(400);
    expect(bad.body.errors).toEqual([{ field: 'featureGates.noSuchGate', message: 'no feature gate "noSuchGate" is defined' }]);
    const badValue = await api.as('admin').post('/api/v1/clusters').send(userBody(seed.name, { featureGates: { apiserverNetworkPolicy: 'yes' } })).expect(400);
    expect(badValue.body.errors[0].field).toBe('featureGates.apiserverNetworkPolicy');
    const badTemplate = await api.as('admin').put(`/api/v1/clusters/${seed.name}/defaulting-template`).send({ featureGates: { noSuchGate: true } }).expect(400);
    expect(badTemplate.body.errors).toEqual([{ field: 'featureGates.noSuchGate', message: 'no feature gate "noSuchGate" is defined' }]);
    const user = (await api.as('admin').post('/api/v1/clusters').send(userBody(seed.name)).expect(201)).body as { name: string };
    await api.as('admin').put(`/api/v1/clusters/${user.name}/defaulting-template`).send({ featureGates: {} }).expect(400);
  });
});
