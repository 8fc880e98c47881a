import type { Simulator } from './simulator.js';

export interface RegisterOptions {
  /** fleetgate's base URL, e.g. http://localhost:3000 */
  url: string;
  /** API token (sent as `Authorization: Bearer`). Never logged. */
  token: string;
  fetch?: typeof fetch;
  log?: (line: string) => void;
  /** Keep retrying connection errors, 5xx and 429 for this long (fleetgate may still be starting). Default 0. */
  retryForMs?: number;
}

export interface RegisterResult {
  created: string[];
  existing: string[];
}

/** Body of fleetgate's `POST /api/v1/clusters` for one simulated cluster. */
export function registrationBody(sim: Simulator, name: string): Record<string, unknown> {
  const c = sim.cluster(name);
  const meta = c.meta as { role?: string; seed?: string; networks?: Record<string, string>; blockedCIDRs?: string[]; controlPlaneNamespace?: string };
  const role = meta.role === 'seed' ? 'seed' : 'user';
  const body: Record<string, unknown> = {
    name,
    role,
    labels: c.labels,
    credentials: { kubeconfig: sim.kubeconfig(name) },
    networks: { pods: meta.networks?.pods ?? '10.244.0.0/16', services: meta.networks?.services ?? '10.96.0.0/12', nodes: meta.networks?.nodes ?? '172.18.0.0/24' },
  };
  if (role === 'user' && meta.seed) body.seed = meta.seed;
  if (role === 'user' && meta.controlPlaneNamespace) body.controlPlaneNamespace = meta.controlPlaneNamespace;
  if (role === 'seed' && meta.blockedCIDRs) body.blockedCIDRs = meta.blockedCIDRs;
  return body;
}

/**
 * Registers every simulated cluster in a running fleetgate: seeds first (users refer to them),
 * then user clusters. A 409 (already registered, e.g. on a re-run) counts as success.
 */
export async function registerFleet(sim: Simulator, opts: RegisterOptions): Promise<RegisterResult> {
  const doFetch = opts.fetch ?? fetch;
  const endpoint = `${opts.url.replace(/\/+$/, '')}/api/v1/clusters`;
  const result: RegisterResult = { created: [], existing: [] };
  const all = sim.clusters();
  const ordered = [...all.filter((c) => c.meta.role === 'seed'), ...all.filter((c) => c.meta.role !== 'seed')];
  const deadline = Date.now() + (opts.retryForMs ?? 0);
  const post = async (name: string): Promise<Response> => {
    for (let attempt = 1; ; attempt++) {
      let res: Response | undefined;
      let error: unknown;
      try {
        res = await doFetch(endpoint, {
          method: 'POST',
          headers: { 'content-type': 'application/json', authorization: `Bearer ${opts.token}` },
          body: JSON.stringify(registrationBody(sim, name)),
          signal: AbortSignal.timeout(30_000),
        });
      } catch (err) {
        error = err;
      }
      const transient = res === undefined || res.status >= 500 || res.status === 429;
      if (!transient && res) return res;
      if (Date.now() >= deadline) {
        if (res) return res;
        throw new Error(`registering ${name} at ${endpoint} failed: ${(error as Error)?.message ?? String(error)}`);
      }
      const wait = Math.min(5000, 250 * 2 ** Math.min(attempt, 5));
      opts.log?.(`fleetgate not ready (${res ? `HTTP ${res.status}` : (error as Error)?.message}); retrying ${name} in ${wait} ms`);
      await new Promise((r) => setTimeout(r, wait));
    }
  };
  for (const c of ordered) {
    const res = await post(c.name);
    if (res.status === 201 || res.status === 200) {
      result.created.push(c.name);
      opts.log?.(`registered ${c.name}`);
    } else if (res.status === 409) {
      result.existing.push(c.name);
      opts.log?.(`${c.name} was already registered`);
    } else {
      const text = (await res.text()).slice(0, 500);
      throw new Error(`registering ${c.name} at ${endpoint} failed: HTTP ${res.status} ${text}`);
    }
  }
  return result;
}
