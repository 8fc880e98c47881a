import { readFileSync } from 'node:fs';
import { Command, CommanderError, Option } from 'commander';
import { parse as parseYaml } from 'yaml';
import { ApiClient } from './client.js';
import { resolveCredentials, saveCredentials } from './config.js';
import { CliError, ExitCode } from './errors.js';
import { type Column, type OutputFormat, age, parseOutput, print } from './output.js';
import { parseWaves } from './strategy.js';
import { type RolloutView, watchRollout } from './watch.js';

type Json = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

interface GlobalOptions {
  output: OutputFormat;
  server?: string;
  token?: string;
}

const program = new Command('fleetgate')
  .description('fleetgate from the command line: clusters, feature gates, rollouts, drift, templates (REST API client)')
  .addOption(new Option('-o, --output <format>', 'table, json, yaml or name').default('table').argParser(parseOutput))
  .option('--server <url>', 'API server (else FLEETGATE_SERVER, else the login config)')
  .option('--token <token>', 'API token (else FLEETGATE_TOKEN, else the login config)')
  .showHelpAfterError()
  .exitOverride();

const globals = (cmd: Command) => cmd.optsWithGlobals<GlobalOptions>();
const api = (cmd: Command) => new ApiClient(resolveCredentials(globals(cmd)));
const out = (s: string) => process.stdout.write(s);

/** Reads `-f FILE` (`-` for stdin) as YAML or JSON (JSON is YAML). */
function readDocument(file: string): unknown {
  let text: string;
  try {
    text = readFileSync(file === '-' ? 0 : file, 'utf8');
  } catch (err) {
    throw new CliError(`cannot read ${file}: ${(err as Error).message}`, ExitCode.Usage);
  }
  try {
    return parseYaml(text);
  } catch (err) {
    throw new CliError(`${file} is neither YAML nor JSON: ${(err as Error).message}`, ExitCode.Usage);
  }
}

/** JSON with sorted keys (Postgres jsonb does not keep key order). */
function canonical(v: unknown): string {
  if (Array.isArray(v)) return `[${v.map(canonical).join(',')}]`;
  if (v && typeof v === 'object') return `{${Object.keys(v).sort().map((k) => `${JSON.stringify(k)}:${canonical((v as Json)[k])}`).join(',')}}`;
  return JSON.stringify(v);
}

// ---- login ----
program
  .command('login')
  .description('check --server and --token (global options), then store them in the config file (mode 0600)')
  .action(async (_opts: unknown, cmd: Command) => {
    const { server, token } = globals(cmd);
    if (!server || !token) throw new CliError('login needs --server URL and --token TOKEN', ExitCode.Usage);
    const creds = { server: server.replace(/\/+$/, ''), token };
    await new ApiClient(creds).get('/clusters', { limit: 1 });
    const path = saveCredentials(creds);
    out(`Logged in to ${creds.server}; credentials saved in ${path}\n`);
  });

// ---- clusters ----
const clusterColumns: Column<Json>[] = [
  { header: 'name', value: (c) => c.name },
  { header: 'role', value: (c) => c.role },
  { header: 'seed', value: (c) => c.seed },
  { header: 'health', value: (c) => c.health?.status },
  { header: 'version', value: (c) => c.health?.kubernetesVersion },
  { header: 'labels', value: (c) => Object.entries(c.labels ?? {}).map(([k, v]) => `${k}=${v}`).join(',') },
  { header: 'age', value: (c) => age(c.createdAt) },
];
const clusters = program.command('clusters').alias('cluster').description('registered clusters');
clusters
  .command('ls')
  .alias('list')
  .description('list clusters, optionally chosen by a label selector')
  .option('-l, --selector <selector>', 'label selector, e.g. env=prod,tier in (gold)')
  .option('--role <role>', 'seed or user')
  .option('--seed <seed>', 'user clusters of this seed')
  .action(async (opts: { selector?: string; role?: string; seed?: string }, cmd: Command) => {
    const items = await api(cmd).all<Json>('/clusters', { labelSelector: opts.selector, role: opts.role, seed: opts.seed });
    print(items, globals(cmd).output, { kind: 'cluster', name: (c) => c.name, columns: clusterColumns });
  });
