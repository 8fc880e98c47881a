import { randomBytes } from 'node:crypto';
import https from 'node:https';
import { mkdtemp, readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { KubeApiError, KubeClient, connectionFromKubeconfig, type ClusterConnection, type NetworkPolicy } from '@fleetgate/kube';
import { startSimulator, type Simulator } from '@fleetgate/kube-sim';

/**
 * The API server the contract suite runs against: an in-process simulator by default, or the
 * cluster of KUBE_CONTRACT_KUBECONFIG. Either way the suite works in a fresh namespace with a
 * random name and removes only what it created.
 */
export interface ContractTarget {
  kind: 'simulator' | 'real';
  client: KubeClient;
  connection: ClusterConnection;
  kubeconfigPath: string;
  namespace: string;
  /** A second fresh namespace (for cross-namespace listing). */
  otherNamespace: string;
  runId: string;
  /** Kubernetes minor version the server reports on /version (expectations that changed between versions read it). */
  minor: number;
  sim?: Simulator;
  cleanup(): Promise<void>;
}

/**
 * Against the simulator the version is `kubeVersion`, else KUBE_CONTRACT_KUBE_VERSION, else the
 * simulator's default; against a real cluster it is whatever the cluster runs.
 */
export async function contractTarget(opts: { kubeVersion?: string } = {}): Promise<ContractTarget> {
  const runId = randomBytes(4).toString('hex');
  const namespace = `fg-contract-${runId}`;
  const otherNamespace = `fg-contract-${runId}-b`;
  let sim: Simulator | undefined;
  let kubeconfigPath = process.env.KUBE_CONTRACT_KUBECONFIG;
  let connection: ClusterConnection;
  if (kubeconfigPath) {
    connection = connectionFromKubeconfig(await readFile(kubeconfigPath, 'utf8'));
  } else {
    sim = await startSimulator({ clusters: [{ name: 'contract' }], kubeVersion: opts.kubeVersion ?? process.env.KUBE_CONTRACT_KUBE_VERSION });
    const dir = await mkdtemp(join(tmpdir(), 'kube-contract-'));
    kubeconfigPath = join(dir, 'contract.kubeconfig');
    await writeFile(kubeconfigPath, sim.kubeconfig('contract'), { mode: 0o600 });
    connection = sim.connection('contract');
  }
  const client = new KubeClient(connection, { timeoutMs: 20_000 });
  const labels = { 'fleetgate.io/contract-run': runId };
  await client.createNamespace(namespace, labels);
  await client.createNamespace(otherNamespace, labels);
  const target = {
    connection,
  } as ContractTarget;
  const version = (await rawRequest(target, 'GET', '/version')).json() as { minor?: string };
  return {
    minor: Number.parseInt(String(version.minor ?? '0'), 10),
    kind: sim ? 'simulator' : 'real',
    client,
    connection,
    kubeconfigPath,
    namespace,
    otherNamespace,
    runId,
    sim,
    async cleanup() {
      for (const ns of [namespace, otherNamespace]) {
        try {
          // Only what this run created: policies carry the run label, the namespaces are ours.
          for (const p of await client.listNetworkPolicies({ namespace: ns, labelSelector: `fleetgate.io/contract-run=${runId}` })) {
            await client.deleteNetworkPolicy(ns, p.metadata.name ?? '');
          }
          await client.deleteNamespace(ns);
        } catch (err) {
          if (!(err instanceof KubeApiError && err.kind === 'not-found')) throw err;
        }
      }
      client.close();
      await sim?.close();
    },
  };
}

/** A NetworkPolicy as a user writes it, labelled with the run id. */
export function policy(t: ContractTarget, name: string, over: Partial<NetworkPolicy['spec']> = {}, labels: Record<string, string> = {}, namespace = t.namespace): NetworkPolicy {
  return {
    apiVersion: 'networking.k8s.io/v1',
    kind: 'NetworkPolicy',
    metadata: { name, namespace, labels: { 'fleetgate.io/contract-run': t.runId, ...labels } },
    spec: { podSelector: { matchLabels: { app: name } }, ingress: [{ ports: [{ port: 8080 }] }], ...over },
  };
}

export async function failure(p: Promise<unknown>): Promise<KubeApiError> {
  try {
    await p;
  } catch (err) {
    if (err instanceof KubeApiError) return err;
    throw err;
  }
  throw new Error('expected the API server to refuse the request');
}

/** One raw HTTPS request to the API server, authenticated like the client (token or client certificate). */
export function rawRequest(t: ContractTarget, method: string, path: string, opts: { body?: unknown; contentType?: string; accept?: string } = {}): Promise<{ status: number; headers: Record<string, unknown>; text: string; json: () => Record<string, unknown> }> {
  const c = t.connection;
  const url = new URL(c.server.replace(/\/$/, '') + path);
  const b64 = (s?: string) => (s ? Buffer.from(s, 'base64').toString('utf8') : undefined);
  return new Promise((resolve, reject) => {
    const text = opts.body === undefined ? undefined : typeof opts.body === 'string' ? opts.body : JSON.stringify(opts.body);
    const req = https.request(
      {
        method,
        host: url.hostname,
        port: url.port,
        path: url.pathname + url.search,
        ca: b64(c.caData),
        cert: b64(c.clientCertData),
        key: b64(c.clientKeyData),
        rejectUnauthorized: !c.insecureSkipTLSVerify,
        servername: c.tlsServerName,
        headers: {
          ...(c.token ? { authorization: `Bearer ${c.token}` } : {}),
          accept: opts.accept ?? 'application/json',
          ...(text !== undefined ? { 'content-type': opts.contentType ?? 'application/json', 'content-length': Buffer.byteLength(text) } : {}),
        },
      },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (d: Buffer) => chunks.push(d));
        res.on('end', () => {
          const body = Buffer.concat(chunks).toString('utf8');
          resolve({ status: res.statusCode ?? 0, headers: res.headers, text: body, json: () => JSON.parse(body) as Record<string, unknown> });
        });
      },
    );
    req.on('error', reject);
    req.end(text);
  });
}

