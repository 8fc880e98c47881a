// Issue 3, "HTTP endpoints": NetworkPolicy validation and reachability over REST and GraphQL,
// with the API server's wording and field paths, explanations, 400/422/limits and auth.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { KUBERNETES_DOCS_EXAMPLE_POLICY as docExample } from '@fleetgate/netpol';
import { type TestApi, bootApi } from './support/api-app.js';

let api: TestApi;

beforeAll(async () => {
  api = await bootApi();
});
afterAll(async () => {
  await api?.close();
});


const docModel = {
  namespaces: [{ name: 'default' }, { name: 'myproject-ns', labels: { project: 'myproject' } }, { name: 'other' }],
  pods: [
    { namespace: 'default', name: 'db', labels: { role: 'db' }, ip: '172.17.0.10', ports: [{ name: 'redis', containerPort: 6379 }] },
    { namespace: 'default', name: 'frontend', labels: { role: 'frontend' }, ip: '172.17.1.11' },
    { namespace: 'default', name: 'backend', labels: { role: 'backend' }, ip: '10.9.0.12', ports: [{ containerPort: 8080 }] },
    { namespace: 'myproject-ns', name: 'app', labels: {}, ip: '10.9.1.1' },
    { namespace: 'other', name: 'frontend', labels: { role: 'frontend' }, ip: '10.9.2.1' },
  ],
};

/** Several rules broken at once, with the API server's exact messages. */
const badPolicy = {
  apiVersion: 'networking.k8s.io/v1',
  kind: 'NetworkPolicy',
  metadata: { name: 'Bad_Name', namespace: 'default' },
  spec: {
    podSelector: { matchExpressions: [{ key: 'app', operator: 'In', values: [] }, { key: 'tier', operator: 'Exists', values: ['x'] }] },
    policyTypes: ['Ingress', 'Sideways'],
    ingress: [
      {
        from: [{}, { ipBlock: { cidr: '10.0.0.0/33' } }, { ipBlock: { cidr: '10.0.0.0/16', except: ['10.1.0.0/24'] }, podSelector: {} }],
        ports: [{ protocol: 'SCTPX', port: 80 }, { port: 0 }, { port: 'http', endPort: 90 }, { port: 100, endPort: 90 }, { port: 'Not_A_Name' }],
      },
    ],
  },
};
const badPolicyErrors = [
  {
    field: 'metadata.name',
    message:
      "Invalid value: \"Bad_Name\": a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, '-' or '.', and must start and end with an alphanumeric character (e.g. 'example.com', regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*')",
  },
  { field: 'spec.podSelector.matchExpressions[0].values', message: "Required value: must be specified when `operator` is 'In' or 'NotIn'" },
  { field: 'spec.podSelector.matchExpressions[1].values', message: "Forbidden: may not be specified when `operator` is 'Exists' or 'DoesNotExist'" },
  { field: 'spec.ingress[0].ports[0].protocol', message: 'Unsupported value: "SCTPX": supported values: "TCP", "UDP", "SCTP"' },
  { field: 'spec.ingress[0].ports[1].port', message: 'Invalid value: 0: must be between 1 and 65535, inclusive' },
  { field: 'spec.ingress[0].ports[2].endPort', message: 'Invalid value: 90: may not be specified when `port` is non-numeric' },
  { field: 'spec.ingress[0].ports[3].endPort', message: 'Invalid value: 100: must be greater than or equal to `port`' },
  { field: 'spec.ingress[0].ports[4].port', message: 'Invalid value: "Not_A_Name": must contain only alpha-numeric characters (a-z, 0-9), and hyphens (-)' },
  { field: 'spec.ingress[0].from[0]', message: 'Required value: must specify a peer' },
  { field: 'spec.ingress[0].from[1].ipBlock.cidr', message: 'Invalid value: "10.0.0.0/33": not a valid CIDR' },
  { field: 'spec.ingress[0].from[2].ipBlock.except[0]', message: 'Invalid value: "10.1.0.0/24": must be a strict subset of `cidr`' },
  { field: 'spec.ingress[0].from[2]', message: 'Forbidden: may not specify both ipBlock and another peer' },
  { field: 'spec.policyTypes[1]', message: 'Unsupported value: "Sideways": supported values: "Ingress", "Egress"' },
];

