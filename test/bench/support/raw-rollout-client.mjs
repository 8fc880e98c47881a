// The bare HTTPS client of `bench:rollout --baseline raw`: what a rollout must do per cluster
// (1 list of the managed NetworkPolicies + one server-side apply per policy), with nothing
// else: keep-alive node:https, no framework, no database, no retries. Runs as its own process
// so that its CPU is measured apart from the simulator's.
//
//   node raw-rollout-client.mjs <plan.json>   ->   one JSON line: {seconds, cpuSeconds, requests, failures}
//
// plan.json: {ca, concurrency, maxSockets, clusters: [{server, token}], manifests: [NetworkPolicy…]}
import https from 'node:https';
import { readFileSync } from 'node:fs';
import { performance } from 'node:perf_hooks';

const plan = JSON.parse(readFileSync(process.argv[2], 'utf8'));
const agent = new https.Agent({ keepAlive: true, maxSockets: plan.maxSockets, maxFreeSockets: plan.maxSockets, scheduling: 'lifo', ca: plan.ca });
const bodies = plan.manifests.map((m) => ({ path: `/apis/networking.k8s.io/v1/namespaces/${m.metadata.namespace}/networkpolicies/${m.metadata.name}?fieldManager=fleetgate&force=true`, text: JSON.stringify(m) }));
const LIST = '/apis/networking.k8s.io/v1/networkpolicies?labelSelector=app.kubernetes.io%2Fmanaged-by%3Dfleetgate&limit=500';
let requests = 0;
let failures = 0;

function request(server, token, method, path, body) {
  return new Promise((resolve, reject) => {
    const u = new URL(server + path);
    const headers = { authorization: `Bearer ${token}`, accept: 'application/json' };
    if (body !== undefined) Object.assign(headers, { 'content-type': 'application/apply-patch+yaml', 'content-length': Buffer.byteLength(body) });
    requests++;
    const req = https.request({ hostname: u.hostname, port: u.port, path: u.pathname + u.search, method, headers, agent }, (res) => {
      const chunks = [];
      res.on('data', (c) => chunks.push(c));
      res.on('end', () => {
        if ((res.statusCode ?? 0) >= 300) failures++;
        resolve(JSON.parse(Buffer.concat(chunks).toString('utf8')));
      });
      res.on('error', reject);
    });
    req.on('error', reject);
    req.end(body);
  });
}

const cpu0 = process.cpuUsage();
const t0 = performance.now();
let next = 0;
await Promise.all(
  Array.from({ length: plan.concurrency }, async () => {
    while (next < plan.clusters.length) {
      const { server, token } = plan.clusters[next++];
      await request(server, token, 'GET', LIST);
      await Promise.all(bodies.map((b) => request(server, token, 'PATCH', b.path, b.text)));
    }
  }),
);
const seconds = (performance.now() - t0) / 1000;
const cpu = process.cpuUsage(cpu0);
agent.destroy();
process.stdout.write(`${JSON.stringify({ seconds, cpuSeconds: (cpu.user + cpu.system) / 1e6, requests, failures })}\n`);