export interface WatchEvent {
  type: string;
  object: { kind?: string; apiVersion?: string; metadata: { name?: string; namespace?: string; resourceVersion?: string; labels?: Record<string, string> }; [k: string]: unknown };
}

/** A raw watch (`?watch=1`): collects the newline-delimited events; `next(n)` waits for n more. */
export interface WatchStream {
  status: Promise<number>;
  events: WatchEvent[];
  /** Resolves once `count` events in total have arrived (rejects after `timeoutMs`). */
  until(count: number, timeoutMs?: number): Promise<WatchEvent[]>;
  /** Resolves when the server ends the stream. */
  ended: Promise<void>;
  close(): void;
}

export function watchStream(t: ContractTarget, path: string): WatchStream {
  const c = t.connection;
  const url = new URL(c.server.replace(/\/$/, '') + path);
  const b64 = (s?: string) => (s ? Buffer.from(s, 'base64').toString('utf8') : undefined);
  const events: WatchEvent[] = [];
  const waiters: Array<() => void> = [];
  let endResolve: () => void = () => {};
  const ended = new Promise<void>((r) => (endResolve = r));
  let statusResolve: (s: number) => void = () => {};
  const status = new Promise<number>((r) => (statusResolve = r));
  const req = https.request(
    {
      method: 'GET',
      host: url.hostname,
      port: url.port,
      path: url.pathname + url.search,
      ca: b64(c.caData),
      cert: b64(c.clientCertData),
      key: b64(c.clientKeyData),
      rejectUnauthorized: !c.insecureSkipTLSVerify,
      servername: c.tlsServerName,
      headers: { ...(c.token ? { authorization: `Bearer ${c.token}` } : {}), accept: 'application/json' },
    },
    (res) => {
      statusResolve(res.statusCode ?? 0);
      let buf = '';
      res.setEncoding('utf8');
      res.on('data', (d: string) => {
        buf += d;
        let nl: number;
        while ((nl = buf.indexOf('\n')) >= 0) {
          const lineText = buf.slice(0, nl).trim();
          buf = buf.slice(nl + 1);
          if (lineText) events.push(JSON.parse(lineText) as WatchEvent);
        }
        for (const w of waiters.splice(0)) w();
      });
      res.on('end', () => {
        if (buf.trim()) events.push(JSON.parse(buf) as WatchEvent);
        endResolve();
        for (const w of waiters.splice(0)) w();
      });
      res.on('error', () => endResolve());
    },
  );
  req.on('error', () => {
    statusResolve(0);
    endResolve();
  });
  req.end();
  let closed = false;
  void ended.then(() => (closed = true));
  return {
    status,
    events,
    ended,
    close: () => req.destroy(),
    until(count, timeoutMs = 10_000) {
      return new Promise((resolve, reject) => {
        const timer = setTimeout(() => reject(new Error(`watch ${path}: ${events.length} of ${count} events after ${timeoutMs} ms: ${JSON.stringify(events.map((e) => `${e.type} ${e.object.metadata?.name ?? ''}`))}`)), timeoutMs);
        const check = () => {
          if (events.length >= count) {
            clearTimeout(timer);
            resolve(events.slice());
          } else if (closed) {
            clearTimeout(timer);
            reject(new Error(`watch ${path} ended after ${events.length} of ${count} events`));
          } else waiters.push(check);
        };
        check();
      });
    },
  };
}