clusters
  .command('get <name>')
  .description('one cluster')
  .action(async (name: string, _opts: unknown, cmd: Command) => {
    const c = await api(cmd).get<Json>(`/clusters/${encodeURIComponent(name)}`);
    print(c, globals(cmd).output, { kind: 'cluster', name: (x) => x.name, columns: clusterColumns });
  });

// ---- feature gates ----
const gateColumns: Column<Json>[] = [
  { header: 'key', value: (g) => g.key },
  { header: 'default', value: (g) => g.default },
  { header: 'built-in', value: (g) => g.builtIn },
  { header: 'description', value: (g) => g.description },
];
const gates = program.command('gates').description('feature gate definitions');
gates
  .command('ls')
  .alias('list')
  .action(async (_opts: unknown, cmd: Command) => {
    print(await api(cmd).all<Json>('/feature-gates'), globals(cmd).output, { kind: 'featuregate', name: (g) => g.key, columns: gateColumns });
  });
gates
  .command('get <key>')
  .description('a gate and its value across the fleet (on/off counts)')
  .option('-l, --selector <selector>', 'only clusters matching this label selector')
  .action(async (key: string, opts: { selector?: string }, cmd: Command) => {
    const client = api(cmd);
    const gate = await client.get<Json>(`/feature-gates/${encodeURIComponent(key)}`);
    const fleet = await client.get<Json>(`/feature-gates/${encodeURIComponent(key)}/clusters`, { labelSelector: opts.selector, limit: 1 });
    const view: Json = { ...gate, fleet: fleet.counts };
    print(view, globals(cmd).output, {
      kind: 'featuregate',
      name: (g) => g.key,
      columns: [...gateColumns.slice(0, 2), { header: 'on', value: (g) => g.fleet.on }, { header: 'off', value: (g) => g.fleet.off }, { header: 'clusters', value: (g) => g.fleet.total }],
    });
  });
gates
  .command('set <key>')
  .description('define a feature gate, or change its description')
  .requiredOption('--description <text>', 'what the gate switches')
  .option('--default <bool>', 'default value of a new gate (true or false); fixed once created', 'false')
  .action(async (key: string, opts: { description: string; default: string }, cmd: Command) => {
    const client = api(cmd);
    if (!['true', 'false'].includes(opts.default)) throw new CliError('--default must be true or false', ExitCode.Usage);
    let gate: Json;
    try {
      gate = await client.request<Json>('PATCH', `/feature-gates/${encodeURIComponent(key)}`, { description: opts.description });
    } catch (err) {
      if (!(err instanceof CliError) || err.exitCode !== ExitCode.NotFound) throw err;
      gate = await client.post<Json>('/feature-gates', { key, description: opts.description, default: opts.default === 'true' });
    }
    print(gate, globals(cmd).output, { kind: 'featuregate', name: (g) => g.key, columns: gateColumns });
  });

// ---- gate enable|disable (a rollout) ----
const rolloutColumns: Column<RolloutView & Json>[] = [
  { header: 'id', value: (r) => r.id },
  { header: 'kind', value: (r) => r.kind },
  { header: 'change', value: (r) => (r.kind === 'gate' ? `${r.change.gate}=${r.change.enabled}` : (r.change.binding ?? r.change.rollbackOf ?? '')) },
  { header: 'status', value: (r) => `${r.status}${r.awaitingApproval ? ' (approval)' : ''}${r.dryRun ? ' (dry-run)' : ''}` },
  { header: 'wave', value: (r) => (r.waves.length ? `${r.currentWave}/${r.waves.length - 1}` : '-') },
  { header: 'done', value: (r) => `${(r.counts.succeeded ?? 0) + (r.counts.failed ?? 0) + (r.counts.skipped ?? 0) + (r.counts.superseded ?? 0)}/${r.counts.total ?? 0}` },
  { header: 'failed', value: (r) => r.counts.failed ?? 0 },
  { header: 'age', value: (r) => age(r.createdAt) },
];
const printRollout = (r: Json, cmd: Command) => print(r as RolloutView & Json, globals(cmd).output, { kind: 'rollout', name: (x) => x.id, columns: rolloutColumns });

