import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { contractTarget, rawRequest, type ContractTarget } from './support.js';

// Pods, Services, Endpoints and DaemonSets as kube-apiserver serves them (defaulting, validation,
// server-set values, the endpoints and DaemonSet controllers' results). Runs against the simulator,
// or the cluster in KUBE_CONTRACT_KUBECONFIG.
let t: ContractTarget;
type Obj = { kind?: string; metadata: Record<string, unknown> & { name?: string; labels?: Record<string, string>; managedFields?: Array<{ manager: string; operation: string }> }; spec?: Record<string, unknown>; status?: Record<string, unknown>; subsets?: unknown[] };

beforeAll(async () => {
  t = await contractTarget();
});
afterAll(async () => {
  await t?.cleanup();
});

const core = (resource: string, name = '') => `/api/v1/namespaces/${t.namespace}/${resource}${name ? `/${name}` : ''}`;
const apps = (resource: string, name = '') => `/apis/apps/v1/namespaces/${t.namespace}/${resource}${name ? `/${name}` : ''}`;
const labels = (extra: Record<string, string> = {}) => ({ 'fleetgate.io/contract-run': t.runId, ...extra });
const IMAGE = 'registry.k8s.io/pause:3.9';

async function call(method: string, path: string, body?: unknown, contentType?: string): Promise<{ status: number; obj: Obj & Record<string, unknown> }> {
  const r = await rawRequest(t, method, path, { body, contentType });
  return { status: r.status, obj: (r.text ? r.json() : {}) as Obj & Record<string, unknown> };
}

async function eventually<T>(fn: () => Promise<T | undefined>, what: string, timeoutMs = 60_000): Promise<T> {
  const until = Date.now() + timeoutMs;
  for (;;) {
    const v = await fn();
    if (v !== undefined) return v;
    if (Date.now() > until) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

const pod = (name: string, app: string, port = 8080) => ({
  apiVersion: 'v1',
  kind: 'Pod',
  metadata: { name, labels: labels({ app }) },
  spec: { containers: [{ name: 'main', image: IMAGE, ports: [{ name: 'http', containerPort: port }] }] },
});

describe('pods', () => {
  it('defaults the spec like the API server and its admission plugins', async () => {
    const { status, obj } = await call('POST', core('pods'), pod('web-1', 'web'));
    expect(status).toBe(201);
    expect(obj.spec).toMatchObject({ restartPolicy: 'Always', dnsPolicy: 'ClusterFirst', schedulerName: 'default-scheduler', terminationGracePeriodSeconds: 30, serviceAccountName: 'default', enableServiceLinks: true, securityContext: {} });
    expect((obj.spec?.containers as Array<Record<string, unknown>>)[0]).toMatchObject({
      ports: [{ name: 'http', containerPort: 8080, protocol: 'TCP' }],
      imagePullPolicy: 'IfNotPresent',
      terminationMessagePath: '/dev/termination-log',
      terminationMessagePolicy: 'File',
      resources: {},
    });
    expect(obj.spec?.tolerations).toEqual(
      expect.arrayContaining([{ key: 'node.kubernetes.io/not-ready', operator: 'Exists', effect: 'NoExecute', tolerationSeconds: 300 }]),
    );
    expect(obj.metadata.generation).toBeUndefined();
  });

  it('is scheduled and gets a pod IP', async () => {
    await call('POST', core('pods'), pod('web-2', 'web'));
    const running = await eventually(async () => {
      const { obj } = await call('GET', core('pods', 'web-2'));
      return obj.status?.phase === 'Running' && obj.status?.podIP ? obj : undefined;
    }, 'pod web-2 running');
    expect(running.spec?.nodeName).toEqual(expect.any(String));
    expect(running.status?.podIPs).toEqual([{ ip: running.status?.podIP }]);
  });

  it('rejects invalid pods with the field paths and messages of the API server', async () => {
    const bad = { apiVersion: 'v1', kind: 'Pod', metadata: { name: 'bad', labels: labels() }, spec: { restartPolicy: 'Sometimes', containers: [{ name: 'main', image: IMAGE, ports: [{ containerPort: 70000, protocol: 'XYZ' }] }] } };
    const { status, obj } = await call('POST', core('pods'), bad);
    expect(status).toBe(422);
    expect(obj).toMatchObject({ reason: 'Invalid', details: { name: 'bad', kind: 'Pod' } });
    const causes = (obj.details as { causes: Array<{ field: string; message: string }> }).causes;
    expect(causes).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ field: 'spec.containers[0].ports[0].containerPort', message: 'Invalid value: 70000: must be between 1 and 65535, inclusive' }),
        expect.objectContaining({ field: 'spec.containers[0].ports[0].protocol', message: 'Unsupported value: "XYZ": supported values: "SCTP", "TCP", "UDP"' }),
        expect.objectContaining({ field: 'spec.restartPolicy', message: 'Unsupported value: "Sometimes": supported values: "Always", "OnFailure", "Never"' }),
      ]),
    );
  });

  it('lists with label and field selectors, and pages with limit/continue', async () => {
    await call('POST', core('pods'), pod('api-1', 'api'));
    const byLabel = await call('GET', `${core('pods')}?labelSelector=${encodeURIComponent(`fleetgate.io/contract-run=${t.runId},app=web`)}`);
    expect((byLabel.obj.items as Obj[]).map((p) => p.metadata.name)).toEqual(['web-1', 'web-2']);
    const byField = await call('GET', `${core('pods')}?fieldSelector=${encodeURIComponent('metadata.name=api-1')}`);
    expect((byField.obj.items as Obj[]).map((p) => p.metadata.name)).toEqual(['api-1']);
    const bad = await call('GET', `${core('pods')}?fieldSelector=${encodeURIComponent('spec.containers=x')}`);
    expect(bad).toMatchObject({ status: 400, obj: { reason: 'BadRequest', message: 'field label not supported: spec.containers' } });
    const seen: string[] = [];
    let cont = '';
    do {
      const page = await call('GET', `${core('pods')}?limit=2${cont ? `&continue=${encodeURIComponent(cont)}` : ''}`);
      expect((page.obj.items as Obj[]).length).toBeLessThanOrEqual(2);
      seen.push(...(page.obj.items as Obj[]).map((p) => p.metadata.name as string));
      cont = String((page.obj.metadata as { continue?: string }).continue ?? '');
    } while (cont);
    expect(seen).toEqual(['api-1', 'web-1', 'web-2']);
  });

  it('deleting answers with the pod', async () => {
    await call('POST', core('pods'), pod('gone', 'gone'));
    const { status, obj } = await call('DELETE', core('pods', 'gone'));
    expect(status).toBe(200);
    expect(obj).toMatchObject({ kind: 'Pod', metadata: { name: 'gone' } });
  });
});

