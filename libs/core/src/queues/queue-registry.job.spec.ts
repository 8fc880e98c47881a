import { describe, expect, it } from 'vitest';
import { QUEUES, assertHandlersComplete, jobId, parseJobPayload } from './queue-registry.job.js';
import { redisOptionsFromUrl } from './redis-connection.service.js';

describe('queue registry', () => {
  it('job ids are deterministic and never contain ":" or only digits', () => {
    expect(jobId('probe-cluster', 'a:b')).toBe('probe-cluster-a_b');
    expect(jobId('probe-cluster', '123')).toBe('probe-cluster-123');
    expect(jobId('x', '1')).toBe(jobId('x', '1'));
  });

  it('validates payloads against the registry', () => {
    const id = '0f8fad5b-d9cb-469f-a165-70867728950e';
    expect(parseJobPayload('cluster-probe', 'probe-cluster', { clusterId: id })).toEqual({ clusterId: id });
    expect(() => parseJobPayload('cluster-probe', 'probe-cluster', { clusterId: 'x' })).toThrow(/clusterId/);
    expect(() => parseJobPayload('cluster-probe', 'probe-all-clusters', { extra: 1 })).toThrow(/Bad payload/);
  });

  it('names missing and unknown handlers', () => {
    expect(() => assertHandlersComplete('cluster-probe', Object.keys(QUEUES['cluster-probe']))).not.toThrow();
    expect(() => assertHandlersComplete('cluster-probe', ['probe-cluster'])).toThrow('no handler for job(s) probe-all-clusters');
    expect(() => assertHandlersComplete('cluster-probe', [...Object.keys(QUEUES['cluster-probe']), 'ghost'])).toThrow('unregistered job(s) ghost');
  });

  it('redis URLs become ioredis options with maxRetriesPerRequest null', () => {
    expect(redisOptionsFromUrl('redis://:pw@r.example:6380/3')).toMatchObject({ host: 'r.example', port: 6380, password: 'pw', db: 3, maxRetriesPerRequest: null });
    expect(redisOptionsFromUrl('rediss://user:p%40ss@h')).toMatchObject({ host: 'h', port: 6379, username: 'user', password: 'p@ss', tls: {} });
  });
});
