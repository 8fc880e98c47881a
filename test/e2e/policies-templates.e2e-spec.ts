// Issue 5 over REST: templates (publish, invalid versions, immutability, diff, render), bindings
// (parameter type errors, affected clusters), authorization by role and audit events.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type TestApi, bootApi } from './support/api-app.js';
import { seedBody } from './support/clusters.fixtures.js';
import { portVersion, userBody } from './support/policies.fixtures.js';

let api: TestApi;
let seed: string;
let users: string[];

beforeAll(async () => {
  api = await bootApi();
  seed = ((await api.as('admin').post('/api/v1/clusters').send(seedBody()).expect(201)).body as { name: string }).name;
  users = [];
  for (const env of ['prod', 'prod', 'dev']) {
    users.push(((await api.as('admin').post('/api/v1/clusters').send(userBody(seed, { labels: { env } })).expect(201)).body as { name: string }).name);
  }
});
afterAll(async () => {
  await api?.close();
});

const audit = async (subject: string) =>
  ((await api.as('viewer').get(`/api/v1/audit-events?subject=${encodeURIComponent(subject)}&limit=100`).expect(200)).body as { items: { action: string; actor: string; summary: Record<string, unknown> }[] }).items;

describe('templates', () => {
  it('creates a template, publishes immutable versions, lists, gets and diffs them', async () => {
    const created = await api.as('admin').post('/api/v1/templates').send({ name: 'web', description: 'web ingress', initialVersion: portVersion() }).expect(201);
    expect(created.body).toMatchObject({ template: { name: 'web', latestVersion: 1, builtIn: false }, version: { version: 1, template: 'web', author: 'admin', changelog: 'allow ingress on one port' } });
    const v2 = await api.as('admin').post('/api/v1/templates/web/versions').send(portVersion({ changelog: 'port 9090 and a label', parameters: [{ name: 'port', type: 'port', default: 9090 }, { name: 'appLabels', type: 'labels', default: { app: 'web' } }] })).expect(201);
    expect(v2.body.version).toBe(2);
    const list = await api.as('viewer').get('/api/v1/templates/web/versions?limit=1').expect(200);
    expect(list.body.items.map((v: { version: number }) => v.version)).toEqual([2]);
    const rest = await api.as('viewer').get(`/api/v1/templates/web/versions?limit=1&cursor=${list.body.nextCursor}`).expect(200);
    expect(rest.body.items.map((v: { version: number }) => v.version)).toEqual([1]);
    expect(rest.body.nextCursor).toBeNull();
    const one = await api.as('viewer').get(`/api/v1/templates/${created.body.template.id}/versions/1`).expect(200);
    expect(one.body.parameters[0]).toEqual({ name: 'port', type: 'port', default: 8080 });
    const diff = await api.as('viewer').get('/api/v1/templates/web/diff?from=1&to=2').expect(200);
    expect(diff.body).toMatchObject({ template: 'web', from: 1, to: 2, body: [], parameters: [{ path: '[0].default', op: 'change', from: 8080, to: 9090 }] });
    expect(diff.body.changelog).toMatchObject([{ version: 2, changelog: 'port 9090 and a label' }]);

    // versions are never edited: there is no route for it
    await api.as('admin').patch('/api/v1/templates/web/versions/1').send({ changelog: 'rewritten' }).expect(404);
    await api.as('admin').put('/api/v1/templates/web/versions/1').send({ changelog: 'rewritten' }).expect(404);
    const still = await api.as('viewer').get('/api/v1/templates/web/versions/1').expect(200);
    expect(still.body.changelog).toBe('allow ingress on one port');

    const templates = await api.as('viewer').get('/api/v1/templates?limit=100').expect(200);
    const names = templates.body.items.map((t: { name: string }) => t.name);
    expect(names).toEqual(expect.arrayContaining(['kkp-apiserver', 'gardener-general', 'gardener-shoot-system', 'kubernetes-defaults-default-deny-ingress', 'web']));
  });

  it('rejects an invalid version with 422 and the exact fields, and stores nothing', async () => {
    await api.as('admin').post('/api/v1/templates').send({ name: 'broken', description: 'x' }).expect(201);
    const badPort = await api.as('admin').post('/api/v1/templates/broken/versions').send(portVersion({ parameters: [{ name: 'port', type: 'port', default: 70000 }, { name: 'appLabels', type: 'labels' }] })).expect(422);
    expect(badPort.headers['content-type']).toMatch(/application\/problem\+json/);
    expect(badPort.body).toMatchObject({ status: 422, title: 'Invalid policy' });
    expect(badPort.body.errors).toEqual([{ field: 'parameters[0].default', message: expect.stringContaining('70000') }]);

    const badType = await api.as('admin').post('/api/v1/templates/broken/versions').send(portVersion({ parameters: [{ name: 'port', type: 'portNumber' }] })).expect(400);
    expect(badType.body.errors[0].field).toBe('parameters.0.type');

    const badPolicy = await api
      .as('admin')
      .post('/api/v1/templates/broken/versions')
      .send({ changelog: 'bad', body: { metadata: { name: 'Bad_Name' }, spec: { podSelector: {}, policyTypes: ['Sideways'] } } })
      .expect(422);
    expect(badPolicy.body.errors.map((e: { field: string }) => e.field)).toEqual(['policies[0].metadata.name', 'policies[0].spec.policyTypes[0]']);

    const badJsonE = await api.as('admin').post('/api/v1/templates/broken/versions').send({ changelog: 'bad', body: { metadata: { name: 'x' }, spec: { podSelector: { $eval: 'params.nope(' } } } }).expect(422);
    expect(badJsonE.body.errors[0].field).toMatch(/^body/);

    const badSample = await api.as('admin').post('/api/v1/templates/broken/versions').send(portVersion({ sampleParameters: { port: 'http port' } })).expect(422);
    expect(badSample.body.errors).toEqual([{ field: 'sampleParameters.port', message: expect.any(String) }]);

    const t = await api.as('viewer').get('/api/v1/templates/broken').expect(200);
    expect(t.body.latestVersion).toBeNull();

    const gql = await api.gql('admin', `mutation { publishTemplateVersion(template: "broken", input: { changelog: "x", body: { metadata: { name: "Bad_Name" }, spec: { podSelector: {} } } }) { version } }`);
    expect(gql.errors?.[0]?.extensions).toMatchObject({ code: 'INVALID_POLICY', errors: [{ field: 'policies[0].metadata.name' }] });
  });

  it('renders a version for a cluster without storing anything (/render and :render)', async () => {
    const audits = (await audit('template/web')).length;
    const r = await api.as('viewer').post('/api/v1/templates/web/versions/1/render').send({ cluster: users[0], parameters: { port: 443 }, namespace: 'shop' }).expect(200);
    expect(r.body).toMatchObject({ cluster: users[0], namespace: 'shop' });
    expect(r.body.items).toHaveLength(1);
    expect(r.body.items[0].policy).toMatchObject({ metadata: { name: 'allow-web', namespace: 'shop' }, spec: { ingress: [{ ports: [{ protocol: 'TCP', port: 443 }] }] } });
    expect(r.body.items[0].hash).toMatch(/^[0-9a-f]{64}$/);
    const custom = await api.as('viewer').post('/api/v1/templates/web/versions/1:render').send({ cluster: users[0], parameters: { port: 443 }, namespace: 'shop' }).expect(200);
    expect(custom.body).toEqual(r.body);
    const defaultNs = await api.as('viewer').post('/api/v1/templates/web/versions/1/render').send({ cluster: users[0] }).expect(200);
    expect(defaultNs.body.namespace).toBe(`cluster-${users[0]}`);
    const wrong = await api.as('viewer').post('/api/v1/templates/web/versions/1/render').send({ cluster: users[0], parameters: { port: 'not a port!' } }).expect(422);
    expect(wrong.body.errors).toEqual([{ field: 'parameters.port', message: expect.any(String) }]);
    await api.as('viewer').post('/api/v1/templates/web/versions/1/render').send({ cluster: 'nope' }).expect(400);
    await api.as('viewer').post('/api/v1/templates/web/versions/9/render').send({ cluster: users[0] }).expect(404);
    expect((await audit('template/web')).length).toBe(audits);
  });
});