describe('services and endpoints', () => {
  it('defaults ports, type, affinity and allocates a ClusterIP', async () => {
    const svc = { apiVersion: 'v1', kind: 'Service', metadata: { name: 'web', labels: labels() }, spec: { selector: { app: 'web' }, ports: [{ name: 'http', port: 80, targetPort: 'http' }, { name: 'plain', port: 8080 }] } };
    const { status, obj } = await call('POST', core('services'), svc);
    expect(status).toBe(201);
    expect(obj.spec).toMatchObject({
      ports: [
        { name: 'http', protocol: 'TCP', port: 80, targetPort: 'http' },
        { name: 'plain', protocol: 'TCP', port: 8080, targetPort: 8080 },
      ],
      type: 'ClusterIP',
      sessionAffinity: 'None',
      ipFamilies: ['IPv4'],
      ipFamilyPolicy: 'SingleStack',
      internalTrafficPolicy: 'Cluster',
    });
    expect(obj.spec?.clusterIP).toMatch(/^\d+\.\d+\.\d+\.\d+$/);
    expect(obj.spec?.clusterIPs).toEqual([obj.spec?.clusterIP]);
  });

  it('the endpoints controller fills Endpoints from the selected running pods, resolving named target ports', async () => {
    const ep = await eventually(async () => {
      const { status, obj } = await call('GET', core('endpoints', 'web'));
      const addrs = ((obj.subsets ?? []) as Array<{ addresses?: unknown[] }>).flatMap((s) => s.addresses ?? []);
      return status === 200 && addrs.length === 2 ? obj : undefined;
    }, 'endpoints of web with two addresses');
    const subset = (ep.subsets as Array<{ addresses: Array<{ ip: string; targetRef: { kind: string; name: string } }>; ports: Array<{ name: string; port: number; protocol: string }> }>)[0];
    expect(subset?.addresses.map((a) => a.targetRef.name).sort()).toEqual(['web-1', 'web-2']);
    expect(subset?.addresses.every((a) => a.targetRef.kind === 'Pod')).toBe(true);
    expect([...(subset?.ports ?? [])].sort((a, b) => a.name.localeCompare(b.name))).toEqual([
      { name: 'http', port: 8080, protocol: 'TCP' },
      { name: 'plain', port: 8080, protocol: 'TCP' },
    ]);
  });

  it('rejects invalid services with the field paths and messages of the API server', async () => {
    const bad = { apiVersion: 'v1', kind: 'Service', metadata: { name: 'Bad_Name', labels: labels() }, spec: { type: 'Sideways', ports: [{ port: 70000, protocol: 'XYZ' }] } };
    const { status, obj } = await call('POST', core('services'), bad);
    expect(status).toBe(422);
    const causes = (obj.details as { causes: Array<{ field: string; message: string }> }).causes;
    expect(causes).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ field: 'metadata.name', message: expect.stringContaining('a DNS-1035 label must consist of lower case alphanumeric characters') }),
        expect.objectContaining({ field: 'spec.ports[0].port', message: 'Invalid value: 70000: must be between 1 and 65535, inclusive' }),
        expect.objectContaining({ field: 'spec.ports[0].protocol', message: 'Unsupported value: "XYZ": supported values: "SCTP", "TCP", "UDP"' }),
        expect.objectContaining({ field: 'spec.type', message: 'Unsupported value: "Sideways": supported values: "ClusterIP", "ExternalName", "LoadBalancer", "NodePort"' }),
      ]),
    );
  });

  it('applies server-side: keeps the allocated ClusterIP, tracks managers, conflicts on a label another manager owns', async () => {
    const cfg = (value: string) => ({ apiVersion: 'v1', kind: 'Service', metadata: { name: 'applied', labels: labels({ owner: value }) }, spec: { selector: { app: 'api' }, ports: [{ port: 443, targetPort: 8443 }] } });
    const first = await call('PATCH', `${core('services', 'applied')}?fieldManager=owner-a`, cfg('a'), 'application/apply-patch+yaml');
    expect(first.status).toBe(201);
    const ip = first.obj.spec?.clusterIP;
    const again = await call('PATCH', `${core('services', 'applied')}?fieldManager=owner-a`, cfg('a'), 'application/apply-patch+yaml');
    expect(again.obj.metadata.resourceVersion).toBe(first.obj.metadata.resourceVersion);
    expect(again.obj.spec?.clusterIP).toBe(ip);
    const labelOnly = { apiVersion: 'v1', kind: 'Service', metadata: { name: 'applied', labels: { owner: 'b' } } };
    const conflict = await call('PATCH', `${core('services', 'applied')}?fieldManager=owner-b`, labelOnly, 'application/apply-patch+yaml');
    expect(conflict.status).toBe(409);
    expect(conflict.obj.message).toBe('Apply failed with 1 conflict: conflict with "owner-a": .metadata.labels.owner');
    const annotated = await call('PATCH', core('services', 'applied'), { metadata: { annotations: { note: 'hi' } } }, 'application/merge-patch+json');
    expect(annotated.obj.spec?.clusterIP).toBe(ip);
    expect(annotated.obj.metadata.managedFields?.map((m) => `${m.manager}/${m.operation}`)).toEqual(expect.arrayContaining(['owner-a/Apply']));
  });
});

