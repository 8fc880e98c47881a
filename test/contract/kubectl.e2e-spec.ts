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
beforeAll(async () => {
  t = await contractTarget();
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
    const env = { ...process.env, KUBECONFIG: t.kubeconfigPath };
    // The simulator serves no OpenAPI, so client-side schema validation is off (the server still validates).
    const applied = await run(KUBECTL as string, ['apply', '--server-side', '--validate=false', '-f', file], { env });
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
    const conflict = await run(KUBECTL as string, ['apply', '--server-side', '--validate=false', '--field-manager', 'someone-else', '-f', file], { env }).catch((e: { stderr: string }) => e);
    expect((conflict as { stderr: string }).stderr).toContain('Apply failed with 1 conflict: conflict with "kubectl": .spec.ingress');
  });
});

describe('kubectl get --watch', () => {
  const title = 'prints the rows of objects created and deleted while it watches';
  it.skipIf(!KUBECTL)(KUBECTL ? title : `${title} — skipped: kubectl is not installed`, async () => {
    const env = { ...process.env, KUBECONFIG: t.kubeconfigPath };
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