describe('bindings', () => {
  it('type-checks parameter values and references, with field paths', async () => {
    const bad = await api
      .as('admin')
      .post('/api/v1/bindings')
      .send({ name: 'web-bad', template: 'web', version: 1, clusterRole: 'user', placement: { kind: 'namespaces', names: ['shop'] }, parameters: { port: 'not a port!', appLabels: 'app=web', extra: 1 } })
      .expect(400);
    expect(bad.body.errors.map((e: { field: string }) => e.field).sort()).toEqual(['parameters.appLabels', 'parameters.extra', 'parameters.port']);
    const refs = await api
      .as('admin')
      .post('/api/v1/bindings')
      .send({ name: 'web-bad', template: 'web', version: 7, clusterSelector: 'env in (', gate: 'noSuchGate', placement: { kind: 'controlPlaneNamespace' } })
      .expect(400);
    expect(refs.body.errors.map((e: { field: string }) => e.field).sort()).toEqual(['clusterRole', 'clusterSelector', 'gate', 'version']);
    const placement = await api.as('admin').post('/api/v1/bindings').send({ name: 'web-bad', template: 'web', version: 1, placement: { kind: 'namespaces', globs: ['Shoot_*'], selectors: [{ matchLabels: { 'bad key!': 'x' } }] } }).expect(400);
    expect(placement.body.errors.map((e: { field: string }) => e.field)).toContain('placement.globs.0');
    await api.as('viewer').get('/api/v1/bindings/web-bad').expect(404);
  });

  it('answers create / change / delete with the clusters whose desired state changes, and audits them', async () => {
    const created = await api
      .as('admin')
      .post('/api/v1/bindings')
      .send({ name: 'web-prod', template: 'web', version: 1, clusterSelector: 'env=prod', clusterRole: 'user', placement: { kind: 'namespaces', names: ['shop', 'api'] }, parameters: { port: 8443 } })
      .expect(201);
    expect(created.body.binding).toMatchObject({ name: 'web-prod', template: 'web', version: 1, driftMode: 'enforce', placement: { kind: 'namespaces', names: ['shop', 'api'], globs: [], selectors: [] } });
    expect(created.body.affectedClusters).toEqual({ count: 2, items: expect.arrayContaining([expect.objectContaining({ name: users[0] }), expect.objectContaining({ name: users[1] })]) });

    const desired = await api.as('viewer').get(`/api/v1/clusters/${users[0]}/desired-policies`).expect(200);
    expect(desired.body.items.map((i: { target: { namespace: string } }) => i.target.namespace)).toEqual(['api', 'shop']);
    expect(desired.body.items[0].origin).toEqual({ binding: 'web-prod', template: 'web', version: 1, gate: null, kind: 'template' });
    const dev = await api.as('viewer').get(`/api/v1/clusters/${users[2]}/desired-policies`).expect(200);
    expect(dev.body.items).toEqual([]);

    const widened = await api.as('admin').patch('/api/v1/bindings/web-prod').send({ clusterSelector: '' }).expect(200);
    expect(widened.body.affectedClusters.count).toBe(1);
    expect(widened.body.affectedClusters.items).toEqual([expect.objectContaining({ name: users[2] })]);
    const moved = await api.as('admin').patch('/api/v1/bindings/web-prod').send({ version: 2 }).expect(200);
    expect(moved.body.binding.version).toBe(2);
    expect(moved.body.affectedClusters.count).toBe(0); // the port is set on the binding: same bodies
    const port = await api.as('admin').patch('/api/v1/bindings/web-prod').send({ parameters: {} }).expect(200);
    expect(port.body.affectedClusters.count).toBe(3);

    // a clash with another binding on the same target is reported, not merged
    await api.as('admin').post('/api/v1/bindings').send({ name: 'web-twin', template: 'web', version: 1, clusterRole: 'user', placement: { kind: 'namespaces', names: ['shop'] } }).expect(201);
    const clash = await api.as('viewer').get(`/api/v1/clusters/${users[0]}/desired-policies`).expect(200);
    expect(clash.body.conflicts).toEqual([expect.objectContaining({ name: 'allow-web', target: expect.objectContaining({ namespace: 'shop' }), bindings: ['web-prod', 'web-twin'] })]);
    expect(clash.body.items.map((i: { target: { namespace: string } }) => i.target.namespace)).toEqual(['api']);
    const removedTwin = await api.as('admin').delete('/api/v1/bindings/web-twin').expect(200);
    expect(removedTwin.body.affectedClusters.count).toBe(3);

    // a version in use by a binding is never deleted; an unused one may be
    const inUse = await api.as('admin').delete('/api/v1/templates/web/versions/2').expect(409);
    expect(inUse.body).toMatchObject({ bindings: ['web-prod'] });
    await api.as('admin').delete('/api/v1/templates/web/versions/1').expect(204);
    await api.as('viewer').get('/api/v1/templates/web/versions/1').expect(404);
    await api.as('admin').delete('/api/v1/templates/kkp-apiserver/versions/1').expect(409);

    const removed = await api.as('admin').delete('/api/v1/bindings/web-prod').expect(200);
    expect(removed.body.affectedClusters.count).toBe(3);

    const events = await audit('binding/web-prod');
    expect(events.map((e) => e.action)).toEqual(['binding.delete', 'binding.update', 'binding.update', 'binding.update', 'binding.create']);
    expect(events[1]!.summary).toMatchObject({ changed: ['parameters'], affectedClusters: 3 });
    expect(events.every((e) => e.actor === 'admin')).toBe(true);
  });
});

