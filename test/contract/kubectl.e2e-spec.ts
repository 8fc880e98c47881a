import { execFile, spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { contractTarget, policy, type ContractTarget } from './support.js';

const run = promisify(execFile);
const KUBECTL = ['/usr/bin/kubectl', '/usr/local/bin/kubectl'].find((p) => existsSync(p));

let t: ContractTarget;
let cacheDir: string;
beforeAll(async () => {
  t = await contractTarget();
  cacheDir = await mkdtemp(join(tmpdir(), 'kubectl-cache-'));
});
afterAll(async () => {
  await t?.cleanup();
});

describe('kubectl against the API server', () => {
  const title = 'applies server-side and lists across namespaces';
  it.skipIf(!KUBECTL)(KUBECTL ? title : `${title} — skipped: kubectl is not installed`, async () => {
    const dir = await mkdtemp(join(tmpdir(), 'kubectl-contract-'));
    const file = join(dir, 'policy.yaml');
    await writeFile(
      file,
      `apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata:
  name: kubectl-web
  namespace: ${t.namespace}
  labels: {fleetgate.io/contract-run: "${t.runId}"}
spec:
  podSelector: {matchLabels: {app: web}}
  ingress:
  - ports: [{port: 80}]
`,
    );
    const env = kubectlEnv();
    const applied = await run(KUBECTL as string, ['apply', '--server-side', '-f', file], { env });
    expect(applied.stdout).toContain('networkpolicy.networking.k8s.io/kubectl-web serverside-applied');
    const got = await t.client.getNetworkPolicy(t.namespace, 'kubectl-web');
    expect(got.metadata.managedFields?.map((m) => `${m.manager}/${m.operation}`)).toEqual(['kubectl/Apply']);
    expect(got.spec?.ingress?.[0]?.ports?.[0]).toEqual({ port: 80, protocol: 'TCP' });

    const listed = await run(KUBECTL as string, ['get', 'networkpolicies', '-A', '-l', `fleetgate.io/contract-run=${t.runId}`], { env });
    const lines = listed.stdout.trim().split('\n');
    // The server answers kubectl's Table request, so the columns are the apiserver's.
    expect(lines[0]).toMatch(/^NAMESPACE\s+NAME\s+POD-SELECTOR\s+AGE$/);
    expect(lines.find((l) => l.includes('kubectl-web'))).toMatch(/kubectl-web\s+app=web\s+\d+s$/);
    expect(lines.some((l) => l.startsWith(t.namespace) && l.includes('kubectl-web'))).toBe(true);

    // A conflicting apply by another manager is refused with the server's message.
    await writeFile(file, (await import('node:fs')).readFileSync(file, 'utf8').replace('port: 80', 'port: 81'));
    const conflict = await run(KUBECTL as string, ['apply', '--server-side', '--field-manager', 'someone-else', '-f', file], { env }).catch((e: { stderr: string }) => e);
    expect((conflict as { stderr: string }).stderr).toContain('Apply failed with 1 conflict: conflict with "kubectl": .spec.ingress');
  });

  // kubectl sends typed objects as protobuf (application/vnd.kubernetes.protobuf) and asks for protobuf back.
  it.skipIf(!KUBECTL)('creates a namespace (a protobuf body)', async () => {
    const env = kubectlEnv();
    const name = `${t.namespace}-kc`;
    try {
      const created = await run(KUBECTL as string, ['create', 'namespace', name], { env });
      expect(created.stdout.trim()).toBe(`namespace/${name} created`);
      const got = await t.client.getNamespace(name);
      expect(got?.metadata?.labels?.['kubernetes.io/metadata.name']).toBe(name);
      // The AlreadyExists Status comes back as protobuf too, and kubectl prints it.
      const again = await run(KUBECTL as string, ['create', 'namespace', name], { env }).catch((e: { stderr: string }) => e);
      expect((again as { stderr: string }).stderr).toContain(`Error from server (AlreadyExists): namespaces "${name}" already exists`);
    } finally {
      await run(KUBECTL as string, ['delete', 'namespace', name, '--wait=false', '--ignore-not-found'], { env });
    }
  });

  // Client-side apply with validation on: kubectl reads /openapi/v3, sees that PATCH takes
  // fieldValidation, and lets the server refuse unknown fields (fieldValidation=Strict).
  it.skipIf(!KUBECTL)('applies with validation (no --validate=false) and the server refuses unknown fields', async () => {
    const env = kubectlEnv();
    const dir = await mkdtemp(join(tmpdir(), 'kubectl-contract-'));
    const file = join(dir, 'policy.yaml');
    const manifest = (extra: string) => `apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata:
  name: kubectl-validated
  namespace: ${t.namespace}
  labels: {fleetgate.io/contract-run: "${t.runId}"}
spec:
  podSelector: {matchLabels: {app: api}}
${extra}  ingress:
  - ports: [{port: 8443}]
`;
    await writeFile(file, manifest(''));
    const applied = await run(KUBECTL as string, ['apply', '-f', file], { env });
    expect(applied.stdout.trim()).toBe('networkpolicy.networking.k8s.io/kubectl-validated created');
    await writeFile(file, manifest('').replace('8443', '9443'));
    expect((await run(KUBECTL as string, ['apply', '-f', file], { env })).stdout.trim()).toBe('networkpolicy.networking.k8s.io/kubectl-validated configured');
    expect((await t.client.getNetworkPolicy(t.namespace, 'kubectl-validated')).spec?.ingress?.[0]?.ports?.[0]?.port).toBe(9443);

    await writeFile(file, manifest('  colour: red\n'));
    const refused = await run(KUBECTL as string, ['apply', '-f', file], { env }).catch((e: { stderr: string }) => e);
    expect((refused as { stderr: string }).stderr).toContain('strict decoding error: unknown field "spec.colour"');
    const created = await run(KUBECTL as string, ['create', '-f', file], { env }).catch((e: { stderr: string }) => e);
    expect((created as { stderr: string }).stderr).toContain('strict decoding error: unknown field "spec.colour"');
  });

  it.skipIf(!KUBECTL)('explains NetworkPolicy fields from the served OpenAPI v3 document', async () => {
    const env = kubectlEnv();
    const spec = (await run(KUBECTL as string, ['explain', 'networkpolicy.spec'], { env })).stdout;
    expect(spec).toMatch(/^GROUP:\s+networking\.k8s\.io$/m);
    expect(spec).toMatch(/^FIELD: spec <NetworkPolicySpec>$/m);
    expect(spec).toMatch(/^\s+podSelector\t<LabelSelector>$/m);
    expect(spec).toMatch(/^\s+ingress\t<\[\]NetworkPolicyIngressRule>$/m);
    expect(spec).toMatch(/^\s+policyTypes\t<\[\]string>$/m);
    expect(spec).not.toContain('+optional');
    const ports = (await run(KUBECTL as string, ['explain', 'networkpolicy.spec.ingress.ports'], { env })).stdout;
    expect(ports).toMatch(/^FIELD: ports <\[\]NetworkPolicyPort>$/m);
    expect(ports).toMatch(/^\s+endPort\t<integer>$/m);
    expect(ports).toMatch(/^\s+protocol\t<string>$/m);
    expect(ports).toContain('port represents the port on the given protocol.');
  });
});

describe('kubectl get --watch', () => {
  const title = 'prints the rows of objects created and deleted while it watches';
  it.skipIf(!KUBECTL)(KUBECTL ? title : `${title} — skipped: kubectl is not installed`, async () => {
    const env = kubectlEnv();
    await t.client.createNetworkPolicy(policy(t, 'kubectl-listed', {}, { case: 'kubectl-watch' }, t.otherNamespace));
    const child = spawn(KUBECTL as string, ['get', 'networkpolicies', '-n', t.otherNamespace, '-l', `fleetgate.io/contract-run=${t.runId},case=kubectl-watch`, '--watch', '--output-watch-events'], { env });
    let out = '';
    let err = '';
    child.stdout.on('data', (d: Buffer) => (out += d.toString()));
    child.stderr.on('data', (d: Buffer) => (err += d.toString()));
    const waitFor = async (re: RegExp) => {
      const until = Date.now() + 15_000;
      while (!re.test(out)) {
        if (Date.now() > until || child.exitCode !== null) throw new Error(`kubectl get -w: no ${re} in ${JSON.stringify(out)} (stderr ${JSON.stringify(err)})`);
        await new Promise((r) => setTimeout(r, 50));
      }
    };
    try {
      // kubectl lists first, then watches from the list's resourceVersion: nothing after the list is missed.
      await waitFor(/ADDED\s+kubectl-listed\s+app=kubectl-listed/);
      await t.client.createNetworkPolicy(policy(t, 'kubectl-watched', {}, { case: 'kubectl-watch' }, t.otherNamespace));
      await waitFor(/ADDED\s+kubectl-watched\s+app=kubectl-watched\s+\d+s/);
      await t.client.deleteNetworkPolicy(t.otherNamespace, 'kubectl-watched');
      await waitFor(/DELETED\s+kubectl-watched\s+app=kubectl-watched/);
    } finally {
      child.kill('SIGTERM');
    }
  });
});

describe('kubectl with pods, services and daemonsets', () => {
  const title = 'applies a Service server-side, annotates it, and prints pods, services and daemonsets';
  it.skipIf(!KUBECTL)(KUBECTL ? title : `${title} — skipped: kubectl is not installed`, async () => {
    const env = { ...process.env, KUBECONFIG: t.kubeconfigPath };
    const dir = await mkdtemp(join(tmpdir(), 'kubectl-contract-'));
    const file = join(dir, 'workload.yaml');
    const runLabel = `fleetgate.io/contract-run: "${t.runId}"`;
    await writeFile(
      file,
      `apiVersion: v1
kind: Service
metadata: {name: kc-web, namespace: ${t.namespace}, labels: {${runLabel}}}
spec:
  selector: {app: kc-web}
  ports: [{name: http, port: 80, targetPort: 8080}]
---
apiVersion: v1
kind: Pod
metadata: {name: kc-web-1, namespace: ${t.namespace}, labels: {app: kc-web, ${runLabel}}}
spec:
  containers: [{name: web, image: registry.k8s.io/pause:3.9, ports: [{containerPort: 8080}]}]
---
apiVersion: apps/v1
kind: DaemonSet
metadata: {name: kc-agent, namespace: ${t.namespace}, labels: {${runLabel}}}
spec:
  selector: {matchLabels: {app: kc-agent}}
  template:
    metadata: {labels: {app: kc-agent}}
    spec: {containers: [{name: agent, image: registry.k8s.io/pause:3.9}]}
`,
    );
    const applied = await run(KUBECTL as string, ['apply', '--server-side', '--validate=false', '-f', file], { env });
    expect(applied.stdout).toContain('service/kc-web serverside-applied');
    expect(applied.stdout).toContain('pod/kc-web-1 serverside-applied');
    expect(applied.stdout).toContain('daemonset.apps/kc-agent serverside-applied');

    const annotated = await run(KUBECTL as string, ['annotate', 'svc', 'kc-web', '-n', t.namespace, 'fleetgate.io/note=hello'], { env });
    expect(annotated.stdout.trim()).toBe('service/kc-web annotated');
    const svc = await run(KUBECTL as string, ['get', 'svc', 'kc-web', '-n', t.namespace, '-o', 'json'], { env });
    const svcObj = JSON.parse(svc.stdout) as { metadata: { annotations: Record<string, string> }; spec: { clusterIP: string; ports: unknown[] } };
    expect(svcObj.metadata.annotations['fleetgate.io/note']).toBe('hello');
    expect(svcObj.spec.ports).toEqual([{ name: 'http', port: 80, protocol: 'TCP', targetPort: 8080 }]);

    const listed = await run(KUBECTL as string, ['get', 'pods,svc', '-A', '-l', `fleetgate.io/contract-run=${t.runId}`], { env });
    const lines = listed.stdout.split('\n');
    expect(lines.find((l) => /^NAMESPACE\s+NAME\s+READY\s+STATUS\s+RESTARTS\s+AGE$/.test(l))).toBeDefined();
    expect(lines.find((l) => /^NAMESPACE\s+NAME\s+TYPE\s+CLUSTER-IP\s+EXTERNAL-IP\s+PORT\(S\)\s+AGE$/.test(l))).toBeDefined();
    expect(lines.find((l) => l.includes('pod/kc-web-1'))).toMatch(new RegExp(`^${t.namespace}\\s+pod/kc-web-1\\s+\\d/1\\s+\\w+\\s+0\\s+\\d+s$`));
    expect(lines.find((l) => l.includes('service/kc-web'))).toMatch(new RegExp(`^${t.namespace}\\s+service/kc-web\\s+ClusterIP\\s+${svcObj.spec.clusterIP.replace(/\./g, '\\.')}\\s+<none>\\s+80/TCP\\s+\\d+s$`));

    const ds = await run(KUBECTL as string, ['get', 'ds', '-n', t.namespace], { env });
    const dsLines = ds.stdout.trim().split('\n');
    expect(dsLines[0]).toMatch(/^NAME\s+DESIRED\s+CURRENT\s+READY\s+UP-TO-DATE\s+AVAILABLE\s+NODE SELECTOR\s+AGE$/);
    expect(dsLines.find((l) => l.startsWith('kc-agent'))).toMatch(/^kc-agent\s+\d+\s+\d+\s+\d+\s+\d+\s+\d+\s+<none>\s+\d+s$/);
  });
});

/** kubectl with the target's kubeconfig and a cache of its own (discovery and OpenAPI are cached on disk). */
function kubectlEnv(): NodeJS.ProcessEnv {
  return { ...process.env, KUBECONFIG: t.kubeconfigPath, KUBECACHEDIR: cacheDir };
}