interface Result {
  from: string;
  to: string;
  port: number | string;
  protocol: string;
  allowed: boolean;
  explanation: { summary: string; egress: Record<string, unknown>; ingress: Record<string, unknown> };
}

describe('POST /api/v1/netpol/validate', () => {
  it("accepts the Kubernetes documentation's example policy, for any role", async () => {
    for (const role of ['viewer', 'operator', 'admin'] as const) {
      const res = await api.as(role).post('/api/v1/netpol/validate').send(docExample).expect(200);
      expect(res.body).toEqual({ valid: true, defaulted: docExample });
    }
  });

  it('returns the policy defaulted as the API server stores it (protocol TCP, policyTypes)', async () => {
    const policy = {
      metadata: { name: 'allow-dns', namespace: 'kube-system' },
      spec: { podSelector: {}, egress: [{ ports: [{ port: 53, protocol: 'UDP' }, { port: 53 }] }], ingress: [{ ports: [{ port: 'metrics' }] }] },
    };
    const res = await api.as('viewer').post('/api/v1/netpol/validate').send(policy).expect(200);
    expect(res.body.defaulted).toEqual({
      metadata: { name: 'allow-dns', namespace: 'kube-system' },
      spec: {
        podSelector: {},
        egress: [{ ports: [{ port: 53, protocol: 'UDP' }, { port: 53, protocol: 'TCP' }] }],
        ingress: [{ ports: [{ port: 'metrics', protocol: 'TCP' }] }],
        policyTypes: ['Ingress', 'Egress'],
      },
    });
    const ingressOnly = await api.as('viewer').post('/api/v1/netpol/validate').send({ metadata: { name: 'x', namespace: 'y' }, spec: { podSelector: {}, policyTypes: [] } }).expect(200);
    expect(ingressOnly.body.defaulted.spec.policyTypes).toEqual(['Ingress']);
  });

  it('answers 422 problem+json listing every {field, message} in the API server words', async () => {
    const res = await api.as('viewer').post('/api/v1/netpol/validate').send(badPolicy).expect(422);
    expect(res.headers['content-type']).toMatch(/^application\/problem\+json/);
    expect(res.body).toMatchObject({ type: 'https://fleetgate.dev/problems/invalid-policy', title: 'Invalid policy', status: 422 });
    expect(res.body.errors).toEqual(badPolicyErrors);
    expect(res.body.detail).toMatch(/^NetworkPolicy\.networking\.k8s\.io "Bad_Name" is invalid: \[metadata\.name: Invalid value: "Bad_Name": /);
    expect(res.body.detail).toContain('spec.ingress[0].from[1].ipBlock.cidr: Invalid value: "10.0.0.0/33": not a valid CIDR, ');
  });

  it('checks IPv6 blocks, mixed families, labels, namespace and type metadata', async () => {
    const res = await api
      .as('viewer')
      .post('/api/v1/netpol/validate')
      .send({
        apiVersion: 'v1',
        kind: 'NetworkPolicy',
        metadata: { name: 'v6', labels: { 'bad key!': 'v' } },
        spec: { podSelector: {}, egress: [{ to: [{ ipBlock: { cidr: 'fd00::/64', except: ['fd00::/72', '10.0.0.0/8', 'fd00::/129'] } }] }] },
      })
      .expect(422);
    expect(res.body.errors).toEqual([
      { field: 'apiVersion', message: 'Unsupported value: "v1": supported values: "networking.k8s.io/v1"' },
      { field: 'metadata.namespace', message: 'Required value' },
      {
        field: 'metadata.labels',
        message:
          "Invalid value: \"bad key!\": name part must consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character (e.g. 'MyName',  or 'my.name',  or '123-abc', regex used for validation is '([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]')",
      },
      { field: 'spec.egress[0].to[0].ipBlock.except[1]', message: 'Invalid value: "10.0.0.0/8": must be a strict subset of `cidr`' },
      { field: 'spec.egress[0].to[0].ipBlock.except[2]', message: 'Invalid value: "fd00::/129": not a valid CIDR' },
    ]);
  });

  it('speaks the 1.33+ wording with ?profile=current, and refuses an unknown profile', async () => {
    const policy = { metadata: { name: 'p', namespace: 'default' }, spec: { podSelector: {}, ingress: [{ from: [{ ipBlock: { cidr: '10.0.0.0/33' } }] }] } };
    const res = await api.as('viewer').post('/api/v1/netpol/validate?profile=current').send(policy).expect(422);
    expect(res.body.errors).toEqual([{ field: 'spec.ingress[0].from[0].ipBlock.cidr', message: 'Invalid value: "10.0.0.0/33": must be a valid CIDR value, (e.g. 10.9.8.0/24 or 2001:db8::/64)' }]);
    const bad = await api.as('viewer').post('/api/v1/netpol/validate?profile=newest').send(policy).expect(400);
    expect(bad.body.errors).toEqual([{ field: 'profile', message: expect.stringContaining('"legacy"') }]);
  });

  it('answers 400 when the body is not an object, 401 without a token', async () => {
    const res = await api.as('viewer').post('/api/v1/netpol/validate').send([docExample]).expect(400);
    expect(res.headers['content-type']).toMatch(/^application\/problem\+json/);
    expect(res.body.errors).toEqual([{ field: '(root)', message: 'must be a JSON object' }]);
    const anon = await api.as(null).post('/api/v1/netpol/validate').send(docExample).expect(401);
    expect(anon.body).toMatchObject({ status: 401, title: 'Unauthenticated' });
    await api.as(null).post('/api/v1/netpol/reachability').send({ ...docModel, policies: [] }).expect(401);
  });
});

describe('POST /api/v1/netpol/reachability', () => {
  it("answers the documentation's scenario with explanations", async () => {
    const res = await api
      .as('viewer')
      .post('/api/v1/netpol/reachability')
      .send({
        ...docModel,
        policies: [docExample],
        queries: [
          { from: 'default/frontend', to: 'default/db', port: 6379 },
          { from: 'default/backend', to: 'default/db', port: 'redis' },
          { from: 'myproject-ns/app', to: 'default/db', port: 6379 },
          { from: 'other/frontend', to: 'default/db', port: 6379 },
          { from: '172.17.1.5', to: 'default/db', port: 6379 },
          { from: '172.17.0.5', to: 'default/db', port: 6379, protocol: 'UDP' },
          { from: 'default/db', to: '8.8.8.8', port: 53, protocol: 'UDP' },
          { from: 'default/db', to: '10.0.0.99', port: 5978 },
        ],
      })
      .expect(200);
    const results = res.body.results as Result[];
    expect(results.map((r) => [r.from, r.to, r.port, r.protocol, r.allowed])).toEqual([
      ['default/frontend', 'default/db', 6379, 'TCP', true],
      ['default/backend', 'default/db', 'redis', 'TCP', false],
      ['myproject-ns/app', 'default/db', 6379, 'TCP', true],
      ['other/frontend', 'default/db', 6379, 'TCP', false],
      ['172.17.1.5', 'default/db', 6379, 'TCP', false],
      ['172.17.0.5', 'default/db', 6379, 'UDP', false],
      ['default/db', '8.8.8.8', 53, 'UDP', false],
      ['default/db', '10.0.0.99', 5978, 'TCP', true],
    ]);
    expect(results[0]!.explanation).toEqual({
      egress: { enforced: true, isolated: false, isolatedBy: [], allowedBy: [], allowed: true },
      ingress: { enforced: true, isolated: true, isolatedBy: ['default/test-network-policy'], allowedBy: [{ policy: 'default/test-network-policy', direction: 'ingress', rule: 0 }], allowed: true },
      summary: 'allowed: egress from default/frontend: not isolated (no Egress policy selects it); ingress to default/db: allowed by default/test-network-policy ingress[0]',
    });
    expect(results[1]!.explanation.summary).toBe(
      'denied: egress from default/backend: not isolated (no Egress policy selects it); ingress to default/db: isolated by default/test-network-policy and no rule allows it',
    );
    expect(results[6]!.explanation.summary).toBe(
      'denied: egress from default/db: isolated by default/test-network-policy and no rule allows it; ingress to 8.8.8.8: not a pod, no policy applies',
    );
  });

  it('seed 004 ("Applying Network Policies"): with deny-all-traffic, even frontend is cut off by its own egress', async () => {
    const denyAll = { metadata: { name: 'deny-all-traffic', namespace: 'default' }, spec: { podSelector: {}, policyTypes: ['Ingress', 'Egress'] } };
    const allowApp = {
      metadata: { name: 'allow-app-traffic', namespace: 'default' },
      spec: { podSelector: { matchLabels: { app: 'my-app' } }, policyTypes: ['Ingress'], ingress: [{ from: [{ podSelector: { matchLabels: { app: 'frontend' } } }] }] },
    };
    const model = {
      namespaces: [{ name: 'default' }],
      pods: [
        { namespace: 'default', name: 'my-app', labels: { app: 'my-app' }, ip: '10.9.0.1', ports: [{ containerPort: 80 }] },
        { namespace: 'default', name: 'frontend', labels: { app: 'frontend' }, ip: '10.9.0.2', ports: [{ containerPort: 80 }] },
        { namespace: 'default', name: 'other', labels: { app: 'other' }, ip: '10.9.0.3' },
      ],
    };
    const onlyApp = await api.as('viewer').post('/api/v1/netpol/reachability').send({ ...model, policies: [allowApp] }).expect(200);
    // default queries: every ordered pod pair on every port the destination declares
    expect((onlyApp.body.results as Result[]).map((r) => `${r.from}->${r.to}:${r.port}/${r.protocol}=${r.allowed}`)).toEqual([
      'default/frontend->default/my-app:80/TCP=true',
      'default/other->default/my-app:80/TCP=false',
      'default/my-app->default/frontend:80/TCP=true',
      'default/other->default/frontend:80/TCP=true',
    ]);
    const both = await api.as('viewer').post('/api/v1/netpol/reachability').send({ ...model, policies: [denyAll, allowApp], queries: [{ from: 'default/frontend', to: 'default/my-app', port: 80 }] }).expect(200);
    const [r] = both.body.results as Result[];
    expect(r!.allowed).toBe(false);
    expect(r!.explanation.egress).toMatchObject({ isolated: true, isolatedBy: ['default/deny-all-traffic'], allowedBy: [], allowed: false });
    expect(r!.explanation.ingress).toMatchObject({ allowedBy: [{ policy: 'default/allow-app-traffic', direction: 'ingress', rule: 0 }], allowed: true });
    expect(r!.explanation.summary).toBe(
      'denied: egress from default/frontend: isolated by default/deny-all-traffic and no rule allows it; ingress to default/my-app: allowed by default/allow-app-traffic ingress[0]',
    );
  });

  it('answers 400 naming the field for malformed input', async () => {
    const post = (body: unknown) => api.as('viewer').post('/api/v1/netpol/reachability').send(body as object);
    const missing = await post({ pods: [], policies: [] }).expect(400);
    expect(missing.headers['content-type']).toMatch(/^application\/problem\+json/);
    expect(missing.body).toMatchObject({ title: 'Validation failed', status: 400, errors: [{ field: 'namespaces', message: 'Required value' }] });
    const badPod = await post({ namespaces: [{ name: 'default' }], pods: [{ namespace: 'default', name: 'a', ip: '10.0.0.300', ports: [{ containerPort: 70000 }] }], policies: [] }).expect(400);
    expect(badPod.body.errors).toEqual([
      { field: 'pods[0].ip', message: 'must be an IP address' },
      { field: 'pods[0].ports[0].containerPort', message: 'must be between 1 and 65535, inclusive' },
    ]);
    const badQuery = await post({ ...docModel, policies: [], queries: [{ from: 'default/db', to: 'default/nope', port: 80 }] }).expect(400);
    expect(badQuery.body.errors).toEqual([{ field: 'queries[0].to', message: 'unknown pod "default/nope"' }]);
    const shape = await post({ ...docModel, policies: ['not a policy'], queries: [{ from: 'default/db', port: 'x y' }] }).expect(400);
    expect(shape.body.errors).toEqual([
      { field: 'policies[0]', message: 'must be a JSON object' },
      { field: 'queries[0].to', message: 'must be a pod (namespace/name) or an IP address' },
    ]);
  });

  it('answers 422 with field paths when a policy is invalid', async () => {
    const bad = { ...docExample, spec: { ...docExample.spec, ingress: [{ from: [{ ipBlock: { cidr: '172.17.0.0/33' } }], ports: [{ protocol: 'SCTPX', port: 6379 }] }] } };
    const res = await api.as('viewer').post('/api/v1/netpol/reachability').send({ ...docModel, policies: [docExample, bad] }).expect(422);
    expect(res.body).toMatchObject({ title: 'Invalid policy', status: 422, detail: '1 of the policies are invalid' });
    expect(res.body.errors).toEqual([
      { field: 'policies[1].spec.ingress[0].ports[0].protocol', message: 'Unsupported value: "SCTPX": supported values: "TCP", "UDP", "SCTP"' },
      { field: 'policies[1].spec.ingress[0].from[0].ipBlock.cidr', message: 'Invalid value: "172.17.0.0/33": not a valid CIDR' },
    ]);
  });

  it('bounds the input: too many pods, policies or queries is a 400 naming the list', async () => {
    const pods = Array.from({ length: 501 }, (_, i) => ({ namespace: 'd', name: `p${i}` }));
    const tooMany = await api.as('viewer').post('/api/v1/netpol/reachability').send({ namespaces: [{ name: 'd' }], pods, policies: [] }).expect(400);
    expect(tooMany.body).toMatchObject({ detail: 'Reachability input exceeds the limits', errors: [{ field: 'pods', message: 'Too many: 501: must have at most 500 items' }] });

    // counted before anything is parsed
    const lists = { namespaces: Array(201).fill({}), pods: [], policies: Array(201).fill({}), queries: Array(5001).fill({}) };
    const tooManyItems = await api.as('viewer').post('/api/v1/netpol/reachability').send(lists).expect(400);
    expect(tooManyItems.body.errors).toEqual([
      { field: 'namespaces', message: 'Too many: 201: must have at most 200 items' },
      { field: 'policies', message: 'Too many: 201: must have at most 200 items' },
      { field: 'queries', message: 'Too many: 5001: must have at most 5000 items' },
    ]);

    // 60 pods with two ports each imply 60 × 59 × 2 = 7080 default queries
    const busy = Array.from({ length: 60 }, (_, i) => ({ namespace: 'd', name: `p${i}`, ports: [{ containerPort: 80 }, { containerPort: 443 }] }));
    const implied = await api.as('viewer').post('/api/v1/netpol/reachability').send({ namespaces: [{ name: 'd' }], pods: busy, policies: [] }).expect(400);
    expect(implied.body.errors).toEqual([
      { field: 'queries', message: 'Too many: 7080: must have at most 5000 items (the default: every pod pair on every declared container port); pass explicit queries' },
    ]);

    // and a body past the JSON parser's 2 MB limit is refused before any work
    const huge = await api.as('viewer').post('/api/v1/netpol/validate').send({ ...docExample, metadata: { ...docExample.metadata, annotations: { big: 'x'.repeat(2_200_000) } } });
    expect(huge.status).toBe(413);
    expect(huge.headers['content-type']).toMatch(/^application\/problem\+json/);
  });
});

describe('GraphQL', () => {
  const VALIDATE = `query($policy: JSON!, $profile: ValidationProfile) { validateNetworkPolicy(policy: $policy, profile: $profile) { valid defaulted } }`;
  const REACH = `query($input: JSON!) {
    networkPolicyReachability(input: $input) {
      results { from to port portName protocol allowed explanation { summary egress { isolated isolatedBy allowed } ingress { enforced isolated isolatedBy allowedBy { policy direction rule } allowed } } }
    }
  }`;

  it('validateNetworkPolicy: the defaulted policy, or INVALID_POLICY with every field', async () => {
    const ok = await api.gql('viewer', VALIDATE, { policy: { metadata: { name: 'p', namespace: 'default' }, spec: { podSelector: {}, egress: [{}] } } });
    expect(ok.errors).toBeUndefined();
    expect(ok.data?.validateNetworkPolicy).toEqual({ valid: true, defaulted: { metadata: { name: 'p', namespace: 'default' }, spec: { podSelector: {}, egress: [{}], policyTypes: ['Ingress', 'Egress'] } } });

    const bad = await api.gql('viewer', VALIDATE, { policy: badPolicy });
    expect(bad.data).toBeNull();
    expect(bad.errors?.[0]?.message).toMatch(/^NetworkPolicy\.networking\.k8s\.io "Bad_Name" is invalid: \[/);
    expect(bad.errors?.[0]?.extensions).toMatchObject({ code: 'INVALID_POLICY', status: 422, errors: badPolicyErrors });

    const current = await api.gql('viewer', VALIDATE, { policy: { metadata: { name: 'p', namespace: 'd' }, spec: { podSelector: {}, egress: [{ to: [{ ipBlock: { cidr: '1.2.3.4/40' } }] }] } }, profile: 'current' });
    expect(current.errors?.[0]?.extensions.errors).toEqual([{ field: 'spec.egress[0].to[0].ipBlock.cidr', message: 'Invalid value: "1.2.3.4/40": must be a valid CIDR value, (e.g. 10.9.8.0/24 or 2001:db8::/64)' }]);
  });

  it('networkPolicyReachability: typed results with explanations; BAD_USER_INPUT and INVALID_POLICY', async () => {
    const r = await api.gql('viewer', REACH, {
      input: { ...docModel, policies: [docExample], queries: [{ from: 'default/frontend', to: 'default/db', port: 'redis' }, { from: 'default/backend', to: 'default/db', port: 6379 }] },
    });
    expect(r.errors).toBeUndefined();
    const results = (r.data?.networkPolicyReachability as { results: unknown[] }).results;
    expect(results).toEqual([
      {
        from: 'default/frontend', to: 'default/db', port: null, portName: 'redis', protocol: 'TCP', allowed: true,
        explanation: {
          summary: 'allowed: egress from default/frontend: not isolated (no Egress policy selects it); ingress to default/db: allowed by default/test-network-policy ingress[0]',
          egress: { isolated: false, isolatedBy: [], allowed: true },
          ingress: { enforced: true, isolated: true, isolatedBy: ['default/test-network-policy'], allowedBy: [{ policy: 'default/test-network-policy', direction: 'ingress', rule: 0 }], allowed: true },
        },
      },
      expect.objectContaining({ from: 'default/backend', port: 6379, portName: null, allowed: false }),
    ]);

    const malformed = await api.gql('viewer', REACH, { input: { namespaces: [], pods: [{ namespace: 'd', name: 'a', ip: 'nope' }], policies: [] } });
    expect(malformed.errors?.[0]?.extensions).toMatchObject({ code: 'BAD_USER_INPUT', errors: [{ field: 'pods[0].ip', message: 'must be an IP address' }] });
    const invalid = await api.gql('viewer', REACH, { input: { ...docModel, policies: [{ metadata: { name: 'p', namespace: 'default' }, spec: { podSelector: {}, policyTypes: ['Sideways'] } }] } });
    expect(invalid.errors?.[0]?.extensions).toMatchObject({ code: 'INVALID_POLICY', errors: [{ field: 'policies[0].spec.policyTypes[0]', message: 'Unsupported value: "Sideways": supported values: "Ingress", "Egress"' }] });
  });

  it('UNAUTHENTICATED without a token', async () => {
    const v = await api.gql(null, VALIDATE, { policy: docExample });
    expect(v.errors?.[0]?.extensions.code).toBe('UNAUTHENTICATED');
    const r = await api.gql(null, REACH, { input: { ...docModel, policies: [] } });
    expect(r.errors?.[0]?.extensions.code).toBe('UNAUTHENTICATED');
  });
});

describe('OpenAPI', () => {
  it('documents both endpoints with examples', async () => {
    type Media = { 'application/json': { schema: { example: Record<string, unknown[]> }; examples: Record<string, { value: Record<string, unknown> }> } };
    type Operation = { requestBody: { content: Media }; responses: Record<string, { content: Media }> };
    const doc = (await api.http().get('/api/openapi.json').expect(200)).body as { paths: Record<string, { post: Operation }> };
    const validate = doc.paths['/api/v1/netpol/validate']!.post;
    expect(validate.requestBody.content['application/json'].examples['documentation']?.value).toEqual(docExample);
    expect(Object.keys(validate.responses)).toEqual(expect.arrayContaining(['200', '400', '401', '422']));
    expect(validate.responses['422']?.content['application/json'].schema.example['errors']?.[0]).toMatchObject({ message: 'Invalid value: "172.17.0.0/33": not a valid CIDR' });
    const reach = doc.paths['/api/v1/netpol/reachability']!.post;
    expect(reach.requestBody.content['application/json'].examples['documentation']?.value['queries']).toHaveLength(2);
    expect(reach.responses['200']?.content['application/json'].schema.example['results']?.[0]).toMatchObject({ allowed: true });
  });
});
