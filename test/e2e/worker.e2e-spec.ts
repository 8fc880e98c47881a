// The worker: a standalone Nest context with BullMQ processors on this file's Redis prefix. It
// schedules probes of every cluster, actually probes them, and refuses to start without a
// handler for every registered job name.
import { getQueueToken } from '@nestjs/bullmq';
import type { INestApplicationContext } from '@nestjs/common';
import { type FleetgateConfig, QUEUES } from '@fleetgate/core';
import type { Queue } from 'bullmq';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ClusterProbeProcessor } from '../../apps/worker/src/cluster-probe/cluster-probe.processor.js';
import { JobHandlerRegistry } from '../../apps/worker/src/jobs/job-handler-registry.service.js';
import { MaintenanceProcessor } from '../../apps/worker/src/maintenance/maintenance.processor.js';
import { createWorker } from '../../apps/worker/src/worker.builder.js';
import { bootApi, type TestApi } from './support/api-app.js';
import { b64, startTinyApiServer, type TinyApiServer } from './support/clusters.fixtures.js';

let api: TestApi;
let tiny: TinyApiServer;
let worker: INestApplicationContext;
let workerConfig: FleetgateConfig;

beforeAll(async () => {
  [api, tiny] = await Promise.all([bootApi(), startTinyApiServer({ gitVersion: 'v1.30.9' })]);
  // same database, Redis prefix and master key as the API; probes every 3600 s (only the
  // scheduler's registration is checked; the test triggers a round itself)
  workerConfig = { ...api.config, probeIntervalSeconds: 3600, drift: { ...api.config.drift, intervalSeconds: 3600, jitterSeconds: 5 }, logLevel: 'silent' };
  worker = await createWorker(workerConfig);
});
afterAll(async () => {
  await worker?.close();
  await Promise.all([api?.close(), tiny?.close()]);
});

async function until<T>(what: string, fn: () => Promise<T | undefined>, ms = 15_000): Promise<T> {
  const deadline = Date.now() + ms;
  for (;;) {
    const v = await fn();
    if (v !== undefined) return v;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

describe('rollout sweep', () => {
  it('re-adds lost target jobs from a BullMQ job scheduler every 30 s (no timer in the process)', async () => {
    const queue = worker.get<Queue>(getQueueToken('rollout-target'));
    expect(await queue.getJobSchedulers()).toEqual([expect.objectContaining({ key: 'sweep-open-targets', every: 30_000, name: 'sweep-open-targets' })]);
  });
});

describe('scheduled probes', () => {
  it('registers a job scheduler with the configured interval', async () => {
    const queue = worker.get<Queue>(getQueueToken('cluster-probe'));
    const schedulers = await queue.getJobSchedulers();
    expect(schedulers).toEqual([expect.objectContaining({ key: 'probe-all-clusters', every: 3_600_000, name: 'probe-all-clusters' })]);
    expect(queue.opts.prefix).toBe(api.config.queuePrefix);
  });

  it('a probe round probes every cluster and records health', async () => {
    for (const [name, token] of [
      ['w-ok', tiny.token],
      ['w-401', 'bad-token'],
    ] as const) {
      const res = await api.as('admin').post('/api/v1/clusters').send({ name, role: 'seed', credentials: { server: tiny.url, caData: b64(tiny.tls.caPem), token } });
      expect(res.status).toBe(201);
    }
    const queue = worker.get<Queue>(getQueueToken('cluster-probe'));
    await queue.add('probe-all-clusters', {}, { removeOnComplete: true });
    const health = await until('both clusters probed', async () => {
      const rows = await api.sql<{ name: string; health_status: string; kubernetes_version: string | null }>(
        "SELECT name, health_status, kubernetes_version FROM clusters WHERE name LIKE 'w-%' ORDER BY name",
      );
      return rows.every((r) => r.health_status !== 'unknown') ? rows : undefined;
    });
    expect(health).toEqual([
      { name: 'w-401', health_status: 'unauthorized', kubernetes_version: null },
      { name: 'w-ok', health_status: 'healthy', kubernetes_version: 'v1.30.9' },
    ]);
    // scheduled probes are not audited (they change no decision)
    const audit = await api.sql("SELECT 1 FROM audit_events WHERE action = 'cluster.probe'");
    expect(audit).toHaveLength(0);
  });

  it('rejects a malformed payload instead of acting on it', async () => {
    const processor = worker.get(ClusterProbeProcessor);
    await expect(processor.process({ name: 'probe-cluster', data: { clusterId: 'not-a-uuid' } } as never)).rejects.toThrow(/Bad payload for cluster-probe\/probe-cluster/);
    await expect(processor.process({ name: 'nope', data: {} } as never)).rejects.toThrow(/No handler/);
  });
});

describe('scheduled drift scans', () => {
  it('starts a round every interval minus the jitter, so that no cluster waits longer than the interval', async () => {
    const queue = worker.get<Queue>(getQueueToken('drift-scan'));
    expect(await queue.getJobSchedulers()).toEqual([expect.objectContaining({ key: 'drift-scan-round', every: 3_595_000, name: 'drift-scan-round' })]);
  });
});

describe('maintenance', () => {
  it('schedules an hourly purge that deletes expired idempotency records only', async () => {
    const queue = worker.get<Queue>(getQueueToken('maintenance'));
    expect(await queue.getJobSchedulers()).toEqual([expect.objectContaining({ key: 'purge-idempotency-records', every: 3_600_000 })]);
    await api.sql(
      `INSERT INTO idempotency_records (id, scope, key, method, path, request_hash, state, expires_at) VALUES
       (gen_random_uuid(), 's', 'old', 'POST', '/x', 'h', 'completed', now() - interval '1 minute'),
       (gen_random_uuid(), 's', 'new', 'POST', '/x', 'h', 'completed', now() + interval '1 hour')`,
    );
    await queue.add('purge-idempotency-records', {}, { removeOnComplete: true });
    const left = await until('expired record purged', async () => {
      const rows = await api.sql<{ key: string }>("SELECT key FROM idempotency_records WHERE scope = 's' ORDER BY key");
      return rows.length === 1 ? rows : undefined;
    });
    expect(left).toEqual([{ key: 'new' }]);
  });
});

describe('startup check', () => {
  it('every registered job name has a handler in this worker', () => {
    expect(Object.keys(worker.get(ClusterProbeProcessor).handlers).sort()).toEqual(Object.keys(QUEUES['cluster-probe']).sort());
    expect(Object.keys(worker.get(MaintenanceProcessor).handlers).sort()).toEqual(Object.keys(QUEUES.maintenance).sort());
  });

  it('refuses to start when a job name has no handler', () => {
    const registry = new JobHandlerRegistry();
    registry.register('cluster-probe', ['probe-all-clusters']);
    expect(() => registry.assertComplete()).toThrow(/Refusing to start the worker: Queue "cluster-probe": no handler for job\(s\) probe-cluster/);
    const none = new JobHandlerRegistry();
    expect(() => none.assertComplete()).toThrow(/no processor/);
    const full = new JobHandlerRegistry();
    const mine = ['cluster-probe', 'maintenance'] as const;
    full.register('cluster-probe', ['probe-all-clusters', 'probe-cluster']);
    expect(() => full.assertComplete(mine)).toThrow(/Queue "maintenance": no processor/);
    full.register('maintenance', ['purge-idempotency-records']);
    expect(() => full.assertComplete(mine)).not.toThrow();
    full.register('maintenance', ['ghost-job']);
    expect(() => full.assertComplete(mine)).toThrow(/handler\(s\) for unregistered job\(s\) ghost-job/);
  });
});
