import https from 'node:https';
import { PROTOBUF_MEDIA_TYPE, decodeObject, decodeWatchFrames, encodeObject } from '@fleetgate/kube-sim';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { contractTarget, type ContractTarget } from './support.js';

let t: ContractTarget;
beforeAll(async () => {
  t = await contractTarget();
});
afterAll(async () => {
  await t?.cleanup();
});

/** One raw HTTPS request with the target's credentials; the body comes back as bytes. */
function request(method: string, path: string, body: Buffer | undefined, headers: Record<string, string>): Promise<{ status: number; contentType: string; body: Buffer }> {
  const c = t.connection;
  const url = new URL(c.server.replace(/\/$/, '') + path);
  const pem = (b64?: string) => (b64 ? Buffer.from(b64, 'base64').toString('utf8') : undefined);
  return new Promise((resolve, reject) => {
    const req = https.request(
      {
        host: url.hostname,
        port: url.port,
        method,
        path: url.pathname + url.search,
        ca: pem(c.caData),
        cert: pem(c.clientCertData),
        key: pem(c.clientKeyData),
        servername: c.tlsServerName,
        rejectUnauthorized: !c.insecureSkipTLSVerify,
        headers: { ...(c.token ? { authorization: `Bearer ${c.token}` } : {}), ...headers, ...(body ? { 'content-length': String(body.length) } : {}) },
      },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (d: Buffer) => chunks.push(d));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, contentType: String(res.headers['content-type'] ?? ''), body: Buffer.concat(chunks) }));
      },
    );
    req.on('error', reject);
    req.end(body);
  });
}

describe('wire formats', () => {
  it('creates and reads a NetworkPolicy as protobuf (k8s\\0 + runtime.Unknown both ways)', async () => {
    const policy = {
      apiVersion: 'networking.k8s.io/v1',
      kind: 'NetworkPolicy',
      metadata: { name: 'proto-web', namespace: t.namespace, labels: { 'fleetgate.io/contract-run': t.runId } },
      spec: { podSelector: { matchLabels: { app: 'web' } }, ingress: [{ ports: [{ port: 'http' }, { port: 8080, protocol: 'UDP' }] }] },
    };
    const base = `/apis/networking.k8s.io/v1/namespaces/${t.namespace}/networkpolicies`;
    const headers = { 'content-type': PROTOBUF_MEDIA_TYPE, accept: `${PROTOBUF_MEDIA_TYPE}, application/json` };
    const created = await request('POST', base, encodeObject(policy), headers);
    expect(created.status).toBe(201);
    expect(created.contentType).toBe(PROTOBUF_MEDIA_TYPE);
    expect([...created.body.subarray(0, 4)]).toEqual([0x6b, 0x38, 0x73, 0x00]);
    const obj = decodeObject(created.body) as { kind: string; metadata: Record<string, unknown>; spec: unknown };
    expect(obj.kind).toBe('NetworkPolicy');
    expect(obj.metadata.uid).toEqual(expect.any(String));
    expect(obj.metadata.creationTimestamp).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/);
    // Defaulted by the server (protocol TCP, policyTypes) and read back through protobuf.
    expect(obj.spec).toEqual({ podSelector: { matchLabels: { app: 'web' } }, ingress: [{ ports: [{ protocol: 'TCP', port: 'http' }, { protocol: 'UDP', port: 8080 }] }], policyTypes: ['Ingress'] });

    const got = await request('GET', `${base}/proto-web`, undefined, { accept: PROTOBUF_MEDIA_TYPE });
    expect(got.status).toBe(200);
    expect(decodeObject(got.body)).toEqual(obj);
    // The same object as JSON, for a client that prefers it.
    const json = await request('GET', `${base}/proto-web`, undefined, { accept: 'application/json' });
    expect(json.contentType).toMatch(/^application\/json/);
    expect(JSON.parse(json.body.toString('utf8')).spec).toEqual(obj.spec);

    // Errors are Status messages in protobuf too.
    const missing = await request('GET', `${base}/nope`, undefined, { accept: PROTOBUF_MEDIA_TYPE });
    expect(missing.status).toBe(404);
    expect(decodeObject(missing.body)).toMatchObject({ kind: 'Status', status: 'Failure', reason: 'NotFound', code: 404 });
  });

  it('streams a watch as length-prefixed protobuf WatchEvent frames when asked for protobuf', async () => {
    const base = `/apis/networking.k8s.io/v1/namespaces/${t.namespace}/networkpolicies`;
    const listed = await request('GET', `${base}?labelSelector=case%3Dproto-watch`, undefined, { accept: 'application/json' });
    const rv = JSON.parse(listed.body.toString('utf8')).metadata.resourceVersion as string;
    const created = await request('POST', base, Buffer.from(JSON.stringify({ apiVersion: 'networking.k8s.io/v1', kind: 'NetworkPolicy', metadata: { name: 'proto-watched', labels: { 'fleetgate.io/contract-run': t.runId, case: 'proto-watch' } }, spec: { podSelector: {} } })), { 'content-type': 'application/json', accept: 'application/json' });
    expect(created.status).toBe(201);
    const watched = await request('GET', `${base}?watch=1&resourceVersion=${rv}&labelSelector=case%3Dproto-watch&timeoutSeconds=2`, undefined, { accept: PROTOBUF_MEDIA_TYPE });
    expect(watched.status).toBe(200);
    expect(watched.contentType).toBe(`${PROTOBUF_MEDIA_TYPE};stream=watch`);
    const events = decodeWatchFrames(watched.body);
    expect(events.map((e) => [e.type, (e.object.metadata as { name?: string }).name])).toEqual([['ADDED', 'proto-watched']]);
  });

  it('answers 415 UnsupportedMediaType with a Status for a body type it does not take', async () => {
    const res = await request('POST', `/apis/networking.k8s.io/v1/namespaces/${t.namespace}/networkpolicies`, Buffer.from('name: x'), { 'content-type': 'text/plain', accept: 'application/json' });
    expect(res.status).toBe(415);
    const status = JSON.parse(res.body.toString('utf8'));
    expect(status).toMatchObject({ kind: 'Status', status: 'Failure', reason: 'UnsupportedMediaType', code: 415 });
    expect(status.message).toMatch(/^the body of the request was in an unknown format - accepted media types include: application\/json, application\/yaml, application\/vnd\.kubernetes\.protobuf/);
  });

  it('serves the OpenAPI v3 discovery document and the networking.k8s.io/v1 document it points to', async () => {
    const root = await request('GET', '/openapi/v3', undefined, { accept: 'application/json' });
    expect(root.status).toBe(200);
    const paths = JSON.parse(root.body.toString('utf8')).paths as Record<string, { serverRelativeURL: string }>;
    const entry = paths['apis/networking.k8s.io/v1'];
    expect(entry?.serverRelativeURL).toMatch(/\/openapi\/v3\/apis\/networking\.k8s\.io\/v1\?hash=[0-9A-F]+$/);
    const prefix = new URL(t.connection.server).pathname.replace(/\/$/, '');
    const doc = await request('GET', (entry?.serverRelativeURL ?? '').slice(prefix.length), undefined, { accept: 'application/json' });
    expect(doc.status).toBe(200);
    const schema = JSON.parse(doc.body.toString('utf8')).components.schemas['io.k8s.api.networking.v1.NetworkPolicy'];
    expect(schema['x-kubernetes-group-version-kind']).toEqual([{ group: 'networking.k8s.io', kind: 'NetworkPolicy', version: 'v1' }]);
  });
});