describe('daemonsets', () => {
  const ds = (name: string, templateApp: string) => ({
    apiVersion: 'apps/v1',
    kind: 'DaemonSet',
    metadata: { name, labels: labels() },
    spec: { selector: { matchLabels: { app: name } }, template: { metadata: { labels: { app: templateApp } }, spec: { containers: [{ name: 'agent', image: IMAGE }] } } },
  });

  it('defaults the update strategy and pod template, and runs one pod per node', async () => {
    const { status, obj } = await call('POST', apps('daemonsets'), ds('agent', 'agent'));
    expect(status).toBe(201);
    expect(obj.metadata.generation).toBe(1);
    expect(obj.spec).toMatchObject({ updateStrategy: { type: 'RollingUpdate', rollingUpdate: { maxUnavailable: 1, maxSurge: 0 } }, revisionHistoryLimit: 10 });
    expect((obj.spec?.template as { spec: Record<string, unknown> }).spec).toMatchObject({ restartPolicy: 'Always', dnsPolicy: 'ClusterFirst', schedulerName: 'default-scheduler', terminationGracePeriodSeconds: 30 });
    const done = await eventually(async () => {
      const { obj: cur } = await call('GET', apps('daemonsets', 'agent'));
      const desired = Number(cur.status?.desiredNumberScheduled ?? 0);
      return desired > 0 && cur.status?.currentNumberScheduled === desired ? cur : undefined;
    }, 'daemonset agent scheduled');
    const pods = await call('GET', `${core('pods')}?labelSelector=app%3Dagent`);
    const owned = (pods.obj.items as Obj[]).filter((p) => (p.metadata.ownerReferences as Array<{ kind: string; name: string }> | undefined)?.some((r) => r.kind === 'DaemonSet' && r.name === 'agent'));
    expect(owned).toHaveLength(Number(done.status?.desiredNumberScheduled));
  });

  it('refuses a selector that does not match the template labels', async () => {
    const { status, obj } = await call('POST', apps('daemonsets'), ds('mismatch', 'other'));
    expect(status).toBe(422);
    expect(obj.message).toContain('spec.template.metadata.labels: Invalid value: map[string]string{"app":"other"}: `selector` does not match template `labels`');
    expect(obj.details).toMatchObject({ name: 'mismatch', group: 'apps', kind: 'DaemonSet' });
  });
});