const gate = program.command('gate').description('turn a feature gate on or off across the fleet, as a rollout in waves');
for (const action of ['enable', 'disable'] as const) {
  gate
    .command(`${action} <key>`)
    .description(`${action} a gate on the clusters a selector chooses`)
    .option('-l, --selector <selector>', 'label selector of the clusters (all clusters when absent)')
    .option('--role <role>', 'seed or user')
    .option('--clusters <names>', 'comma-separated cluster names')
    .option('--waves <waves>', 'waves: counts, percents or names, e.g. 1,50%,100%')
    .option('--max-concurrency <n>', 'targets in flight at once', (v) => Number(v))
    .option('--failure-budget <budget>', 'failures allowed per wave: a count (2) or a percent (5%)')
    .option('--on-failure <action>', 'pause or abort when the budget is exceeded', 'pause')
    .option('--pause-between-waves <pause>', 'manual (wait for approval) or a duration like 30s')
    .option('--dry-run', 'record what would change, change nothing')
    .option('--allow-empty', 'accept a selection that matches no cluster')
    .option('-w, --watch', 'follow the rollout until it ends (exit code 6 when it fails)')
    .action(async (key: string, opts: Json, cmd: Command) => {
      const strategy: Json = {};
      if (opts.waves) strategy.waves = parseWaves(opts.waves);
      if (opts.maxConcurrency !== undefined) {
        if (!Number.isInteger(opts.maxConcurrency) || opts.maxConcurrency < 1) throw new CliError('--max-concurrency must be a positive integer', ExitCode.Usage);
        strategy.maxConcurrency = opts.maxConcurrency;
      }
      if (opts.failureBudget) {
        const m = /^(\d+(?:\.\d+)?)(%?)$/.exec(opts.failureBudget);
        if (!m) throw new CliError('--failure-budget must be a count (2) or a percent (5%)', ExitCode.Usage);
        strategy.failureBudget = { [m[2] ? 'percent' : 'count']: Number(m[1]), action: opts.onFailure };
      }
      if (opts.pauseBetweenWaves) strategy.pauseBetweenWaves = opts.pauseBetweenWaves;
      const body: Json = {
        enabled: action === 'enable',
        ...(opts.selector !== undefined ? { labelSelector: opts.selector } : {}),
        ...(opts.role ? { role: opts.role } : {}),
        ...(opts.clusters ? { clusters: String(opts.clusters).split(',').filter(Boolean) } : {}),
        ...(Object.keys(strategy).length ? { strategy } : {}),
        ...(opts.dryRun ? { dryRun: true } : {}),
        ...(opts.allowEmpty ? { allowEmpty: true } : {}),
      };
      const client = api(cmd);
      const r = await client.post<Json>(`/feature-gates/${encodeURIComponent(key)}/rollouts`, body);
      if (opts.watch) {
        process.exitCode = await watchRollout(client, r.id, { intervalMs: 500, out: process.stdout });
        return;
      }
      printRollout(r, cmd);
    });
}

// ---- rollouts ----
const rollouts = program.command('rollouts').alias('rollout').description('rollouts: inspect and steer');
rollouts
  .command('ls')
  .alias('list')
  .option('--status <status>', 'pending, running, paused, succeeded, failed or cancelled')
  .option('--kind <kind>', 'gate, binding, rollback, repair or sync')
  .option('--cluster <name>', 'rollouts that touched this cluster')
  .option('--limit <n>', 'at most this many (newest first)', (v) => Number(v), 20)
  .action(async (opts: Json, cmd: Command) => {
    const items = await api(cmd).all<Json>('/rollouts', { status: opts.status, kind: opts.kind, cluster: opts.cluster }, opts.limit);
    print(items.slice(0, opts.limit) as Array<RolloutView & Json>, globals(cmd).output, { kind: 'rollout', name: (x) => x.id, columns: rolloutColumns });
  });
