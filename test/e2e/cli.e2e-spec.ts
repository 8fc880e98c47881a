// The `fleetgate` CLI as a user runs it: a spawned process (bin/fleetgate.mjs) against the real
// API listening on a port, with the worker, Postgres, Redis and simulated clusters.
import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { INestApplicationContext } from '@nestjs/common';
import { type Simulator, registrationBody, startSimulator } from '@fleetgate/kube-sim';
import { parse as parseYaml } from 'yaml';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createWorker } from '../../apps/worker/src/worker.builder.js';
import { type TestApi, bootApi } from './support/api-app.js';

const BIN = new URL('../../apps/cli/bin/fleetgate.mjs', import.meta.url).pathname;
const GATE = 'apiserverNetworkPolicy';
let api: TestApi;
let sim: Simulator;
let worker: INestApplicationContext;
let server: string;
const dir = mkdtempSync(join(tmpdir(), 'fleetgate-cli-'));

interface Run {
  code: number;
  stdout: string;
  stderr: string;
}

function cli(args: string[], env: Record<string, string> = {}): Promise<Run> {
  return new Promise((resolve) => {
    execFile(process.execPath, [BIN, ...args], { env: { PATH: process.env.PATH ?? '', HOME: dir, FLEETGATE_CONFIG: join(dir, 'config.json'), ...env }, timeout: 60_000 }, (err, stdout, stderr) => {
      resolve({ code: err ? Number((err as { code?: number }).code ?? 1) : 0, stdout, stderr });
    });
  });
}
const as = (role: 'admin' | 'operator' | 'viewer') => ({ FLEETGATE_SERVER: server, FLEETGATE_TOKEN: api.tokens[role] });

beforeAll(async () => {
  // the CLI as `npm run build` leaves it (plain node per spawn, not a TypeScript loader)
  await new Promise<void>((resolve, reject) =>
    execFile(process.execPath, [new URL('../../node_modules/typescript/bin/tsc', import.meta.url).pathname, '-p', new URL('../../apps/cli/tsconfig.build.json', import.meta.url).pathname], (err, stdout) => (err ? reject(new Error(stdout)) : resolve())),
  );
  [api, sim] = await Promise.all([bootApi(), startSimulator()]);
  await api.app.listen(0, '127.0.0.1');
  server = `http://127.0.0.1:${(api.app.getHttpServer().address() as { port: number }).port}`;
  worker = await createWorker({ ...api.config, logLevel: 'silent', probeIntervalSeconds: 0, drift: { ...api.config.drift, intervalSeconds: 0 } });
  await sim.addCluster({
    name: 'cli-seed',
    labels: { env: 'prod' },
    meta: { role: 'seed', networks: { pods: '100.64.0.0/16', services: '100.96.0.0/20', nodes: '192.168.1.0/24' } },
    namespaces: ['cli-u1', 'cli-u2', 'cli-u3'].map((u) => ({ name: `cluster-${u}` })),
  });
  for (const [i, u] of ['cli-u1', 'cli-u2', 'cli-u3'].entries()) {
    await sim.addCluster({ name: u, labels: { env: i === 2 ? 'dev' : 'prod' }, meta: { role: 'user', seed: 'cli-seed', controlPlaneNamespace: `cluster-${u}`, networks: { pods: `10.${20 + i}.0.0/16`, services: '10.240.0.0/20', nodes: '172.16.0.0/24' } } });
  }
  for (const name of ['cli-seed', 'cli-u1', 'cli-u2', 'cli-u3']) await api.as('admin').post('/api/v1/clusters').send(registrationBody(sim, name)).expect(201);
}, 180_000);
afterAll(async () => {
  await worker?.close();
  await api?.close();
  await sim?.close();
});