describe('Idempotency-Key', () => {
  it('replays a binding creation and a version publication instead of doing them twice', async () => {
    const body = { name: 'web-idem', template: 'web', version: 2, clusterRole: 'user', placement: { kind: 'namespaces', names: ['idem'] } };
    const first = await api.as('admin').post('/api/v1/bindings').set('Idempotency-Key', 'bind-web-idem').send(body).expect(201);
    const again = await api.as('admin').post('/api/v1/bindings').set('Idempotency-Key', 'bind-web-idem').send(body).expect(201);
    expect(again.headers['idempotent-replayed']).toBe('true');
    expect(again.body).toEqual(first.body);
    expect((await audit('binding/web-idem')).map((e) => e.action)).toEqual(['binding.create']);
    const v = await api.as('admin').post('/api/v1/templates/web/versions').set('Idempotency-Key', 'publish-web-3').send(portVersion({ changelog: 'v3' })).expect(201);
    const replay = await api.as('admin').post('/api/v1/templates/web/versions').set('Idempotency-Key', 'publish-web-3').send(portVersion({ changelog: 'v3' })).expect(201);
    expect(replay.body.version).toBe(v.body.version);
    expect((await api.as('viewer').get('/api/v1/templates/web').expect(200)).body.latestVersion).toBe(v.body.version);
    await api.as('admin').delete('/api/v1/bindings/web-idem').expect(200);
  });
});