rollouts
  .command('get <id>')
  .option('--targets', 'list its targets (per cluster) instead')
  .action(async (id: string, opts: { targets?: boolean }, cmd: Command) => {
    const client = api(cmd);
    if (!opts.targets) return printRollout(await client.get<Json>(`/rollouts/${encodeURIComponent(id)}`), cmd);
    const targets = await client.all<Json>(`/rollouts/${encodeURIComponent(id)}/targets`);
    print(targets, globals(cmd).output, {
      kind: 'target',
      name: (t) => t.cluster.name,
      columns: [
        { header: 'cluster', value: (t) => t.cluster.name },
        { header: 'wave', value: (t) => t.wave },
        { header: 'state', value: (t) => t.state },
        { header: 'attempts', value: (t) => t.attempts },
        { header: 'created', value: (t) => t.created },
        { header: 'configured', value: (t) => t.configured },
        { header: 'pruned', value: (t) => t.pruned },
        { header: 'error', value: (t) => t.error },
      ],
    });
  });
for (const action of ['pause', 'resume', 'approve', 'cancel'] as const) {
  rollouts
    .command(`${action} <id>`)
    .description(`${action} a rollout`)
    .action(async (id: string, _opts: unknown, cmd: Command) => printRollout(await api(cmd).post<Json>(`/rollouts/${encodeURIComponent(id)}/${action}`), cmd));
}
rollouts
  .command('rollback <id>')
  .description('a new rollout restoring, on every cluster the rollout changed, the state from before it')
  .option('--dry-run', 'record what would change, change nothing')
  .action(async (id: string, opts: { dryRun?: boolean }, cmd: Command) => printRollout(await api(cmd).post<Json>(`/rollouts/${encodeURIComponent(id)}/rollback`, opts.dryRun ? { dryRun: true } : {}), cmd));
rollouts
  .command('retry <id>')
  .description('run failed targets again under the same rollout')
  .option('--clusters <names>', 'comma-separated: only these failed targets')
  .action(async (id: string, opts: { clusters?: string }, cmd: Command) =>
    printRollout(await api(cmd).post<Json>(`/rollouts/${encodeURIComponent(id)}/retry`, opts.clusters ? { clusters: opts.clusters.split(',').filter(Boolean) } : {}), cmd),
  );
rollouts
  .command('watch <id>')
  .description('follow a rollout until it ends: a progress bar per wave; exit code 6 when it fails or is cancelled')
  .option('--interval <ms>', 'poll interval', (v) => Number(v), 500)
  .action(async (id: string, opts: { interval: number }, cmd: Command) => {
    process.exitCode = await watchRollout(api(cmd), id, { intervalMs: opts.interval, out: process.stdout });
  });

// ---- drift ----
const drift = program.command('drift').description('drift findings and scans');
const findingColumns: Column<Json>[] = [
  { header: 'cluster', value: (f) => f.cluster },
  { header: 'kind', value: (f) => f.kind },
  { header: 'status', value: (f) => f.status },
  { header: 'object', value: (f) => `${f.target.cluster}/${f.target.namespace}/${f.target.name}` },
  { header: 'binding', value: (f) => f.binding },
  { header: 'changed-by', value: (f) => f.changedBy },
  { header: 'first-seen', value: (f) => age(f.firstSeenAt) },
];
drift
  .command('ls')
  .alias('list')
  .option('-l, --selector <selector>', 'clusters matching this label selector')
  .option('--cluster <name>', 'one cluster')
  .option('--kind <kind>', 'missing, modified, unexpected or conflict')
  .option('--binding <name>', 'findings of one binding')
  .action(async (opts: Json, cmd: Command) => {
    const items = await api(cmd).all<Json>('/drift', { labelSelector: opts.selector, cluster: opts.cluster, kind: opts.kind, binding: opts.binding });
    print(items, globals(cmd).output, { kind: 'finding', name: (f) => f.id, columns: findingColumns });
  });
drift
  .command('scan [cluster]')
  .description('scan one cluster now and print its findings, or every cluster matching -l (asynchronously)')
  .option('-l, --selector <selector>', 'scan every cluster matching this selector')
  .action(async (cluster: string | undefined, opts: { selector?: string }, cmd: Command) => {
    const client = api(cmd);
    if (cluster) {
      const scan = await client.post<Json>(`/clusters/${encodeURIComponent(cluster)}/drift-scan`, {}, { wait: true });
      if (globals(cmd).output === 'table') out(`scan ${scan.scanId} of ${scan.cluster}: ${scan.status}, ${scan.items.length} finding(s)${scan.error ? ` (${scan.error})` : ''}\n`);
      if (globals(cmd).output !== 'table' || scan.items.length) print(globals(cmd).output === 'table' ? scan.items : scan, globals(cmd).output, { kind: 'finding', name: (f) => f.id ?? f.scanId, columns: findingColumns });
      return;
    }
    const res = await client.post<Json>('/drift/scans', opts.selector ? { labelSelector: opts.selector } : {});
    if (globals(cmd).output === 'table') out(`scanning ${res.clusters} cluster(s); see \`fleetgate drift ls\`\n`);
    else print(res, globals(cmd).output, { kind: 'scan', name: () => '', columns: [] });
  });

