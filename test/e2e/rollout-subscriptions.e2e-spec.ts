// Issue 6: GraphQL subscriptions over graphql-ws, delivered through Redis pub/sub. Two API
// replicas share the database and Redis prefix; the rollout is started on one, the subscriber
// listens on the other, and the worker publishes target progress.
import { createServer } from 'node:net';
import type { INestApplicationContext } from '@nestjs/common';
import type { NestExpressApplication } from '@nestjs/platform-express';
import { type Simulator, registrationBody, startSimulator } from '@fleetgate/kube-sim';
import { createClient } from 'graphql-ws';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { createApiApp } from '../../apps/api/src/app.builder.js';
import { createWorker } from '../../apps/worker/src/worker.builder.js';
import { type TestApi, bootApi } from './support/api-app.js';

let api: TestApi;
let replica: NestExpressApplication;
let sim: Simulator;
let worker: INestApplicationContext;
let port = 0;

beforeAll(async () => {
  [api, sim] = await Promise.all([bootApi(), startSimulator()]);
  replica = await createApiApp({ ...api.config, logLevel: 'silent' });
  port = await new Promise<number>((resolve) => {
    const srv = createServer();
    srv.listen(0, '127.0.0.1', () => {
      const p = (srv.address() as { port: number }).port;
      srv.close(() => resolve(p));
    });
  });
  await replica.listen(port, '127.0.0.1');
  worker = await createWorker({ ...api.config, logLevel: 'silent', probeIntervalSeconds: 0, drift: { ...api.config.drift, intervalSeconds: 0 } });
});
afterAll(async () => {
  await worker?.close();
  await replica?.close();
  await api?.close();
  await sim?.close();
});

function subscribe<T>(token: string | null, query: string, variables: Record<string, unknown>, until: (items: T[]) => boolean): Promise<T[]> {
  const client = createClient({ url: `ws://127.0.0.1:${port}/graphql`, webSocketImpl: WebSocket, connectionParams: token ? { authorization: `Bearer ${token}` } : {}, retryAttempts: 0 });
  const items: T[] = [];
  return new Promise<T[]>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`subscription saw only ${JSON.stringify(items)}`)), 30_000);
    const stop = client.subscribe<T>({ query, variables }, {
      next: (v) => {
        if (v.errors) {
          clearTimeout(timer);
          reject(Object.assign(new Error(v.errors[0]?.message), { errors: v.errors }));
          return;
        }
        items.push(v.data as T);
        if (until(items)) {
          clearTimeout(timer);
          stop();
          void client.dispose();
          resolve(items);
        }
      },
      error: (e) => {
        clearTimeout(timer);
        reject(e instanceof Error ? e : Object.assign(new Error('subscription error'), { detail: e }));
      },
      complete: () => undefined,
    });
  });
}

describe('rollout subscriptions', () => {
  it('rolloutProgress and rolloutEvents reach a subscriber on another replica through Redis', async () => {
    const users = ['s-u1', 's-u2', 's-u3'];
    await sim.addCluster({ name: 's-seed', meta: { role: 'seed' }, namespaces: users.map((u) => ({ name: `cluster-${u}` })) });
    for (const u of users) await sim.addCluster({ name: u, labels: { env: 'prod' }, meta: { role: 'user', seed: 's-seed', controlPlaneNamespace: `cluster-${u}` } });
    for (const name of ['s-seed', ...users]) await api.as('admin').post('/api/v1/clusters').send(registrationBody(sim, name)).expect(201);

    // refused at connection_init: 4401 without a token, 4403 with a wrong one
    await expect(subscribe(null, 'subscription { rolloutEvents { type } }', {}, () => true)).rejects.toMatchObject({ detail: { code: 4401 } });
    await expect(subscribe('fg_not_a_token_0123456789', 'subscription { rolloutEvents { type } }', {}, () => true)).rejects.toMatchObject({ detail: { code: 4403 } });

    // the rollout waits for approval after its canary, so the subscription is open before the rest runs
    const res = await api
      .as('operator')
      .post('/api/v1/feature-gates/apiserverNetworkPolicy/rollouts')
      .send({ enabled: true, labelSelector: 'env=prod', role: 'user', strategy: { waves: [{ count: 1 }, { percent: 100 }], pauseBetweenWaves: 'manual' } })
      .expect(202);
    const id = res.body.id as string;
    const waiting = async () => ((await api.as('viewer').get(`/api/v1/rollouts/${id}`).expect(200)).body as { awaitingApproval: boolean }).awaitingApproval;
    for (let i = 0; i < 600 && !(await waiting()); i++) await new Promise((r) => setTimeout(r, 50));

    type Progress = { rolloutProgress: { id: string; status: string; awaitingApproval: boolean; counts: { succeeded: number } } };
    type Event = { rolloutEvents: { type: string; rolloutId: string; cluster: string | null; state: string | null } };
    const progress = subscribe<Progress>(api.tokens.viewer, 'subscription($id: ID!) { rolloutProgress(id: $id) { id status awaitingApproval counts { succeeded } } }', { id }, (xs) => xs.some((x) => x.rolloutProgress.status === 'succeeded'));
    const events = subscribe<Event>(api.tokens.viewer, 'subscription { rolloutEvents { type rolloutId cluster state } }', {}, (xs) => xs.filter((x) => x.rolloutEvents.type === 'rollout.target').length >= 2);
    await new Promise((r) => setTimeout(r, 300)); // both subscriptions registered on the replica
    await api.as('operator').post(`/api/v1/rollouts/${id}/approve`).expect(200);

    const seen = await progress;
    expect(seen.every((x) => x.rolloutProgress.id === id)).toBe(true);
    // the current state comes first, before anything changed: the canary done, waiting for approval
    expect(seen[0]?.rolloutProgress).toMatchObject({ status: 'paused', awaitingApproval: true, counts: { succeeded: 1 } });
    expect(seen.at(-1)?.rolloutProgress).toMatchObject({ status: 'succeeded', counts: { succeeded: 3 } });
    const ev = await events;
    const targets = ev.filter((x) => x.rolloutEvents.type === 'rollout.target').map((x) => x.rolloutEvents);
    expect(targets.every((t) => t.rolloutId === id && t.state === 'succeeded')).toBe(true);
    expect(new Set(targets.map((t) => t.cluster)).size).toBe(2);
  });
});
