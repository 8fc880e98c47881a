import { readFile, writeFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { fleetFromJson, generateFleet, gitVersionOf, loadSnapshot, registerFleet, startSimulator, type ClusterSpec } from '@fleetgate/kube-sim';

const USAGE = `kube-sim: a fleet of simulated Kubernetes API servers over HTTPS

  --seeds N                 seeds to generate (default 1)
  --users-per-seed M        user clusters per seed (default 3)
  --policies-per-cluster K  NetworkPolicies pre-created in each user cluster (default 0)
  --pods-per-cluster N      app pods in each user cluster, with their Services (default 2)
  --no-workloads            no pods, Services, DaemonSets (only namespaces and policies)
  --kube-version V          Kubernetes version the clusters answer as: 1.26, 1.32, v1.29.3 … (default 1.32;
                            a fleet file's clusters may set their own "kubeVersion")
  --fleet FILE              JSON fleet file ({"clusters":[...]} or {"seeds":N,"usersPerSeed":M})
  --snapshot FILE           load state from a snapshot (instead of generating)
  --save-snapshot FILE      write a snapshot on shutdown
  --out DIR                 where to write <cluster>.kubeconfig, all.kubeconfig, ca.crt (default ./.kube-sim)
  --port P / --host H       shared listener (default 6443 / 127.0.0.1; 0 = any free port)
  --register URL --token T  register every cluster in fleetgate (seeds first; 409 = already there);
                            the token may come from FLEETGATE_TOKEN instead, which keeps it out of \`ps\`
  --admin-token T           token for the /admin endpoint (default: random, printed)
`;

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      seeds: { type: 'string' },
      'users-per-seed': { type: 'string' },
      'policies-per-cluster': { type: 'string' },
      'pods-per-cluster': { type: 'string' },
      'no-workloads': { type: 'boolean' },
      'kube-version': { type: 'string' },
      fleet: { type: 'string' },
      snapshot: { type: 'string' },
      'save-snapshot': { type: 'string' },
      out: { type: 'string' },
      port: { type: 'string' },
      host: { type: 'string' },
      register: { type: 'string' },
      token: { type: 'string' },
      'admin-token': { type: 'string' },
      help: { type: 'boolean', short: 'h' },
    },
  });
  if (values.help) {
    console.log(USAGE);
    return;
  }
  const int = (v: string | undefined, d: number, name: string) => {
    if (v === undefined) return d;
    const n = Number(v);
    if (!Number.isInteger(n) || n < 0) throw new Error(`--${name} must be a non-negative integer`);
    return n;
  };
  const registerToken = values.token ?? process.env.FLEETGATE_TOKEN;
  if (values.register && !registerToken) throw new Error('--register needs --token (or FLEETGATE_TOKEN)');
  let clusters: ClusterSpec[] | undefined;
  const snapshot = values.snapshot ? await loadSnapshot(values.snapshot) : undefined;
  if (!snapshot) {
    clusters = values.fleet
      ? fleetFromJson(JSON.parse(await readFile(values.fleet, 'utf8')))
      : generateFleet({
          seeds: int(values.seeds, 1, 'seeds'),
          usersPerSeed: int(values['users-per-seed'], 3, 'users-per-seed'),
          policiesPerCluster: int(values['policies-per-cluster'], 0, 'policies-per-cluster'),
          podsPerCluster: int(values['pods-per-cluster'], 2, 'pods-per-cluster'),
          workloads: !values['no-workloads'],
        });
  }
  if (values['kube-version']) gitVersionOf(values['kube-version']);
  const options = { host: values.host ?? '127.0.0.1', clusters, snapshot, adminToken: values['admin-token'], kubeVersion: values['kube-version'] };
  let sim;
  try {
    sim = await startSimulator({ ...options, port: int(values.port, 6443, 'port') });
  } catch (err) {
    // The default port may be taken (another simulator, a real cluster): pick a free one then.
    if (values.port !== undefined || (err as { code?: string }).code !== 'EADDRINUSE') throw err;
    console.log('kube-sim: port 6443 is in use, using a free port');
    sim = await startSimulator({ ...options, port: 0 });
  }
  const out = resolve(values.out ?? '.kube-sim');
  const written = await sim.writeKubeconfigs(out);
  const names = sim.clusters().map((c) => c.name);
  console.log(`kube-sim: ${names.length} cluster${names.length === 1 ? "" : "s"} on ${sim.url}/clusters/<name>`);
  console.log(`kube-sim: kubeconfigs in ${written.dir} (all contexts: ${written.all})`);
  // Tokens stay out of logs: the admin token is written next to the kubeconfigs.
  const tokenFile = join(written.dir, 'admin-token');
  await writeFile(tokenFile, `${sim.adminToken}\n`, { mode: 0o600 });
  console.log(`kube-sim: admin endpoint ${sim.url}/admin/clusters (Authorization: Bearer <token in ${tokenFile}>)`);
  console.log(`kube-sim: try  KUBECONFIG=${written.all} kubectl --context ${names[0] ?? '<cluster>'} get networkpolicies -A`);
  if (values.register) {
    try {
      const r = await registerFleet(sim, { url: values.register, token: registerToken as string, retryForMs: 120_000, log: (l) => console.log(`kube-sim: ${l}`) });
      console.log(`kube-sim: registered ${r.created.length} clusters in ${values.register} (${r.existing.length} already there)`);
    } catch (err) {
      // The fleet keeps serving: its kubeconfigs are still useful, and registration can be re-run (409 = already there).
      console.error(`kube-sim: ${(err as Error).message}`);
      process.exitCode = 1;
    }
  }
  let stopping = false;
  const stop = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    console.log(`kube-sim: ${signal}, shutting down`);
    if (values['save-snapshot']) {
      await sim.saveSnapshot(values['save-snapshot']);
      console.log(`kube-sim: snapshot written to ${values['save-snapshot']}`);
    }
    await sim.close();
    process.exit(0);
  };
  process.on('SIGINT', () => void stop('SIGINT'));
  process.on('SIGTERM', () => void stop('SIGTERM'));
}

main().catch((err: unknown) => {
  console.error(`kube-sim: ${(err as Error).message}`);
  process.exit(1);
});