// ---- templates ----
program
  .command('templates')
  .description('policy templates')
  .command('apply')
  .description('create a template, or publish a new version when its body or parameters changed (YAML or JSON: name, description, body, parameters, changelog)')
  .requiredOption('-f, --filename <file>', 'the template file (- for stdin)')
  .action(async (opts: { filename: string }, cmd: Command) => {
    const doc = readDocument(opts.filename) as Json | null;
    if (!doc || typeof doc !== 'object' || typeof doc.name !== 'string') throw new CliError(`${opts.filename}: expected an object with name, description, body (and parameters, changelog)`, ExitCode.Usage);
    const client = api(cmd);
    const version = { body: doc.body, parameters: doc.parameters ?? [], changelog: doc.changelog ?? 'applied with fleetgate templates apply' };
    let result: string;
    try {
      const current = await client.get<Json>(`/templates/${encodeURIComponent(doc.name)}`);
      const latest = current.latestVersion ?? null;
      const latestBody = latest ? await client.get<Json>(`/templates/${encodeURIComponent(doc.name)}/versions/${latest}`) : null;
      if (latestBody && canonical(latestBody.body) === canonical(version.body) && canonical(latestBody.parameters ?? []) === canonical(version.parameters)) {
        result = `template/${doc.name} unchanged (version ${latest})`;
      } else {
        const v = await client.post<Json>(`/templates/${encodeURIComponent(doc.name)}/versions`, version);
        result = `template/${doc.name} configured (version ${v.version})`;
      }
    } catch (err) {
      if (!(err instanceof CliError) || err.exitCode !== ExitCode.NotFound) throw err;
      await client.post<Json>('/templates', { name: doc.name, description: doc.description ?? doc.name, initialVersion: version });
      result = `template/${doc.name} created`;
    }
    out(`${result}\n`);
  });

// ---- netpol ----
program
  .command('netpol')
  .description('NetworkPolicy semantics')
  .command('validate')
  .description('validate a NetworkPolicy as the Kubernetes API server does (exit code 5 when invalid)')
  .requiredOption('-f, --filename <file>', 'the policy (YAML or JSON; - for stdin)')
  .option('--profile <profile>', 'legacy (Kubernetes <= 1.32) or current wording')
  .action(async (opts: { filename: string; profile?: string }, cmd: Command) => {
    const doc = readDocument(opts.filename);
    const client = api(cmd);
    try {
      const res = await client.post<Json>('/netpol/validate', doc, { profile: opts.profile });
      if (globals(cmd).output === 'table') out(`${opts.filename}: valid\n`);
      else print(res, globals(cmd).output, { kind: 'networkpolicy', name: (r) => r.defaulted?.metadata?.name ?? '', columns: [] });
    } catch (err) {
      if (err instanceof CliError && err.exitCode === ExitCode.Invalid) throw new CliError(`${opts.filename}: invalid`, ExitCode.Invalid, err.details);
      throw err;
    }
  });

async function main(): Promise<void> {
  try {
    await program.parseAsync(process.argv);
  } catch (err) {
    if (err instanceof CommanderError) {
      process.exitCode = err.exitCode === 0 ? ExitCode.Ok : ExitCode.Usage;
      return;
    }
    if (err instanceof CliError) {
      process.stderr.write(`error: ${err.message}\n${err.details.map((d) => `${d}\n`).join('')}`);
      process.exitCode = err.exitCode;
      return;
    }
    process.stderr.write(`error: ${(err as Error).stack ?? String(err)}\n`);
    process.exitCode = ExitCode.Failed;
  }
}

await main();