describe('fleetgate CLI', { timeout: 120_000 }, () => {
  it('login stores server and token with mode 0600; later commands use them', async () => {
    const bad = await cli(['login', '--server', server, '--token', 'fg_wrong']);
    expect(bad.code).toBe(3);
    expect(bad.stderr).toContain('Unauthenticated');
    const ok = await cli(['login', '--server', server, '--token', api.tokens.viewer]);
    expect(ok.code).toBe(0);
    const path = join(dir, 'config.json');
    expect(statSync(path).mode & 0o777).toBe(0o600);
    expect(JSON.parse(readFileSync(path, 'utf8'))).toEqual({ server, token: api.tokens.viewer });
    const ls = await cli(['clusters', 'ls', '-l', 'env=prod', '--role', 'user']);
    expect(ls.code).toBe(0);
    expect(ls.stdout.split('\n')[0]).toMatch(/^NAME\s+ROLE\s+SEED\s+HEALTH\s+VERSION\s+LABELS\s+AGE$/);
    expect(ls.stdout).toMatch(/cli-u1\s+user\s+cli-seed/);
    expect(ls.stdout).not.toContain('cli-u3');
  });

  it('outputs like kubectl: -o name, json, yaml; errors with exit codes', async () => {
    expect((await cli(['clusters', 'ls', '-l', 'env=prod', '-o', 'name'], as('viewer'))).stdout).toBe('cluster/cli-seed\ncluster/cli-u1\ncluster/cli-u2\n');
    const json = JSON.parse((await cli(['clusters', 'get', 'cli-u1', '-o', 'json'], as('viewer'))).stdout) as { name: string; seed: string };
    expect(json).toMatchObject({ name: 'cli-u1', seed: 'cli-seed' });
    expect(parseYaml((await cli(['-o', 'yaml', 'clusters', 'get', 'cli-u2'], as('viewer'))).stdout)).toMatchObject({ name: 'cli-u2', role: 'user' });
    const missing = await cli(['clusters', 'get', 'nope'], as('viewer'));
    expect(missing).toMatchObject({ code: 4 });
    expect(missing.stderr).toContain('Cluster "nope" not found');
    const badSelector = await cli(['clusters', 'ls', '-l', 'env in (prod'], as('viewer'));
    expect(badSelector.code).toBe(5);
    expect(badSelector.stderr).toMatch(/^\s+labelSelector: unable to parse requirement/m);
    expect((await cli(['clusters', 'ls', '-o', 'xml'], as('viewer'))).code).toBe(2);
    expect((await cli(['no-such-command'], as('viewer'))).code).toBe(2);
    const forbidden = await cli(['gate', 'enable', GATE, '-l', 'env=prod'], as('viewer'));
    expect(forbidden.code).toBe(3);
  });

  it('gate enable with waves, a dry run first; rollouts watch shows a bar per wave and exits 0; a failing rollout exits 6 and can be retried', async () => {
    const dry = await cli(['gate', 'enable', GATE, '-l', 'env=prod', '--role', 'user', '--waves', '1,50%,100%', '--max-concurrency', '50', '--dry-run', '-o', 'json'], as('operator'));
    expect(dry.code).toBe(0);
    const dryRollout = JSON.parse(dry.stdout) as { id: string; dryRun: boolean; strategy: { waves: unknown[]; maxConcurrency: number } };
    expect(dryRollout).toMatchObject({ dryRun: true, strategy: { waves: [{ count: 1 }, { percent: 50 }, { percent: 100 }], maxConcurrency: 50 } });
    expect((await cli(['rollouts', 'watch', dryRollout.id], as('viewer'))).code).toBe(0);

    const started = await cli(['gate', 'enable', GATE, '-l', 'env=prod', '--role', 'user', '--waves', '1,100%', '-o', 'name'], as('operator'));
    const id = started.stdout.trim().replace('rollout/', '');
    const watched = await cli(['rollouts', 'watch', id, '--interval', '100'], as('viewer'));
    expect(watched.code).toBe(0);
    expect(watched.stdout).toMatch(/wave 0 {2}\[#{24}\] +1\/1 {2}done/);
    expect(watched.stdout).toMatch(/wave 1 {2}\[#{24}\] +1\/1 {2}done/);
    expect(watched.stdout).toContain('succeeded');
    expect(sim.cluster('cli-seed').peekNetworkPolicy('cluster-cli-u1', 'apiserver-allow-etcd')).toBeDefined();

    const list = await cli(['rollouts', 'ls', '--kind', 'gate'], as('viewer'));
    expect(list.stdout).toContain(`${GATE}=true`);

    sim.cluster('cli-seed').faults = { forbidWrites: true };
    const off = await cli(['gate', 'disable', GATE, '-l', 'env=prod', '--role', 'user', '--waves', '100%', '--failure-budget', '100%', '--on-failure', 'abort', '-w'], as('operator'));
    expect(off.code).toBe(6);
    expect(off.stdout).toMatch(/failed/);
    sim.cluster('cli-seed').clearFaults();
    const failedId = /rollout (\S+)/.exec(off.stdout)?.[1] as string;
    expect((await cli(['rollouts', 'retry', failedId], as('operator'))).code).toBe(0);
    expect((await cli(['rollouts', 'watch', failedId], as('viewer'))).code).toBe(0);
    const targets = await cli(['rollouts', 'get', failedId, '--targets'], as('viewer'));
    expect(targets.stdout).toMatch(/cli-u1\s+0\s+succeeded\s+2/);
    const again = await cli(['rollouts', 'retry', failedId], as('operator'));
    expect(again.code).toBe(1);
    expect(again.stderr).toContain('no failed targets');
  });

  it('templates apply (YAML) creates, then leaves unchanged, then publishes a version; netpol validate prints field paths', async () => {
    const file = join(dir, 'web.yaml');
    const template = (port: number) =>
      `name: cli-web\ndescription: web ingress\nchangelog: port ${port}\nbody:\n  metadata: {name: allow-web}\n  spec:\n    podSelector: {matchLabels: {app: web}}\n    ingress: [{ports: [{protocol: TCP, port: ${port}}]}]\n`;
    writeFileSync(file, template(8080));
    expect((await cli(['templates', 'apply', '-f', file], as('admin'))).stdout).toBe('template/cli-web created\n');
    expect((await cli(['templates', 'apply', '-f', file], as('admin'))).stdout).toBe('template/cli-web unchanged (version 1)\n');
    writeFileSync(file, template(9090));
    expect((await cli(['templates', 'apply', '-f', file], as('admin'))).stdout).toBe('template/cli-web configured (version 2)\n');

    const policy = join(dir, 'bad.json');
    writeFileSync(policy, JSON.stringify({ apiVersion: 'networking.k8s.io/v1', kind: 'NetworkPolicy', metadata: { name: 'bad', namespace: 'default' }, spec: { podSelector: {}, ingress: [{ from: [{ ipBlock: { cidr: '10.0.0.0/33' } }] }] } }));
    const invalid = await cli(['netpol', 'validate', '-f', policy], as('viewer'));
    expect(invalid.code).toBe(5);
    expect(invalid.stderr).toContain('spec.ingress[0].from[0].ipBlock.cidr: Invalid value: "10.0.0.0/33"');
    writeFileSync(policy, 'apiVersion: networking.k8s.io/v1\nkind: NetworkPolicy\nmetadata: {name: ok, namespace: default}\nspec: {podSelector: {}}\n');
    expect(await cli(['netpol', 'validate', '-f', policy], as('viewer'))).toMatchObject({ code: 0, stdout: `${policy}: valid\n` });
  });

  it('drift scan and ls; gates ls, get and set', async () => {
    expect((await cli(['gate', 'enable', GATE, '--clusters', 'cli-u1', '--waves', '100%', '--watch'], as('operator'))).code).toBe(0);
    sim.cluster('cli-seed').externalEdit.delete('cluster-cli-u1', 'apiserver-allow-etcd');
    const scan = await cli(['drift', 'scan', 'cli-u1'], as('operator'));
    expect(scan.code).toBe(0);
    expect(scan.stdout).toMatch(/cli-u1: succeeded, 1 finding/);
    const ls = await cli(['drift', 'ls', '--cluster', 'cli-u1'], as('viewer'));
    expect(ls.stdout).toMatch(/cli-u1\s+missing\s+open\s+cli-seed\/cluster-cli-u1\/apiserver-allow-etcd/);

    expect((await cli(['gates', 'ls', '-o', 'name'], as('viewer'))).stdout).toContain(`featuregate/${GATE}\n`);
    const get = await cli(['gates', 'get', GATE, '-l', 'env=prod'], as('viewer'));
    expect(get.stdout).toMatch(/apiserverNetworkPolicy\s+false\s+1\s+2\s+3/);
    expect((await cli(['gates', 'set', 'cliGate', '--description', 'made by the CLI', '--default', 'true', '-o', 'json'], as('admin'))).stdout).toContain('"default": true');
    expect(JSON.parse((await cli(['gates', 'set', 'cliGate', '--description', 'changed', '-o', 'json'], as('admin'))).stdout)).toMatchObject({ key: 'cliGate', description: 'changed', default: true });
  });
});
