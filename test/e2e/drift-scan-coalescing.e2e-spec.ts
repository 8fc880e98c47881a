// A fleet-wide drift-scan request does not queue a second scan for a cluster whose scan is still
// queued (no worker runs here, so every scan stays queued).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type TestApi, bootApi } from './support/api-app.js';
import { seedBody } from './support/clusters.fixtures.js';

let api: TestApi;
beforeAll(async () => {
  api = await bootApi();
});
afterAll(async () => api?.close());

describe('POST /drift/scans', () => {
  it('coalesces with scans already queued', async () => {
    api.logs.length = 0;
    for (const name of ['co-1', 'co-2', 'co-3']) await api.as('admin').post('/api/v1/clusters').send(seedBody({ name })).expect(201);
    const first = await api.as('operator').post('/api/v1/drift/scans').send({});
    expect(first.status, api.logs.join('').slice(-1500)).toBe(202);
    expect(first.body.clusters).toBe(3);
    for (let i = 0; i < 3; i++) {
      const again = await api.as('operator').post('/api/v1/drift/scans').send({}).expect(202);
      expect([...again.body.scanIds].sort()).toEqual([...first.body.scanIds].sort());
    }
    const [row] = await api.sql<{ n: number }>('SELECT count(*)::int AS n FROM drift_scans');
    expect(row?.n).toBe(3);
  });
});