describe('authorization and audit', () => {
  it('viewers and operators read; only admins write definitions, templates, bindings and defaulting templates', async () => {
    const writes: [string, (as: ReturnType<TestApi['as']>) => Promise<{ status: number }>][] = [
      ['create gate', (as) => as.post('/api/v1/feature-gates').send({ key: 'myGate', description: 'x', default: false })],
      ['update gate', (as) => as.patch('/api/v1/feature-gates/apiserverNetworkPolicy').send({ description: 'x' })],
      ['defaulting template', (as) => as.put(`/api/v1/clusters/${seed}/defaulting-template`).send({ featureGates: {} })],
      ['create template', (as) => as.post('/api/v1/templates').send({ name: 'nope', description: 'x' })],
      ['publish', (as) => as.post('/api/v1/templates/web/versions').send(portVersion())],
      ['delete version', (as) => as.delete('/api/v1/templates/web/versions/2')],
      ['create binding', (as) => as.post('/api/v1/bindings').send({ name: 'b', template: 'web', version: 2, placement: { kind: 'namespaces', names: ['x'] } })],
      ['update binding', (as) => as.patch('/api/v1/bindings/kkp-apiserver').send({ description: 'x' })],
      ['delete binding', (as) => as.delete('/api/v1/bindings/kkp-apiserver')],
    ];
    for (const role of ['viewer', 'operator'] as const) {
      for (const [what, send] of writes) {
        const res = await send(api.as(role));
        expect(res.status, `${role}: ${what}`).toBe(403);
      }
    }
    for (const [what, send] of writes) expect((await send(api.as(null))).status, `anonymous: ${what}`).toBe(401);
    const reads = ['/api/v1/feature-gates', '/api/v1/feature-gates/apiserverNetworkPolicy/clusters', '/api/v1/templates', '/api/v1/bindings', `/api/v1/clusters/${users[0]}/feature-gates`, `/api/v1/clusters/${users[0]}/desired-policies`, `/api/v1/clusters/${users[0]}/assigned-policies`, `/api/v1/clusters/${users[0]}/plan`, `/api/v1/clusters/${seed}/defaulting-template`];
    for (const url of reads) expect((await api.as('viewer').get(url)).status, url).toBe(200);
    const gql = await api.gql('operator', 'mutation { createFeatureGate(input: { key: "opGate", description: "x", default: false }) { key } }');
    expect(gql.errors?.[0]?.extensions.code).toBe('FORBIDDEN');
  });

  it('records an audit event for every mutation', async () => {
    await api.as('admin').post('/api/v1/feature-gates').send({ key: 'myGate', description: 'mine', default: true }).expect(201);
    await api.as('admin').patch('/api/v1/feature-gates/myGate').send({ description: 'mine, described' }).expect(200);
    await api.as('admin').patch('/api/v1/feature-gates/myGate').send({ default: false }).expect(400);
    await api.as('admin').put(`/api/v1/clusters/${seed}/defaulting-template`).send({ featureGates: { myGate: false } }).expect(200);
    await api.as('admin').post('/api/v1/templates').send({ name: 'audited', description: 'x' }).expect(201);
    await api.as('admin').post('/api/v1/templates/audited/versions').send(portVersion()).expect(201);
    await api.as('admin').post('/api/v1/templates/audited/versions').send(portVersion({ changelog: 'again' })).expect(201);
    await api.as('admin').delete('/api/v1/templates/audited/versions/2').expect(204);

    expect((await audit('feature-gate/myGate')).map((e) => e.action)).toEqual(['feature-gate.update', 'feature-gate.create']);
    const seedEvents = await audit(`cluster/${seed}`);
    expect(seedEvents[0]).toMatchObject({ action: 'seed.defaulting-template.update', summary: { after: { myGate: false }, appliesTo: 'clusters registered from now on', existingUserClustersUnchanged: 3 } });
    expect((await audit('template/audited')).map((e) => e.action)).toEqual(['template.version.delete', 'template.version.publish', 'template.version.publish', 'template.create']);
    const registered = (await audit(`cluster/${users[0]}`)).find((e) => e.action === 'cluster.register');
    expect(registered?.summary).toHaveProperty('featureGates');
    // the built-in catalog was installed by the API at start, audited as the system
    const builtIn = await audit('template/kkp-apiserver');
    expect(builtIn.map((e) => [e.action, e.actor])).toEqual([
      ['template.version.publish', 'system:api'],
      ['template.create', 'system:api'],
    ]);
  });
});
