import { describe, expect, it } from 'vitest';
import type { DriftScanService } from './drift-scan.service.js';
import type { DriftWatchRepository } from './drift-watch.repository.js';
import { DriftWatchService } from './drift-watch.service.js';

/** The service over a scan that records what it was asked to judge and rows answered from sets. */
function setup(rows: { open?: string[]; busy?: string[] } = {}) {
  const scanned: string[][] = [];
  const busy = new Set(rows.busy ?? []);
  const scans = { scan: async (_actor: unknown, ids: readonly string[]) => void scanned.push([...ids].sort()) } as unknown as DriftScanService;
  const repo = {
    withOpenFindings: async (ids: readonly string[]) => new Set(ids.filter((id) => rows.open?.includes(id))),
    busy: async (ids: readonly string[]) => new Set(ids.filter((id) => busy.has(id))),
  } as unknown as DriftWatchRepository;
  return { service: new DriftWatchService(scans, repo), scanned, busy };
}

const settle = (ms = 250) => new Promise((r) => setTimeout(r, ms));
/** Waits (bounded) until `scanned` has `n` rounds: the service's timers may run late on a loaded machine. */
async function rounds(scanned: string[][], n: number): Promise<void> {
  for (let i = 0; i < 100 && scanned.length < n; i++) await settle(20);
}

describe('DriftWatchService', () => {
  it('judges the clusters of a burst of events together, once each, shortly after', async () => {
    const { service, scanned } = setup();
    service.changed('a', 'certain');
    service.changed('b', 'certain');
    service.changed('a', 'certain');
    expect(scanned).toEqual([]);
    await rounds(scanned, 1);
    await settle();
    expect(scanned).toEqual([['a', 'b']]);
    await service.onModuleDestroy();
  });

  it("judges fleetgate's own writes only where findings are open (a repair to resolve)", async () => {
    const { service, scanned } = setup({ open: ['repaired'] });
    service.changed('rolled-out', 'ours');
    service.changed('repaired', 'ours');
    service.changed('edited', 'certain');
    service.changed('edited', 'ours'); // someone else's change on the same cluster still counts
    await rounds(scanned, 1);
    expect(scanned).toEqual([['edited', 'repaired']]);
    expect(service.stats).toMatchObject({ skipped: 1 });
    await service.onModuleDestroy();
  });

  it('holds back a cluster a rollout is writing to until its target is recorded', async () => {
    const { service, scanned, busy } = setup({ busy: ['rolling'] });
    service.changed('rolling', 'certain');
    service.changed('idle', 'certain');
    await rounds(scanned, 1);
    expect(scanned).toEqual([['idle']]);
    await settle(600);
    expect(scanned).toEqual([['idle']]);
    busy.clear();
    await rounds(scanned, 2);
    expect(scanned).toEqual([['idle'], ['rolling']]);
    expect(service.stats.deferred).toBeGreaterThanOrEqual(2);
    await service.onModuleDestroy();
  });
});
